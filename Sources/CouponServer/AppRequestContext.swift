public import Hummingbird
public import HummingbirdAuth
public import NIOCore

/// The request context of every route: Hummingbird's basic context plus the connection,
/// which `ProblemMiddleware` closes after a 413 it could not drain, and the web pages'
/// session (``WebSession``, loaded by hummingbird-auth's `SessionMiddleware` on the page
/// routes only; API requests never carry one).
public struct AppRequestContext: RequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    public let channel: any Channel
    /// The signed-in shopper's or shop's session, on the page routes.
    public let sessions: SessionContext<WebSession>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        sessions = SessionContext()
    }
}
