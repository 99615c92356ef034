import Foundation
import Synchronization

/// The faces the artwork uses, all from Debian's `fonts-dejavu-core`.
public enum FontStyle: Int, Sendable, CaseIterable {
    case regular, bold, mono, monoBold

    /// File name inside the font directory.
    public var fileName: String {
        switch self {
        case .regular: "DejaVuSans.ttf"
        case .bold: "DejaVuSans-Bold.ttf"
        case .mono: "DejaVuSansMono.ttf"
        case .monoBold: "DejaVuSansMono-Bold.ttf"
        }
    }
}

/// Where fonts are found: an explicit directory, else `$COUPONMARK_FONT_DIR`, else
/// `/usr/share/fonts/truetype/dejavu`.
public enum FontLocation {
    /// Debian's DejaVu directory.
    public static let defaultDirectory = "/usr/share/fonts/truetype/dejavu"
    /// The environment variable that overrides the directory.
    public static let environmentVariable = "COUPONMARK_FONT_DIR"

    /// The directory that will be used for `explicit` (nil: environment, then default).
    public static func directory(
        explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let explicit { return explicit }
        if let fromEnv = environment[environmentVariable], !fromEnv.isEmpty { return fromEnv }
        return defaultDirectory
    }
}

/// The bytes of one font file, loaded once per process and never freed, so every
/// FreeType instance can open a memory face on the same read-only bytes.
///
/// `@unchecked Sendable` because it holds a raw pointer for C (FreeType's
/// `FT_New_Memory_Face`), which Swift cannot check: the bytes are written once, before the
/// blob is shared, and only read afterwards, so sharing it across threads is safe.
final class FontBlob: @unchecked Sendable {
    let path: String
    let base: UnsafeMutableRawPointer
    let count: Int

    private init(path: String, data: Data) {
        self.path = path
        count = data.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        data.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: count) }
    }

    // The cache keeps blobs alive for the life of the process; faces point into them.
    private static let cache = Mutex<[String: FontBlob]>([:])

    /// The blob for `path`, reading the file the first time.
    static func load(_ path: String) throws(ArtError) -> FontBlob {
        try cache.withLock { cache throws(ArtError) in
            if let hit = cache[path] { return hit }
            guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
                throw .fontNotFound(path: path)
            }
            let blob = FontBlob(path: path, data: data)
            cache[path] = blob
            return blob
        }
    }
}
