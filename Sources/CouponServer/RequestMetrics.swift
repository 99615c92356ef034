import Hummingbird

/// Counts every response and times it, by route template, method and status
/// (``ServerMetrics``). It sits outside `ProblemMiddleware`, so refusals are counted with
/// the status they were answered with. The time runs until the response is handed to
/// the server (bodies here are small and written at once).
///
/// Hummingbird's own `MetricsMiddleware` records the same dimensions, but through the
/// process-global `MetricsSystem`; this one records into the application's registry.
struct RequestMetrics<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: Int(response.status.code), since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context, status: Int(status), since: start)
            throw error
        }
    }

    /// The route is the template the router matched (`{product_id}`, not the id), so
    /// the number of label values stays that of the routes.
    private func record(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        metrics.request(
            route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status,
            duration: ContinuousClock.now - start)
    }
}
