import ArgumentParser
import CommandLineEntry
import CouponStore
import Foundation

/// `coupon-server sessions list|end`: the web pages' sessions (``SessionRepository``).
/// A session is shown only by the first 12 hex digits of its key's SHA-256, its expiry,
/// and the `kind` and `principal_id` of its JSON; nothing else of it is ever printed (it
/// holds a CSRF token), and its key is never stored, so it cannot be.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions", abstract: "List or end the web pages' sessions.", subcommands: [List.self, End.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the unexpired web sessions, soonest expiry first.",
            discussion: """
                One line per session: the first 12 hex digits of its key hash, its expiry (ISO 8601, \
                UTC), and whom it is for (kind and principal id) when it says. --json prints \
                [{"key_hash_prefix","kind","principal_id","expires_at"}], null where a session says \
                nothing. Only reads; works while the server runs on the same data.
                """)

        @OptionGroup var store: StoreOptions
        @Flag(help: "Print the sessions as one JSON array (described above).") var json = false

        func run() async throws {
            let sessions = try await store.withStore { opened in try await opened.repository.sessions(now: Date()) }
            let listed = sessions.map(ListedSession.init)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(listed), as: UTF8.self))
            } else if listed.isEmpty {
                print("no sessions")
            } else {
                for session in listed {
                    let whom = [session.kind, session.principalId].map { $0.map(TerminalText.printable) ?? "-" }
                    print("\(session.keyHashPrefix)  \(session.expiresAt ?? "never")  \(whom.joined(separator: "  "))")
                }
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End web sessions: one (by key hash prefix), every expired one, or all.",
            discussion: """
                --key-hash takes a prefix of at least 8 hex digits (as `sessions list` prints) that \
                must name exactly one unexpired session. The browser holding an ended session is \
                signed out at its next request. Works while the server runs on the same data.
                """)

        @Option(help: ArgumentHelp("The session's key hash, or a prefix of it (8 hex digits or more).", valueName: "HASH"))
        var keyHash: String?
        @Flag(help: "Delete every expired session.") var expired = false
        @Flag(help: "End every session, expired or not.") var all = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard [keyHash != nil, expired, all].filter({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --key-hash, --expired and --all")
            }
            if let keyHash {
                guard keyHash.count >= 8, keyHash.count <= 64, keyHash.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
                    throw ValidationError("--key-hash must be 8 to 64 hex digits")
                }
            }
        }

        func run() async throws {
            let now = Date()
            let message = try await store.withStore { opened in
                let repository = opened.repository
                if let keyHash {
                    let prefix = keyHash.lowercased()
                    let matches = try await repository.sessions(now: now).filter { $0.keyHash.hasPrefix(prefix) }
                    guard matches.count == 1 else {
                        throw CommandFailure(
                            matches.isEmpty
                                ? "no unexpired session's key hash starts with \(prefix)"
                                : "\(matches.count) sessions' key hashes start with \(prefix); give more digits",
                            exitCode: .usageFailure)
                    }
                    try await repository.removeSession(keyHash: matches[0].keyHash)
                    return "ended session \(ListedSession.prefix(of: matches[0].keyHash))"
                }
                let removedExpired = try await repository.removeExpiredSessions(now: now)
                guard all else { return "deleted \(removedExpired) expired session(s)" }
                let live = try await repository.sessions(now: now)
                for session in live { try await repository.removeSession(keyHash: session.keyHash) }
                return "ended \(live.count) session(s) and deleted \(removedExpired) expired one(s)"
            }
            print(message)
        }
    }
}

/// What `sessions list` shows of a session, and nothing more: never its JSON's other
/// fields (a CSRF token among them).
private struct ListedSession: Encodable {
    let keyHashPrefix: String
    let kind: String?
    let principalId: String?
    let expiresAt: String?

    enum CodingKeys: String, CodingKey {
        case keyHashPrefix = "key_hash_prefix", kind, principalId = "principal_id", expiresAt = "expires_at"
    }

    /// `kind` and `principal_id` read loosely from the session's JSON: absent, not an
    /// object, or not a string, they are nil.
    init(_ session: StoredSession) {
        let object = (try? JSONSerialization.jsonObject(with: Data(session.value.utf8))) as? [String: Any]
        keyHashPrefix = Self.prefix(of: session.keyHash)
        kind = object?["kind"] as? String
        principalId = object?["principal_id"] as? String
        expiresAt = session.expiresAt.map(Timestamp.string)
    }

    static func prefix(of keyHash: String) -> String { String(keyHash.prefix(12)) }

    /// Every key, null included.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(keyHashPrefix, forKey: .keyHashPrefix)
        try container.encode(kind, forKey: .kind)
        try container.encode(principalId, forKey: .principalId)
        try container.encode(expiresAt, forKey: .expiresAt)
    }
}
