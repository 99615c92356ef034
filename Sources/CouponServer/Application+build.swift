import CouponAPI
import CouponStore
import Foundation
public import Hummingbird
import Logging
import OpenAPIRuntime
public import ServiceLifecycle


/// Builds the server on the store it is given: `CouponSQLite`'s `SQLiteStore`, or
/// `CouponPostgres`'s `PostgresStore` (several instances over one database); the server
/// never opens a store itself. `services` run in the application's `ServiceGroup` beside
/// the HTTP server and are shut down after it (so requests in flight finish first): the
/// PostgreSQL store's connection pool is one. `metrics` is what `/metrics` reports: a
/// fresh registry unless the caller wants to read it too. The first start creates
/// reveal-key epoch 1.
public func buildApplication<Repository: CouponRepository>(
    _ configuration: ServerConfiguration, repository: Repository, services: [any Service] = [],
    metrics: ServerMetrics = ServerMetrics()
) throws -> some ApplicationProtocol {
    var logger = Logger(label: "coupon-server")
    logger.logLevel = configuration.logLevel
    let router = try buildRouter(configuration, repository: repository, logger: logger, metrics: metrics)
    var application = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "coupon-server"),
        services: services,
        logger: logger)
    // After the services have started (a PostgreSQL pool must be running to answer),
    // before the server listens.
    // The server's signing key (personal copies' bindings) is made on the first start.
    application.beforeServerStarts {
        try await repository.ensureRevealKey()
        _ = try await repository.ensureServerKeys(at: Date())
    }
    return application
}

/// Every operation of `openapi.yaml` (including `GET /openapi.yaml` itself), generated
/// from the document and handled by `APIService`; other methods of its paths answer
/// 405. Outermost first: `RequestIdentifier` names the request (`X-Request-Id`, and
/// in every log line of it); Hummingbird's `LogRequestsMiddleware` logs one line per
/// request (method and path, never headers or bodies: tokens travel in headers);
/// `RequestMetrics` counts and times the response; errors become problem+json in
/// `ProblemMiddleware`. Beside the API, the web terminals' pages (`WebTerminal`):
/// the shopper's on `/`, the shop's on `/merchant`, the stylesheet under `/static`.
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
        clock: configuration.clock, metrics: metrics, healthTimeout: configuration.healthTimeout, limits: limits)
    let refusals = OrderRefusals(repository: repository, clock: configuration.clock, logger: logger, metrics: metrics)
    try service.registerHandlers(
        on: routes, configuration: WireFormat.configuration,
        middlewares: [
            JoinRateLimit(limits: limits),
            Authenticator(repository: repository),
            refusals,
            RequestIntake(maxBodyBytes: configuration.maxBodyBytes, maxDrainBytes: configuration.maxDrainBytes),
        ])
    routes.answerOtherMethods()
    guard let staticFolder = Bundle.module.url(forResource: "Static", withExtension: nil) else {
        throw WebSetupError.missingResource("Static")
    }
    WebTerminal(
        service: service, repository: repository, renderer: try PageRenderer(),
        refusals: refusals,
        limits: limits, maxBodyBytes: configuration.maxBodyBytes, decodeLimits: configuration.decodeLimits,
        secureCookies: configuration.behindHTTPS, sessionLifetime: configuration.sessionLifetime, clock: configuration.clock
    ).register(on: router, staticFolder: staticFolder.path)
    return router
}
