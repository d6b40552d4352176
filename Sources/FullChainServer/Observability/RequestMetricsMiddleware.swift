import Hummingbird
import Prometheus
import Synchronization

/// Counts requests and records their duration per route, method and status, straight into the
/// Prometheus registry `/metrics` reads.
///
/// Cheaper than going through swift-metrics on every request: the metric handles for a
/// (route, method, status) are made once and then found with one lock and one hash lookup.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let handles: RequestMetricHandles

    init(registry: PrometheusCollectorRegistry) {
        self.handles = RequestMetricHandles(registry: registry)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            handles.record(route: context.endpointPath ?? "unknown", method: request.method, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            handles.record(route: context.endpointPath ?? "unknown", method: request.method, status: status, since: start)
            throw error
        }
    }
}

/// The counters and histograms made so far, by route, method and status.
final class RequestMetricHandles: Sendable {
    struct Key: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: Int
    }

    struct Handles: Sendable {
        var requests: Prometheus.Counter
        var duration: DurationHistogram
    }

    /// Histogram buckets from 1 ms to 10 s.
    static let buckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000].map { .milliseconds($0) }

    static var requestsName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered")
    }
    static var durationName: MetricNameDescriptor {
        MetricNameDescriptor(metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer an HTTP request")
    }

    private let registry: PrometheusCollectorRegistry
    private let made = Mutex<[Key: Handles]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func record(route: String, method: HTTPRequest.Method, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let key = Key(route: route, method: method, status: status)
        let handles = made.withLock { made in
            if let existing = made[key] { return existing }
            let labels = [("route", route), ("method", method.rawValue), ("status", String(status))]
            let new = Handles(
                requests: registry.makeCounter(descriptor: Self.requestsName, labels: labels),
                duration: registry.makeDurationHistogram(descriptor: Self.durationName, labels: labels, buckets: Self.buckets)
            )
            made[key] = new
            return new
        }
        handles.requests.increment()
        handles.duration.record(elapsed)
    }
}
