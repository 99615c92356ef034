public import Foundation
public import Logging
public import ImageCore
import PNGCodec

/// How `coupon-server` runs: by default on 127.0.0.1:8080 with `./data`, bodies up to 8 MiB.
///
/// ```swift
/// var configuration = ServerConfiguration(dataDirectory: "./data")
/// configuration.port = 0 // any free port
/// let app = try await buildApplication(configuration)
/// try await app.runService()
/// ```
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Holds `couponmark.sqlite` (mode 0600) in a directory of mode 0700.
    public var dataDirectory: String
    /// Largest request body accepted; larger ones get 413 `payload_too_large`.
    public var maxBodyBytes: Int
    /// Largest coupon image (width x height), checked from the PNG header before any pixel
    /// memory is allocated: over it an order or upload is `coupon_too_large`.
    public var decodeLimits: DecodeLimits
    /// Joins (`POST /v1/members`) allowed per client address and minute; 0: no limit.
    public var joinLimit: Int
    /// Joins allowed per minute from all addresses together (a sign-up flood from many
    /// addresses); 0: no limit.
    public var joinLimitTotal = ServerConfiguration.defaultJoinLimitTotal
    /// Robust-layer searches per member or merchant and minute, for identify and orders
    /// alike (a picture whose fragile layer is gone); 0: no limit. A picture without a
    /// mark costs the robust layer's whole search on a verifier thread, so one account
    /// must not keep the pool busy. (`serve --identify-limit`.)
    public var identifyLimit = ServerConfiguration.defaultIdentifyLimit
    /// The most of an oversized body the server reads (and drops) so that a client that
    /// sends it all before reading still gets its 413; a body declared larger is answered
    /// at once and the connection closed.
    public var maxDrainBytes: Int
    /// Coupon verifications that may wait while every verifier thread (one per core) is
    /// busy; one more is answered 503 `server_busy` with `Retry-After`.
    public var verifyQueue: Int
    /// Verify on each request's own task, without the pool or its bound (for benchmarks:
    /// `serve --verify-inline`).
    public var verifyInline = false
    /// How coupons are opened; nil means ``WatermarkCouponVerifier`` with `decodeLimits`.
    public var verifier: (any CouponVerifier)?
    /// The time used for coupon validity and for records.
    public var clock: @Sendable () -> Date
    public var logLevel: Logger.Level
    /// How long `/healthz` waits for the database's `SELECT 1` before answering 503
    /// `database_unavailable`.
    public var healthTimeout: Duration = .seconds(2)
    /// The server is reached over HTTPS (through a proxy that terminates TLS): the web
    /// pages' cookies are marked `Secure`, so a browser never sends them in the clear.
    public var behindHTTPS = false
    /// How long a web session (a signed-in shopper or shop) lasts from sign-in.
    public var sessionLifetime: Duration = ServerConfiguration.defaultSessionLifetime

    public static let defaultMaxBodyBytes = 8 * 1024 * 1024
    /// 4,000,000 pixels: ten times a coupon's 800x400, about 16 MB of RGBA at most.
    public static let defaultMaxCouponPixels = 4_000_000
    public static let defaultVerifyQueue = 64
    public static let defaultMaxDrainBytes = 64 * 1024 * 1024
    public static let defaultJoinLimit = 60
    public static let defaultIdentifyLimit = 120
    public static let defaultJoinLimitTotal = 600
    public static let defaultSessionLifetime = Duration.seconds(12 * 3600)

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./data",
        maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes,
        decodeLimits: DecodeLimits = DecodeLimits(maxPixels: ServerConfiguration.defaultMaxCouponPixels),
        verifyQueue: Int = ServerConfiguration.defaultVerifyQueue, verifier: (any CouponVerifier)? = nil, clock: @escaping @Sendable () -> Date = { Date() },
        logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.maxBodyBytes = maxBodyBytes
        self.decodeLimits = decodeLimits
        self.verifyQueue = verifyQueue
        self.maxDrainBytes = ServerConfiguration.defaultMaxDrainBytes
        self.joinLimit = ServerConfiguration.defaultJoinLimit
        self.verifier = verifier
        self.clock = clock
        self.logLevel = logLevel
    }

    var effectiveVerifier: any CouponVerifier { verifier ?? WatermarkCouponVerifier(limits: decodeLimits) }
}
