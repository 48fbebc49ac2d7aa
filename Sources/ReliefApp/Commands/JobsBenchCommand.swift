import ConsoleKit
import Fluent
import Foundation
import SQLKit
import Vapor

/// `relief jobs bench`: measures the job queue on the configured database. Phase 1 enqueues
/// `--count` no-op jobs and lets `--workers` workers drain them (jobs per second). Phase 2
/// enqueues at a steady rate (half the measured throughput unless `--rate`) while the workers
/// run, and reports the delay from `run_at` to the claim (p50, p99). Prints one JSON line.
struct JobsBenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "Jobs in the throughput phase (default 100000).")
        var count: Int?
        @Option(name: "workers", help: "Worker loops (default 4).")
        var workers: Int?
        @Option(name: "concurrency", help: "Jobs each worker runs at once (default 16).")
        var concurrency: Int?
        @Option(name: "rate", help: "Jobs per second in the latency phase.")
        var rate: Int?
        @Option(name: "seconds", help: "Length of the latency phase (default 10).")
        var seconds: Int?
    }

    var help: String { "Benchmarks the job queue (writes and deletes bench.noop jobs)." }

    struct NoOp: JobHandler {
        struct Payload: Codable, Sendable { var n: Int }
        static let kind = "bench.noop"
        func run(_ payload: Payload, context: JobContext) async throws {}
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let sql = app.db as? any SQLDatabase else { return }
        app.jobs.register(NoOp())
        try await sql.raw("DELETE FROM jobs WHERE kind = \(bind: NoOp.kind)").run()
        let count = signature.count ?? 100_000
        var options = JobWorker.Options()
        options.concurrency = signature.concurrency ?? 16
        options.batchSize = options.concurrency
        options.pollInterval = 0.01

        // Phase 1: enqueue a backlog, then drain it.
        let enqueueStart = Date()
        var next = 0
        while next < count {
            let start = next
            let end = min(count, next + 1000)
            try await app.db.transaction { database in
                for n in start..<end {
                    try await Jobs.enqueue(
                        NoOp.self, .init(n: n), organizationID: nil, on: database, now: Date())
                }
            }
            next = end
        }
        let enqueueSeconds = Date().timeIntervalSince(enqueueStart)
        let workers = (0..<(signature.workers ?? 4)).map { _ in
            JobWorker(application: app, options: options)
        }
        let drainStart = Date()
        let tasks = workers.map { worker in Task { await worker.run() } }
        while try await remaining(sql) > 0 { try await Task.sleep(nanoseconds: 100_000_000) }
        let drainSeconds = Date().timeIntervalSince(drainStart)
        let throughput = Double(count) / drainSeconds
        try await sql.raw("DELETE FROM jobs WHERE kind = \(bind: NoOp.kind)").run()

        // Phase 2: steady arrivals below capacity; delay from run_at to claim.
        let rate = Double(signature.rate ?? max(1, Int(throughput / 2)))
        let duration = Double(signature.seconds ?? 10)
        let phaseStart = Date()
        var sent = 0
        while Date().timeIntervalSince(phaseStart) < duration {
            let due = Int(Date().timeIntervalSince(phaseStart) * rate)
            if due > sent {
                let batch = min(due - sent, 10)
                let offset = sent
                try await app.db.transaction { database in
                    for n in 0..<batch {
                        try await Jobs.enqueue(
                            NoOp.self, .init(n: offset + n), organizationID: nil, on: database,
                            now: Date())
                    }
                }
                sent += batch
            } else {
                try await Task.sleep(nanoseconds: 2_000_000)
            }
        }
        while try await remaining(sql) > 0 { try await Task.sleep(nanoseconds: 100_000_000) }
        for worker in workers { await worker.stop() }
        for task in tasks { await task.value }
        let delays = try await Job.query(on: app.db).filter(\.$kind == NoOp.kind).all()
            .compactMap { job in job.startedAt.map { $0.timeIntervalSince(job.runAt) * 1000 } }
            .sorted()
        try await sql.raw("DELETE FROM jobs WHERE kind = \(bind: NoOp.kind)").run()

        func percentile(_ p: Double) -> Double {
            guard !delays.isEmpty else { return 0 }
            return delays[min(delays.count - 1, Int((Double(delays.count) * p).rounded(.up)) - 1)]
        }
        let result: [String: Any] = [
            "database": app.relief.config.database.redacted.hasPrefix("postgres")
                ? "postgresql" : "sqlite",
            "jobs": count, "workers": workers.count, "concurrency": options.concurrency,
            "enqueue_per_second": (Double(count) / enqueueSeconds).rounded(),
            "jobs_per_second": throughput.rounded(),
            "latency_target_per_second": rate,
            "latency_achieved_per_second": (Double(delays.count) / duration).rounded(),
            "latency_jobs": delays.count,
            "latency_p50_ms": (percentile(0.50) * 10).rounded() / 10,
            "latency_p99_ms": (percentile(0.99) * 10).rounded() / 10,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        context.console.print(String(decoding: data, as: UTF8.self))
    }

    /// Jobs not finished yet, counted through the partial indexes (ready, then running).
    private func remaining(_ sql: any SQLDatabase) async throws -> Int {
        var total = 0
        for predicate in ["state IN ('queued', 'failed')", "state = 'running'"] {
            let row = try await sql.raw(
                "SELECT COUNT(*) AS n FROM jobs WHERE \(unsafeRaw: predicate)"
            )
            .first()
            total += try row?.decode(column: "n", as: Int.self) ?? 0
        }
        return total
    }
}

/// `relief jobs ...`.
struct JobsCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["bench": JobsBenchCommand()] }
    var help: String { "Job queue tools." }
}
