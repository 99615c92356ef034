import CouponStore
public import Foundation
public import GRDB

/// The embedded store: one SQLite database (WAL, via a GRDB `DatabasePool`) under the
/// data directory. It owns the database: it migrates on init, and each public method
/// is one transaction. Other processes (`coupon-server merchant add`, `keys rotate`)
/// may write the same file while the server runs: writers wait up to
/// `busyTimeout` for the lock.
///
/// ```swift
/// let store = try SQLiteStore(dataDirectory: "./data")
/// let ring = try await store.keyRing()
/// ```
public final class SQLiteStore: Sendable {
    public static let fileName = "couponmark.sqlite"
    public static let busyTimeout: TimeInterval = 10

    let writer: any DatabaseWriter
    let settlements: SettlementBatcher
    /// Per-minute limits (`RateLimitRepository`): in memory, as one process owns the file.
    let rateBuckets = RateBuckets()

    /// Opens (creating when needed) `<dataDirectory>/couponmark.sqlite`. The directory
    /// is created with mode 0700 and the database file with mode 0600 (SQLite gives the
    /// WAL and shared-memory files the same mode).
    public convenience init(dataDirectory: String) throws {
        try Self.prepareDirectory(dataDirectory)
        let path = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent(Self.fileName).path
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw SetupError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "couponmark"
        // Every commit syncs the WAL (WAL + synchronous=FULL), so an acknowledged order
        // survives a power loss. GRDB's DatabasePool sets `synchronous = NORMAL` on its
        // writer when it turns WAL on (after `prepareDatabase`), which syncs only at
        // checkpoints, so FULL is set on the writer connection once the pool exists
        // (readers never commit). `SettlementBatcher` shares one sync among waiting orders.
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try self.init(writer: pool)
    }

    /// Wraps any GRDB writer (a `DatabaseQueue` in memory for experiments) and migrates it.
    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        settlements = SettlementBatcher(writer: writer, work: Self.settleInTransaction)
        try Self.migrator.migrate(writer)
    }

    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    static func prepareDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SetupError(description: "\(path) is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SetupError(description: "cannot create the data directory \(path)")
        }
    }
}
