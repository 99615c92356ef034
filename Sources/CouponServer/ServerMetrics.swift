import CouponKit
import Metrics
public import Prometheus

/// What `GET /metrics` reports, in the Prometheus text format: the metrics are
/// swift-metrics `Counter`s and `Timer`s made by a `PrometheusMetricsFactory` over this
/// server's own `PrometheusCollectorRegistry`.
///
/// The registry belongs to the application (`buildApplication(_:repository:metrics:)`
/// makes one unless given one), never to the process: the tests build many servers in one
/// process and each must count only its own requests, so nothing here touches the global
/// `MetricsSystem` (no library the server uses reports through it either; Hummingbird's
/// `MetricsMiddleware` does, so `RequestMetrics` records the same things here instead).
///
/// - `http_requests_total{route,method,status}` and `http_request_duration_seconds{...}`
///   (histogram): every response, by route template (`/v1/products/{product_id}`, never a
///   raw path; Hummingbird's `NotFound` for unknown paths), method and status.
/// - `couponmark_orders_settled_total`: orders settled (replays of an idempotency key are
///   not settlements).
/// - `couponmark_orders_refused_total{code}`: members' orders refused, by problem `code`.
/// - `couponmark_verification_duration_seconds` (histogram): coupon verifications, on
///   the verifier threads (refused coupons included).
/// - `couponmark_verification_wait_seconds` (histogram): from a verification's admission
///   to the pool to its start on a verifier thread.
/// - `couponmark_database_connections_leased` (gauge, PostgreSQL only): pooled connections
///   leased when the scrape was answered; 0 on an idle instance.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    static let requests = "http_requests_total"
    static let requestDuration = "http_request_duration_seconds"
    static let settled = "couponmark_orders_settled_total"
    static let refused = "couponmark_orders_refused_total"
    static let verification = "couponmark_verification_duration_seconds"
    static let verificationWait = "couponmark_verification_wait_seconds"
    static let leasedConnections = "couponmark_database_connections_leased"

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // A verification takes milliseconds to a second; waiting for a thread, from
        // nothing (an idle pool) to seconds (a full queue).
        let fine: [Duration] = [
            .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2500), .seconds(5),
        ]
        factory.durationHistogramBuckets = [Self.verification: fine, Self.verificationWait: fine]
        self.factory = factory
        // The order counters exist from the start, so a scrape sees 0 rather than nothing.
        _ = Counter(label: Self.settled, factory: factory)
    }

    /// One response (or a request that failed without one, as 500).
    func request(route: String, method: String, status: Int, duration: Duration) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: Self.requests, dimensions: dimensions, factory: factory).increment()
        Timer(label: Self.requestDuration, dimensions: dimensions, factory: factory).record(duration: duration)
    }

    func orderSettled() {
        Counter(label: Self.settled, factory: factory).increment()
    }

    func orderRefused(_ code: ReasonCode) {
        Counter(label: Self.refused, dimensions: [("code", code.rawValue)], factory: factory).increment()
    }

    /// A verification that waited `wait` for a verifier thread and then ran for `run`.
    func verified(wait: Duration, run: Duration) {
        Timer(label: Self.verificationWait, factory: factory).record(duration: wait)
        Timer(label: Self.verification, factory: factory).record(duration: run)
    }

    /// The store's leased connections at this moment (stores with a pool).
    func databaseConnections(leased: Int) {
        Gauge(label: Self.leasedConnections, factory: factory).record(leased)
    }

    /// The text exposition format (0.0.4) of every metric.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
