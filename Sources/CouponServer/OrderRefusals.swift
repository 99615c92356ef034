import CouponKit
import CouponStore
import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Records every refused order in the member's history (but those refused by a rate
/// limit, which are only counted): everything that fails after the
/// member is known (`Authenticator` runs first), from a missing `Idempotency-Key` or a
/// body the generated server cannot decode to the coupon rules. A refused order changes
/// nothing else. The handler reports what it had learnt (product, coupon serial) by
/// throwing a `RefusedOrder`. Every refusal, recorded or not (a busy server, a fault),
/// is counted by its code in ``ServerMetrics``.
struct OrderRefusals<Repository: MemberRepository>: ServerMiddleware {
    let repository: Repository
    let clock: @Sendable () -> Date
    let logger: Logger
    let metrics: ServerMetrics

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String, next: MiddlewareNext
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == "createOrder", case .member(let memberId)? = Caller.current else {
            return try await next(request, body, metadata)
        }
        return try await recording(memberId: memberId) { try await next(request, body, metadata) }
    }

    /// Runs an order (`body`) and records its refusal in the member's history: the API's
    /// route and the web terminal's order form both place orders through here.
    func recording<T: Sendable>(memberId: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            let problem = Problem(error)
            metrics.orderRefused(problem.code)
            // A rate-limited order is counted, not recorded: a flood must not become rows.
            if (400..<500).contains(problem.status.code), problem.code != .rateLimited {
                let trail = Self.refusal(in: error)?.trail
                let rejection = Rejection(
                    at: Timestamp.string(clock()), code: problem.code.rawValue, couponSerial: trail?.couponSerial,
                    productId: trail?.productId)
                do {
                    try await repository.recordRejection(rejection, memberId: memberId)
                } catch {
                    logger.error("could not record a rejection: \(String(reflecting: type(of: error)))")
                }
            }
            throw problem
        }
    }

    private static func refusal(in error: any Error) -> RefusedOrder? {
        if let refused = error as? RefusedOrder { return refused }
        if let server = error as? ServerError { return refusal(in: server.underlyingError) }
        return nil
    }
}

/// An order refused by the handler, with what its history row can say.
struct RefusedOrder: Error {
    struct Trail {
        var productId: String?
        var couponSerial: String?
    }

    let underlying: any Error
    let trail: Trail
}
