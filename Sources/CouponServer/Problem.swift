import CouponAPI
import CouponKit
import CouponStore
import Foundation
public import HTTPTypes
public import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime

/// An RFC 9457 problem: `{"type","title","status","detail","code"}` served as
/// `application/problem+json`. `init(_:)` is the one place where errors become HTTP.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    public let code: ReasonCode
    public let status: HTTPResponse.Status
    /// Human-readable; never holds tokens, keys or request bodies.
    public let detail: String
    /// Sent with the problem (`Allow` on 405).
    public let headers: HTTPFields

    public init(_ code: ReasonCode, status: HTTPResponse.Status? = nil, detail: String, headers: HTTPFields = [:]) {
        self.code = code
        self.status = status ?? HTTPResponse.Status(code: code.httpStatus)
        self.detail = detail
        self.headers = headers
    }

    /// 405 for a known path called with another method, listing the path's methods.
    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> Problem {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return Problem(
            .methodNotAllowed, detail: "\(method.rawValue) is not allowed here; use \(allow)", headers: [.allow: allow])
    }

    /// Maps any error thrown while serving a request.
    public init(_ error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as ServerError:
            // The generated server wraps what the handler or a middleware threw. What is
            // not ours and the runtime itself calls a client error (4xx) is the request
            // failing to decode: a missing header, a wrong Content-Type, a bad body.
            if error.operationID == "joinMembership", case DecodingError.keyNotFound(let key, let context)? =
                error.underlyingError as? DecodingError, context.codingPath.isEmpty
            {
                // The document requires kind, name and email; the membership rules name
                // a missing one as they name an invalid one.
                self.init(.invalidMember, detail: "\(key.stringValue) is required")
                return
            }
            let inner = Problem(error.underlyingError)
            if inner.code == .internalError, (400..<500).contains(error.httpStatus.code) {
                self.init(.invalidRequest, status: .badRequest, detail: Self.describe(error.underlyingError))
            } else {
                self = inner
            }
        case let busy as ServerBusy:
            self.init(
                .serverBusy, detail: "every coupon verifier is busy; retry after \(busy.retryAfterSeconds) s",
                headers: [.retryAfter: String(busy.retryAfterSeconds)])
        case StoreError.busy(let seconds):
            self.init(
                .serverBusy, detail: StoreError.busy(retryAfterSeconds: seconds).description,
                headers: [.retryAfter: String(seconds)])
        case let error as RefusedOrder:
            self.init(error.underlying)
        case let error as DecodingError:
            self.init(.invalidRequest, status: .badRequest, detail: Self.describe(error))
        case let error as AuthError:
            switch error {
            case .unauthenticated: self.init(.unauthenticated, detail: "send Authorization: Bearer <token>")
            case .invalidToken: self.init(.unauthenticated, detail: "the token is not valid (unknown, or revoked)")
            case .notAMember: self.init(.notAMember, detail: "this route is for members; the token is not a member's")
            case .forbidden(let why): self.init(.forbidden, detail: why)
            }
        case let error as RequestError:
            switch error {
            case .malformed(let why): self.init(.invalidRequest, status: .badRequest, detail: why)
            case .invalidValue(let why): self.init(.invalidRequest, status: .unprocessableContent, detail: why)
            case .tooLarge(let limit, let closing):
                self.init(
                    .payloadTooLarge, detail: "the request body is over \(limit) bytes",
                    headers: closing ? [.connection: "close"] : [:])
            }
        case MembershipError.invalid(let why):
            self.init(.invalidMember, detail: why)
        case let error as CatalogError:
            switch error {
            case .productNotFound(let id): self.init(.productNotFound, detail: "no product \(id)")
            case .couponNotFound(let id): self.init(.couponNotFound, detail: "no coupon for product \(id)")
            case .noCoupon(let id):
                self.init(.noCoupon, detail: "product \(id) has no coupon to hand out (none listed, revoked, or retired)")
            case .serialNotFound:
                // The path's text is not echoed: it is not a serial.
                self.init(
                    .couponNotFound,
                    detail: "no coupon can carry that serial (1-64 of A-Z a-z 0-9 - _ ., not starting with a dot)")
            case .unknownPicture:
                self.init(.couponNotFound, detail: "the picture names a coupon that was never uploaded to this server")
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

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Components.Schemas.Problem(
            _type: code.typeURI, title: code.title, status: status.code, detail: detail,
            code: .init(rawValue: code.rawValue) ?? .internalError)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try WireFormat.encoder.encode(body))))
    }
}

extension Problem {
    /// The `detail` of a request that does not decode: which field is wrong and how,
    /// never the values themselves (they may hold secrets).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else {
            // The runtime's own errors (a missing required header, an unexpected
            // Content-Type) describe themselves without request data.
            return "the request does not match the API: \(error)"
        }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the body" : "`" + keys.map(\.stringValue).joined(separator: ".") + "`"
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty && context.underlyingError != nil { return "the body is not valid JSON" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "the body is not valid JSON"
        }
    }
}

/// Turns every error thrown below it (routes, the not-found responder) into problem+json.
/// A problem sent with `Connection: close` (a body too large to drain) closes the
/// connection once it is written: the client is still sending what nobody will read, and
/// Hummingbird would otherwise wait for it (or read it all, on a keep-alive connection).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error)
            if problem.code == .internalError {
                // The type only: messages may quote request data.
                let cause = (error as? ServerError)?.underlyingError ?? error
                context.logger.error("request failed: \(String(reflecting: type(of: cause)))")
            }
            var response = try problem.response(from: request, context: context)
            if problem.headers[.connection] == "close" {
                let (body, channel) = (response.body, context.channel)
                response.body = ResponseBody(contentLength: body.contentLength) { writer in
                    try await body.write(writer)
                    channel.close(promise: nil)
                }
            }
            return response
        }
    }
}
