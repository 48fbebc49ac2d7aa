import Fluent
import Foundation
import Metrics
import Prometheus
import SQLKit
import Vapor

/// The process's metrics: Vapor's request counters and latency histograms (by route pattern,
/// method and status), job outcomes counted by the worker, and gauges read from the database at
/// scrape time (job queue depth and age by kind). Exposed as Prometheus text at `/metrics`.
enum ReliefMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// The gauge `name` with `labels`, created on first use.
    static func gauge(_ name: String, labels: [(String, String)] = [], help: String)
        -> Prometheus.Gauge
    {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        return labels.isEmpty
            ? registry.makeGauge(descriptor: descriptor)
            : registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    private static let installed: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    /// Installs the Prometheus backend for swift-metrics (once per process).
    static func bootstrap() { _ = installed }

    /// Counts a finished job attempt: `succeeded`, `retried` or `dead`.
    static func jobFinished(kind: String, outcome: String) {
        Counter(
            label: "relief_job_attempts_total", dimensions: [("kind", kind), ("outcome", outcome)]
        )
        .increment()
    }

    /// Sets the queue gauges from the jobs table.
    static func refreshQueueGauges(on database: any Database, kinds: [String], now: Date)
        async throws
    {
        guard let sql = database as? any SQLDatabase else { return }
        let rows = try await sql.raw(
            """
            SELECT kind, state, COUNT(*) AS n, MIN(run_at) AS oldest FROM jobs
            WHERE state IN ('queued', 'failed', 'running', 'dead') GROUP BY kind, state
            """
        ).all()
        var counts: [String: [String: Int]] = [:]
        var oldestDue: [String: Date] = [:]
        for row in rows {
            let kind = try row.decode(column: "kind", as: String.self)
            let state = try row.decode(column: "state", as: String.self)
            counts[kind, default: [:]][state] = try row.decode(column: "n", as: Int.self)
            if state == "queued" || state == "failed",
                let oldest = try? row.decode(column: "oldest", as: Date.self), oldest <= now
            {
                oldestDue[kind] = min(oldestDue[kind] ?? oldest, oldest)
            }
        }
        for kind in Set(kinds).union(counts.keys) {
            for state in ["queued", "failed", "running", "dead"] {
                gauge(
                    "relief_jobs", labels: [("kind", kind), ("state", state)],
                    help: "Jobs by kind and state"
                ).set(Double(counts[kind]?[state] ?? 0))
            }
            gauge(
                "relief_job_oldest_due_seconds", labels: [("kind", kind)],
                help: "Age of the oldest due job that has not started"
            ).set(oldestDue[kind].map { max(0, now.timeIntervalSince($0)) } ?? 0)
        }
    }
}

extension ReliefMetrics {
    /// Sets the connection gauges: open live sockets on this node, this node's database pool
    /// size, and (PostgreSQL) the server's connections to this database by state, all nodes.
    static func refreshConnectionGauges(_ app: Application) async throws {
        gauge(
            "relief_websocket_connections", help: "Open live-update sockets on this node"
        ).set(Double(app.live.connectionCount))
        let loops = Double(app.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 })
        let perLoop: Int
        switch app.relief.config.database {
        case .postgres: perLoop = databasePoolPerEventLoop.postgres
        case .sqliteFile, .sqliteMemory: perLoop = databasePoolPerEventLoop.sqlite
        }
        gauge(
            "relief_db_pool_max_connections", help: "Database connections this node may open"
        ).set(loops * Double(perLoop))
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        let rows = try await sql.raw(
            """
            SELECT COALESCE(state, 'unknown') AS state, COUNT(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY state
            """
        ).all()
        var byState: [String: Int] = ["active": 0, "idle": 0, "idle in transaction": 0]
        for row in rows {
            byState[try row.decode(column: "state", as: String.self)] = try row.decode(
                column: "n", as: Int.self)
        }
        for (state, count) in byState {
            gauge(
                "relief_db_connections", labels: [("state", state)],
                help: "Server connections to this database by state (all nodes)"
            ).set(Double(count))
        }
    }
}

/// `GET /metrics`: Prometheus text. Open to loopback clients, or to anyone presenting
/// `Authorization: Bearer $RELIEF_METRICS_TOKEN`; others get 404.
struct MetricsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: metrics).access(.open)
    }

    func metrics(req: Request) async throws -> Response {
        guard allowed(req) else { throw Abort(.notFound) }
        try await ReliefMetrics.refreshQueueGauges(
            on: req.db, kinds: req.application.jobs.kinds, now: req.now)
        try await ReliefMetrics.refreshConnectionGauges(req.application)
        let response = Response(
            status: .ok, body: .init(string: ReliefMetrics.registry.emitToString()))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return response
    }

    private func allowed(_ req: Request) -> Bool {
        if let token = req.relief.config.metricsToken {
            return req.headers.bearerAuthorization.map {
                SecureToken.constantTimeEquals($0.token, token)
            } ?? false
        }
        guard let address = req.remoteAddress?.ipAddress else { return false }
        return address == "127.0.0.1" || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
