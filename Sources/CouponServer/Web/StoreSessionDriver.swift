import CouponStore
import Foundation
import Hummingbird

/// hummingbird-auth's session storage on the coupon store (`SessionRepository`, SQLite or
/// PostgreSQL), so that every instance on one database knows every session. The key it
/// is given (a prefix and the cookie's random value) is stored only as its SHA-256, like
/// bearer tokens: a copy of the database signs nobody in. Values are JSON.
struct StoreSessionDriver<Repository: SessionRepository>: PersistDriver {
    let repository: Repository
    let clock: @Sendable () -> Date

    static func keyHash(_ key: String) -> String {
        SHA256Hex.of(key.utf8)
    }

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let now = clock()
        let record = StoredSession(keyHash: Self.keyHash(key), value: try Self.json(value), expiresAt: expiry(expires, from: now))
        do {
            try await repository.createSession(record, now: now)
        } catch StoreError.sessionExists {
            throw PersistError.duplicate
        }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await repository.setSession(
            keyHash: Self.keyHash(key), value: try Self.json(value), expiresAt: expiry(expires, from: clock()))
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let now = clock()
        guard let record = try await repository.session(keyHash: Self.keyHash(key), now: now) else { return nil }
        guard let object = try? JSONDecoder.sessions.decode(Object.self, from: Data(record.value.utf8)) else {
            throw PersistError.invalidConversion
        }
        let ttl = record.expiresAt.map { Duration.seconds(max(0, $0.timeIntervalSince(now))) }
        return (object, ttl)
    }

    func remove(key: String) async throws {
        try await repository.removeSession(keyHash: Self.keyHash(key))
    }

    private func expiry(_ expires: Duration?, from now: Date) -> Date? {
        expires.map { now.addingTimeInterval(TimeInterval($0.components.seconds)) }
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sessions.encode(value), as: UTF8.self)
    }
}

extension JSONEncoder {
    /// Sessions as JSON: dates in ISO 8601, keys sorted (stable rows).
    static let sessions: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}

extension JSONDecoder {
    static let sessions: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
