import CouponAPI
import CouponKit
import CouponStore
import Foundation
import OpenAPIRuntime

/// The handlers of every operation of `openapi.yaml` (the generated `APIProtocol`), one
/// extension per area: catalog, members, orders, merchant. They return the documented
/// success; every refusal is thrown as a domain error and becomes problem+json in
/// ``Problem/init(_:)``. Who is calling comes from ``Caller``, set by ``Authenticator``.
struct APIService<Repository: CouponRepository>: APIProtocol {
    let repository: Repository
    let verifier: any CouponVerifier
    let clock: @Sendable () -> Date

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    /// The contract itself, the same bytes the client and server were generated from.
    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws
        -> Operations.GetOpenAPIDocument.Output
    {
        .ok(.init(body: .yaml(HTTPBody(OpenAPIDocument.bytes))))
    }
}
