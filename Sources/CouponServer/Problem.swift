import CouponKit
import CouponStore
import Foundation
public import HTTPTypes
public import Hummingbird
import Logging
import NIOCore

/// An RFC 9457 problem: `{"type","title","status","detail","code"}` served as
/// `application/problem+json`. ``init(_:)`` is the one place where errors become HTTP.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    public let code: ReasonCode
    public let status: HTTPResponse.Status
    /// Human-readable; never holds tokens, keys or request bodies.
    public let detail: String

    public init(_ code: ReasonCode, status: HTTPResponse.Status? = nil, detail: String) {
        self.code = code
        self.status = status ?? HTTPResponse.Status(code: code.httpStatus)
        self.detail = detail
    }

    /// Maps any error thrown while serving a request.
    public init(_ error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as AuthError:
            switch error {
            case .unauthenticated: self.init(.unauthenticated, detail: "send Authorization: Bearer <token>")
            case .notAMember: self.init(.notAMember, detail: "this route is for members; the token is not a member's")
            case .forbidden(let why): self.init(.forbidden, detail: why)
            }
        case let error as RequestError:
            switch error {
            case .malformed(let why): self.init(.invalidRequest, status: .badRequest, detail: why)
            case .invalidValue(let why): self.init(.invalidRequest, status: .unprocessableContent, detail: why)
            case .tooLarge(let limit): self.init(.payloadTooLarge, detail: "the request body is over \(limit) bytes")
            }
        case MembershipError.invalid(let why):
            self.init(.invalidMember, detail: why)
        case let error as CatalogError:
            switch error {
            case .productNotFound(let id): self.init(.productNotFound, detail: "no product \(id)")
            case .couponNotFound(let id): self.init(.couponNotFound, detail: "no coupon for product \(id)")
            }
        case StoreError.corruptRow:
            // Every other StoreError names its code (ReasonCoded); a damaged row is a server fault.
            self.init(.internalError, detail: "the server failed to handle the request")
        case let coded as any ReasonCoded:
            self.init(coded.reasonCode, detail: String(describing: coded))
        case IdempotencyError.conflict:
            self.init(.idempotencyConflict, detail: "this Idempotency-Key was used with a different request body")
        case is NIOTooManyBytesError:
            self.init(.payloadTooLarge, detail: "the request body is too large")
        case let error as HTTPError where error.status == .notFound:
            self.init(.notFound, detail: "no such route")
        case let error as any HTTPResponseError where error.status.code < 500:
            self.init(.invalidRequest, status: error.status, detail: error.status.reasonPhrase)
        default:
            self.init(.internalError, detail: "the server failed to handle the request")
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    struct Body: Codable, Equatable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let code: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: code.typeURI, title: code.title, status: status.code, detail: detail, code: code.rawValue)
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try Self.encoder.encode(body))))
    }
}

/// Turns every error thrown below it (routes, the not-found responder) into problem+json.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error)
            if problem.code == .internalError {
                // The type only: messages may quote request data.
                context.logger.error("request failed: \(String(reflecting: type(of: error)))")
            }
            return try problem.response(from: request, context: context)
        }
    }
}
