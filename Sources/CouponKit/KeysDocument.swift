import Foundation

/// The `Keys` JSON of the member profile (`keys.json`, the same shape as the API's `Keys`):
/// `{"reveal_keys":[{"epoch":1,"key":"<base64>"}],"issuers":[{"issuer_id","public_key"}]}`.
public struct KeysDocument: Codable, Sendable, Equatable {
    public struct Reveal: Codable, Sendable, Equatable {
        public let epoch: UInt32
        public let key: String

        public init(epoch: UInt32, key: String) {
            self.epoch = epoch
            self.key = key
        }
    }

    public struct Issuer: Codable, Sendable, Equatable {
        public let issuerId: String
        public let publicKey: String

        enum CodingKeys: String, CodingKey {
            case issuerId = "issuer_id"
            case publicKey = "public_key"
        }

        public init(issuerId: String, publicKey: String) {
            self.issuerId = issuerId
            self.publicKey = publicKey
        }
    }

    /// One of the server's signing keys (``ServerPublicKey``).
    public struct Server: Codable, Sendable, Equatable {
        public let keyId: String
        public let publicKey: String
        public let retired: Bool

        enum CodingKeys: String, CodingKey {
            case keyId = "key_id"
            case publicKey = "public_key"
            case retired
        }

        public init(keyId: String, publicKey: String, retired: Bool) {
            (self.keyId, self.publicKey, self.retired) = (keyId, publicKey, retired)
        }
    }

    public var revealKeys: [Reveal]
    public var issuers: [Issuer]
    /// Absent from profiles saved before personal copies: read as none.
    public var serverKeys: [Server]

    enum CodingKeys: String, CodingKey {
        case revealKeys = "reveal_keys"
        case issuers
        case serverKeys = "server_keys"
    }

    public init(revealKeys: [Reveal], issuers: [Issuer], serverKeys: [Server] = []) {
        self.revealKeys = revealKeys
        self.issuers = issuers
        self.serverKeys = serverKeys
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        revealKeys = try container.decode([Reveal].self, forKey: .revealKeys)
        issuers = try container.decode([Issuer].self, forKey: .issuers)
        serverKeys = try container.decodeIfPresent([Server].self, forKey: .serverKeys) ?? []
    }

    public init(_ ring: KeyRing) {
        revealKeys = ring.revealKeys.map { Reveal(epoch: $0.epoch, key: $0.base64) }
        issuers = ring.issuers.map { Issuer(issuerId: $0.id, publicKey: $0.base64) }
        serverKeys = ring.serverKeys.map { Server(keyId: $0.id, publicKey: $0.base64, retired: $0.retired) }
    }

    /// The ring, or nil when a key does not decode. Issuer ids are recomputed from the
    /// keys themselves; a document whose id disagrees with its key is refused.
    public var keyRing: KeyRing? {
        var ring = KeyRing()
        for reveal in revealKeys {
            guard let key = RevealKey(epoch: reveal.epoch, base64: reveal.key) else { return nil }
            ring.revealKeys.append(key)
        }
        for issuer in issuers {
            guard let key = IssuerPublicKey(base64: issuer.publicKey), key.id == issuer.issuerId else { return nil }
            ring.issuers.append(key)
        }
        for server in serverKeys {
            guard let key = ServerPublicKey(base64: server.publicKey, retired: server.retired), key.id == server.keyId
            else { return nil }
            ring.serverKeys.append(key)
        }
        return ring
    }
}

/// Reading and writing key files. Secret files are created with mode 0600, atomically
/// (a temporary file renamed into place), and never replace an existing file unless asked.
///
/// Formats: `issuer.key` and `issuer.pub` hold the raw 32-byte Ed25519 key in base64 on
/// one line; `reveal.key` is `{"epoch":1,"key":"<base64 32 bytes>"}`. A reveal-key flag
/// also accepts a whole `Keys` document (every epoch).
public enum KeyFiles {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public static func readIssuerKey(at path: String) throws(Failure) -> IssuerKey {
        guard let key = IssuerKey(base64: try text(at: path)) else {
            throw Failure(description: "\(path) is not an issuer private key (base64 of 32 bytes)")
        }
        return key
    }

    public static func readIssuerPublicKey(at path: String) throws(Failure) -> IssuerPublicKey {
        guard let key = IssuerPublicKey(base64: try text(at: path)) else {
            throw Failure(description: "\(path) is not an issuer public key (base64 of 32 bytes)")
        }
        return key
    }

    /// One reveal key (`reveal.key`) or every key of a `Keys` document.
    public static func readRevealKeys(at path: String) throws(Failure) -> [RevealKey] {
        let data = Data(try text(at: path).utf8)
        let decoder = JSONDecoder()
        if let single = try? decoder.decode(KeysDocument.Reveal.self, from: data),
            let key = RevealKey(epoch: single.epoch, base64: single.key)
        {
            return [key]
        }
        if let document = try? decoder.decode(KeysDocument.self, from: data), let ring = document.keyRing {
            return ring.revealKeys
        }
        throw Failure(description: "\(path) is not a reveal key ({\"epoch\":N,\"key\":\"<base64>\"})")
    }

    public static func revealKeyJSON(_ key: RevealKey) -> String {
        "{\"epoch\":\(key.epoch),\"key\":\"\(key.base64)\"}\n"
    }

    static func text(at path: String) throws(Failure) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Failure(description: "cannot read \(path): \(FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file")")
        }
    }

    /// Writes `contents` to `path` with `mode`, atomically. With `overwrite` false an
    /// existing file is an error and is left untouched.
    public static func write(_ contents: String, to path: String, mode: mode_t, overwrite: Bool) throws(Failure) {
        try write(bytes: Array(contents.utf8), to: path, mode: mode, overwrite: overwrite)
    }

    /// Writes `bytes` to `path` with `mode` from its first byte (the file is created with
    /// it: never readable by others for a moment), atomically: a temporary file beside it,
    /// renamed (or, without `overwrite`, linked) into place, so a failure leaves no
    /// half-written file. With `overwrite` false an existing file is an error and is left
    /// untouched.
    public static func write(bytes: [UInt8], to path: String, mode: mode_t, overwrite: Bool) throws(Failure) {
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw Failure(description: "cannot write \(path.isEmpty ? "an empty path" : path): name a file, not a directory")
        }
        // URL, not NSString: swift-corelibs-foundation's NSString path methods trap on a
        // one-character path ("k").
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let count = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                written += count
            }
        }
        _ = fchmod(fd, mode)
        _ = fsync(fd)
        close(fd)
        guard written == bytes.count else {
            unlink(temporary)
            throw Failure(description: "cannot write \(path): short write")
        }
        if overwrite {
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } else {
            // link() fails if the target exists, so a racing writer cannot be clobbered.
            let linked = link(temporary, path)
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            guard linked == 0 else {
                throw Failure(description: errno == EEXIST ? "\(path) already exists; not overwriting it" : "cannot write \(path): \(reason)")
            }
        }
    }
}
