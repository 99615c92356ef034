public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's basic context plus the connection,
/// which `ProblemMiddleware` closes after a 413 it could not drain.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
