import CouponStore
import Foundation
public import Hummingbird
import Logging

/// The request context of every route.
public typealias AppRequestContext = BasicRequestContext

/// Builds the server on the embedded SQLite store under `configuration.dataDirectory`
/// (the first start creates reveal-key epoch 1). `@main` and the tests both call it.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    try await buildApplication(configuration, repository: SQLiteStore(dataDirectory: configuration.dataDirectory))
}

/// Builds the server on any store (SQLite now, PostgreSQL later).
public func buildApplication<Repository: CouponRepository>(
    _ configuration: ServerConfiguration, repository: Repository
) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "coupon-server")
    logger.logLevel = configuration.logLevel
    try await repository.ensureRevealKey()
    let router = try buildRouter(configuration, repository: repository)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "coupon-server"),
        logger: logger)
}

/// Every route of openapi.yaml (served at `GET /openapi.yaml`). Errors become problem+json in
/// ``ProblemMiddleware``; ``RequestLogMiddleware`` logs one line per request.
public func buildRouter<Repository: CouponRepository>(
    _ configuration: ServerConfiguration, repository: Repository
) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware())
    let auth = Authenticator(repository: repository)
    let verifier = configuration.effectiveVerifier
    router.addRoutes(try SystemController().endpoints)
    router.addRoutes(CatalogController(repository: repository).endpoints, atPath: "/v1/products")
    router.addRoutes(
        MembersController(repository: repository, auth: auth, clock: configuration.clock, maxBodyBytes: configuration.maxBodyBytes).endpoints,
        atPath: "/v1")
    router.addRoutes(
        OrdersController(
            repository: repository, auth: auth, verifier: verifier, clock: configuration.clock,
            maxBodyBytes: configuration.maxBodyBytes
        ).endpoints, atPath: "/v1/orders")
    router.addRoutes(
        MerchantController(
            repository: repository, auth: auth, verifier: verifier, clock: configuration.clock,
            maxBodyBytes: configuration.maxBodyBytes
        ).endpoints, atPath: "/v1/merchant")
    return router
}
