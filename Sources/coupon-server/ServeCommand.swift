import ArgumentParser
import CommandLineEntry
import CouponServer
import CouponStore
import Hummingbird
import Logging
import ImageCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (SQLite under --data, or PostgreSQL with --postgres). Stops gracefully on SIGINT/SIGTERM.",
        discussion: """
            With --postgres (or COUPONMARK_POSTGRES_URL) any number of instances may serve \
            one database: the schema is migrated at start (safely when several start at once) \
            and redemption limits, idempotency keys and member emails hold across instances.
            """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8080
    @OptionGroup var store: StoreOptions
    @Option(help: "Largest request body in bytes.") var maxBodyBytes = ServerConfiguration.defaultMaxBodyBytes
    @Option(
        name: [.customLong("max-coupon-pixels"), .customLong("max-pixels")],
        help: "Largest coupon image in pixels (width x height), judged from the PNG header before decoding.")
    var maxCouponPixels = ServerConfiguration.defaultMaxCouponPixels
    @Option(help: "Coupon verifications that may wait behind the verifier threads (one per core); more get 503.")
    var verifyQueue = ServerConfiguration.defaultVerifyQueue
    @Flag(help: ArgumentHelp("Verify on each request's own task, unbounded (for benchmarks only).", visibility: .hidden))
    var verifyInline = false
    @Option(help: "Joins allowed per client address and minute (0: no limit); more get 429.")
    var joinLimit = ServerConfiguration.defaultJoinLimit
    @Option(help: "Joins allowed per minute from all addresses together (0: no limit); more get 429.")
    var joinLimitTotal = ServerConfiguration.defaultJoinLimitTotal
    @Option(
        help: "Pictures searched for the robust layer (identify, and orders with a copy) per member or merchant and minute (0: no limit); more get 429.")
    var identifyLimit = ServerConfiguration.defaultIdentifyLimit
    @Option(help: "The most of an oversized body read (and dropped) so that its sender still gets the 413.")
    var maxDrainBytes = ServerConfiguration.defaultMaxDrainBytes
    @Flag(help: "The server is reached over HTTPS through a proxy: mark the web pages' session cookies Secure.")
    var behindHttps = false
    @Option(help: "Minutes a web session (a shopper or shop signed in on the pages) lasts.")
    var sessionMinutes = Int(ServerConfiguration.defaultSessionLifetime.components.seconds / 60)
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).") var logLevel = "info"
    @Option(help: "Log lines as text, or as one JSON object per line (json), on standard error.")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxBodyBytes > 0, maxCouponPixels > 0 else { throw ValidationError("limits must be positive") }
        guard verifyQueue >= 0, joinLimit >= 0, joinLimitTotal >= 0, identifyLimit >= 0, maxDrainBytes >= 0 else {
            throw ValidationError(
                "--verify-queue, --join-limit, --join-limit-total, --identify-limit and --max-drain-bytes must be 0 or more")
        }
        guard (1...43_200).contains(sessionMinutes) else { throw ValidationError("--session-minutes must be 1...43200 (30 days)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        // Before any logger exists (the store's, the server's). Process-wide, so only here:
        // `serve` runs once per process, while the tests build many servers in one. Text
        // is swift-log's default handler (standard error).
        if logFormat == .json { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        var configuration = ServerConfiguration(
            host: host, port: port, dataDirectory: store.dataDirectory, maxBodyBytes: maxBodyBytes,
            decodeLimits: DecodeLimits(maxPixels: maxCouponPixels), verifyQueue: verifyQueue, logLevel: Logger.Level(rawValue: logLevel) ?? .info)
        configuration.joinLimit = joinLimit
        configuration.joinLimitTotal = joinLimitTotal
        configuration.identifyLimit = identifyLimit
        configuration.verifyInline = verifyInline
        configuration.maxDrainBytes = maxDrainBytes
        configuration.behindHTTPS = behindHttps
        configuration.sessionLifetime = .seconds(sessionMinutes * 60)
        let level = configuration.logLevel
        // PostgreSQL's connection pool is one of the application's services: it runs
        // beside the HTTP server and closes after the server has finished its requests.
        try await store.withStore(logLevel: level, runningPool: false) { opened in
            let app: any ApplicationProtocol
            do {
                app =
                    switch opened {
                    case .sqlite(let repository, _): try buildApplication(configuration, repository: repository)
                    case .postgres(let repository):
                        try buildApplication(configuration, repository: repository, services: [repository])
                    }
            } catch {
                throw ContextualFailure("cannot start on \(opened.name)", error, exitCode: .serverFailure)
            }
            do {
                try await app.runService()
            } catch let error as StoreError {
                // The reveal key made or read before the server listens.
                throw ContextualFailure("cannot start on \(opened.name)", error, exitCode: .serverFailure)
            }
        }
    }
}
