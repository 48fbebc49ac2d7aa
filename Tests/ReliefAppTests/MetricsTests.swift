import Fluent
import Testing
import Vapor

@testable import ReliefApp

@Suite("Metrics")
struct MetricsTests {
    @Test("/metrics needs the token and shows requests, latency and the job queue")
    func prometheusText() async throws {
        let token = "scrape-token-0123456789"
        try await withApp(metricsToken: token) { app, clock in
            try await app.testing().test(.GET, "/healthz")
            try await Jobs.enqueue(
                MaintenanceJob.self, .init(), organizationID: nil,
                runAt: clock.now.addingTimeInterval(-90), on: app.db, now: clock.now)
            try await app.testing().test(.GET, "/metrics") { response in
                #expect(response.status == .notFound)
            }
            let api = APIClient(app: app)
            #expect(
                try await api.call(.GET, "/metrics", token: "wrong-token-0123456789").status
                    == .notFound)
            let response = try await api.call(.GET, "/metrics", token: token)
            #expect(response.status == .ok)
            let text = response.body.string
            #expect(
                text.contains(#"http_requests_total{method="GET",path="/healthz",status="200"}"#))
            #expect(text.contains("http_request_duration_seconds_bucket"))
            #expect(text.contains(#"relief_jobs{kind="maintenance.prune",state="queued"} 1"#))
            #expect(text.contains(#"relief_job_oldest_due_seconds{kind="maintenance.prune"} 90"#))
            #expect(text.contains("relief_websocket_connections 0"))
            #expect(text.contains("relief_db_pool_max_connections"))
            if TestDatabase.isPostgres {
                #expect(text.contains(#"relief_db_connections{state="idle"}"#))
            }
        }
    }

    @Test("without a token, remote scrapers are refused")
    func loopbackOnly() async throws {
        try await withApp { app, _ in
            try await app.testing().test(.GET, "/metrics") { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
