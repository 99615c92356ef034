import CouponAPI
import CouponStore
import Foundation
public import Hummingbird
import Logging
import OpenAPIRuntime


/// Builds the server on the embedded SQLite store under `configuration.dataDirectory`
/// (the first start creates reveal-key epoch 1). `@main` and the tests both call it.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    try await buildApplication(configuration, repository: SQLiteStore(dataDirectory: configuration.dataDirectory))
}

/// Builds the server on any store: `SQLiteStore`, or `CouponPostgres`'s `PostgresStore` (several
/// instances over one database). `metrics` is what `/metrics` reports: a fresh registry
/// unless the caller wants to read it too.
public func buildApplication<Repository: CouponRepository>(
    _ configuration: ServerConfiguration, repository: Repository, metrics: ServerMetrics = ServerMetrics()
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "coupon-server")
    logger.logLevel = configuration.logLevel
    try await repository.ensureRevealKey()
    let router = try buildRouter(configuration, repository: repository, logger: logger, metrics: metrics)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "coupon-server"),
        logger: logger)
}

/// Every operation of `openapi.yaml` (including `GET /openapi.yaml` itself), generated
/// from the document and handled by `APIService`; other methods of its paths answer
/// 405. Outermost first: `RequestIdentifier` names the request (`X-Request-Id`, and
/// in every log line of it); Hummingbird's `LogRequestsMiddleware` logs one line per
/// request (method and path, never headers or bodies: tokens travel in headers);
/// `RequestMetrics` counts and times the response; errors become problem+json in
/// `ProblemMiddleware`.
public func buildRouter<Repository: CouponRepository>(
    _ configuration: ServerConfiguration, repository: Repository,
    logger: Logger = Logger(label: "coupon-server"), metrics: ServerMetrics = ServerMetrics()
) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIdentifier())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: RequestMetrics(metrics: metrics))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: ClientAddressMiddleware())
    let routes = RouteTable(router: router)
    let limits = AdmissionLimits(
        repository: repository, joinPerAddress: configuration.joinLimit, joinTotal: configuration.joinLimitTotal,
        robustSearches: configuration.identifyLimit, clock: configuration.clock)
    let service = APIService(
        repository: repository, verifier: configuration.effectiveVerifier,
        verifications: configuration.verifyInline
            ? .unbounded(metrics: metrics) : VerificationPool(queue: configuration.verifyQueue, metrics: metrics),
        clock: configuration.clock, metrics: metrics, healthTimeout: configuration.healthTimeout,
        decodeLimits: configuration.decodeLimits, limits: limits)
    try service.registerHandlers(
        on: routes, configuration: WireFormat.configuration,
        middlewares: [
            JoinRateLimit(limits: limits),
            Authenticator(repository: repository),
            OrderRefusals(repository: repository, clock: configuration.clock, logger: logger, metrics: metrics),
            RequestIntake(maxBodyBytes: configuration.maxBodyBytes, maxDrainBytes: configuration.maxDrainBytes),
        ])
    routes.answerOtherMethods()
    return router
}
