import Fluent
import NIOConcurrencyHelpers
import ReliefCore
import SQLKit
import Testing
import Vapor

@testable import ReliefApp

/// Records what test jobs did.
final class JobLog: Sendable {
    let runs = NIOLockedValueBox<[String]>([])
    func append(_ value: String) { runs.withLockedValue { $0.append(value) } }
    var all: [String] { runs.withLockedValue { $0 } }
}

struct EchoJob: JobHandler {
    struct Payload: Codable, Sendable { var text: String }
    static let kind = "test.echo"
    let log: JobLog
    func run(_ payload: Payload, context: JobContext) async throws { log.append(payload.text) }
}

struct FailingJob: JobHandler {
    struct Payload: Codable, Sendable {}
    static let kind = "test.failing"
    static let retryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 60, maxDelay: 600)
    let log: JobLog
    func run(_ payload: Payload, context: JobContext) async throws {
        log.append("attempt \(context.attempt)")
        throw Abort(.badGateway, reason: "provider unavailable")
    }
}

struct SlowJob: JobHandler {
    struct Payload: Codable, Sendable {}
    static let kind = "test.slow"
    func run(_ payload: Payload, context: JobContext) async throws {
        try await Task.sleep(nanoseconds: 30_000_000_000)
    }
}

/// Waits until `condition` holds (or fails the test after `seconds`).
func eventually(
    _ what: String, within seconds: Double = 60, _ condition: () async throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    Issue.record("timed out waiting for \(what)")
}

extension JobWorker.Options {
    static let fast: JobWorker.Options = {
        var options = JobWorker.Options()
        options.pollInterval = 0.02
        options.scheduleInterval = 0.05
        options.shutdownGrace = 0.3
        return options
    }()
}

@Suite("Durable jobs")
struct JobQueueTests {
    @Test("a job exists if and only if the enqueueing transaction commits")
    func transactional() async throws {
        try await withApp { app, clock in
            _ = try await app.db.transaction { database in
                try await Jobs.enqueue(
                    EchoJob.self, .init(text: "kept"), organizationID: nil, on: database,
                    now: clock.now)
            }
            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await app.db.transaction { database in
                    try await Jobs.enqueue(
                        EchoJob.self, .init(text: "lost"), organizationID: nil, on: database,
                        now: clock.now)
                    throw Rollback()
                }
            }
            let payloads = try await Job.query(on: app.db).all().map(\.payload)
            #expect(payloads == [#"{"text":"kept"}"#])
        }
    }

    @Test("enqueueing with a unique key is idempotent, also inside a transaction")
    func uniqueKeys() async throws {
        try await withApp { app, clock in
            let first = try await Jobs.enqueue(
                EchoJob.self, .init(text: "a"), organizationID: nil, uniqueKey: "welcome:1",
                on: app.db, now: clock.now)
            try await app.db.transaction { database in
                let second = try await Jobs.enqueue(
                    EchoJob.self, .init(text: "b"), organizationID: nil, uniqueKey: "welcome:1",
                    on: database, now: clock.now)
                #expect(!second)
                // The transaction is still usable after the ignored conflict.
                try await Jobs.enqueue(
                    EchoJob.self, .init(text: "c"), organizationID: nil, uniqueKey: "welcome:2",
                    on: database, now: clock.now)
            }
            #expect(first)
            #expect(try await Job.query(on: app.db).count() == 2)
        }
    }

    @Test("workers run every due job once, and leave future jobs alone")
    func runsJobs() async throws {
        try await withApp { app, clock in
            let log = JobLog()
            app.jobs.register(EchoJob(log: log))
            for index in 0..<60 {
                try await Jobs.enqueue(
                    EchoJob.self, .init(text: "\(index)"), organizationID: nil, on: app.db,
                    now: clock.now)
            }
            try await Jobs.enqueue(
                EchoJob.self, .init(text: "later"), organizationID: nil,
                runAt: clock.now.addingTimeInterval(3600), on: app.db, now: clock.now)
            let workers = (0..<3).map { _ in JobWorker(application: app, options: .fast) }
            let running = workers.map { worker in Task { await worker.run() } }
            try await eventually("60 jobs") {
                try await Job.query(on: app.db).filter(\.$kind == EchoJob.kind)
                    .filter(\.$state == .succeeded).count() == 60
            }
            #expect(Set(log.all) == Set((0..<60).map(String.init)))
            #expect(log.all.count == 60, "no job ran twice")
            #expect(!log.all.contains("later"))
            clock.advance(3601)
            try await eventually("the later job") { log.all.contains("later") }
            for worker in workers { await worker.stop() }
            for task in running { await task.value }
        }
    }

    @Test("failures retry with backoff, then the job is dead with its error")
    func retriesThenDead() async throws {
        try await withApp { app, clock in
            let log = JobLog()
            app.jobs.register(FailingJob(log: log))
            try await Jobs.enqueue(
                FailingJob.self, .init(), organizationID: nil, on: app.db, now: clock.now)
            let worker = JobWorker(application: app, options: .fast)
            let task = Task { await worker.run() }
            try await eventually("first attempt") {
                try await Job.query(on: app.db).filter(\.$kind == FailingJob.kind).first()?
                    .state == .failed
            }
            let failed = try #require(
                try await Job.query(on: app.db).filter(\.$kind == FailingJob.kind).first())
            #expect(failed.lastError?.contains("provider unavailable") == true)
            let delay = failed.runAt.timeIntervalSince(clock.now)
            #expect(delay >= 30 && delay <= 90, "first retry after 60 s ± jitter, was \(delay)")
            clock.advance(100)
            // The failure is stored (with its next run time, from the clock) after the attempt
            // logs: advance only once it is, or a slow machine schedules the retry after the jump.
            try await eventually("second attempt") {
                guard log.all.count == 2,
                    let job = try await Job.query(on: app.db).filter(\.$kind == FailingJob.kind)
                        .first()
                else { return false }
                return job.state == .failed && job.attempts == 2
            }
            clock.advance(200)
            try await eventually("dead") {
                try await Job.query(on: app.db).filter(\.$kind == FailingJob.kind).first()?
                    .state == .dead
            }
            #expect(log.all == ["attempt 1", "attempt 2", "attempt 3"])
            await worker.stop()
            await task.value
        }
    }

    @Test("a payload that no longer decodes goes straight to dead")
    func unreadablePayload() async throws {
        try await withApp { app, clock in
            app.jobs.register(EchoJob(log: JobLog()))
            try await Jobs.enqueueRaw(
                kind: EchoJob.kind, payload: #"{"wrong":1}"#, organizationID: nil, runAt: clock.now,
                uniqueKey: nil, maxAttempts: 5, on: app.db, now: clock.now)
            let worker = JobWorker(application: app, options: .fast)
            let task = Task { await worker.run() }
            try await eventually("dead") {
                try await Job.query(on: app.db).filter(\.$kind == EchoJob.kind).first()?
                    .state == .dead
            }
            let job = try #require(
                try await Job.query(on: app.db).filter(\.$kind == EchoJob.kind).first())
            #expect(job.attempts == 1)
            #expect(job.lastError?.contains("does not decode") == true)
            await worker.stop()
            await task.value
        }
    }

    @Test("a job whose worker died runs again when its lease lapses")
    func leaseLapse() async throws {
        try await withApp { app, clock in
            let log = JobLog()
            app.jobs.register(EchoJob(log: log))
            try await Jobs.enqueue(
                EchoJob.self, .init(text: "orphan"), organizationID: nil, on: app.db, now: clock.now
            )
            let queue = JobQueue(database: try #require(app.db as? any SQLDatabase))
            let ghost = try await queue.claim(
                kinds: [EchoJob.kind], limit: 5, worker: "ghost", now: clock.now, lease: 60)
            #expect(ghost.count == 1)
            #expect(
                try await queue.claim(
                    kinds: [EchoJob.kind], limit: 5, worker: "other", now: clock.now, lease: 60
                ).isEmpty)
            clock.advance(61)
            let worker = JobWorker(application: app, options: .fast)
            let task = Task { await worker.run() }
            try await eventually("re-run") { log.all == ["orphan"] }
            try await eventually("succeeded") {
                try await Job.query(on: app.db).filter(\.$kind == EchoJob.kind).first()?
                    .state == .succeeded
            }
            #expect(
                try await Job.query(on: app.db).filter(\.$kind == EchoJob.kind).first()?
                    .attempts == 2)
            // The dead worker's late completion changes nothing.
            try await queue.succeed([ghost[0].id], worker: "ghost", now: clock.now)
            #expect(
                try await Job.query(on: app.db).filter(\.$kind == EchoJob.kind).first()?
                    .lockedBy == nil)
            await worker.stop()
            await task.value
        }
    }

    @Test("concurrent claims never hand out the same job twice")
    func concurrentClaims() async throws {
        try await withApp { app, clock in
            for index in 0..<200 {
                try await Jobs.enqueue(
                    EchoJob.self, .init(text: "\(index)"), organizationID: nil, on: app.db,
                    now: clock.now)
            }
            let queue = JobQueue(database: try #require(app.db as? any SQLDatabase))
            let now = clock.now
            let claimed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let batch = try await queue.claim(
                                kinds: [EchoJob.kind], limit: 7, worker: "w\(worker)", now: now,
                                lease: 60)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 200)
            #expect(Set(claimed).count == 200)
        }
    }

    @Test("a schedule fires once per slot even with several workers")
    func schedules() async throws {
        try await withApp { app, clock in
            let log = JobLog()
            app.jobs.register(EchoJob(log: log))
            app.jobs.schedule(
                JobSchedule(
                    name: "digest", rule: .every(minutes: 15), kind: EchoJob.kind,
                    perOrganization: false, payload: #"{"text":"tick"}"#))
            let fixture = try await Fixture.make(app, slug: "acme")
            app.jobs.schedule(
                JobSchedule(
                    name: "per-org", rule: .daily(hour: 8, minute: 0), kind: EchoJob.kind,
                    perOrganization: true, payload: #"{"text":"morning"}"#))
            let workers = (0..<3).map { _ in JobWorker(application: app, options: .fast) }
            let running = workers.map { worker in Task { await worker.run() } }
            try await eventually("first slot") { log.all.filter { $0 == "tick" }.count == 1 }
            try await Task.sleep(nanoseconds: 400_000_000)
            #expect(log.all.filter { $0 == "tick" }.count == 1)
            #expect(log.all.filter { $0 == "morning" }.count == 1)
            let orgJobs = try await Job.query(in: fixture.organization.requireID, on: app.db)
                .count()
            #expect(orgJobs == 1)
            clock.advance(15 * 60)
            try await eventually("second slot") { log.all.filter { $0 == "tick" }.count == 2 }
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(log.all.filter { $0 == "tick" }.count == 2)
            for worker in workers { await worker.stop() }
            for task in running { await task.value }
        }
    }

    @Test("shutdown returns unfinished jobs to the queue")
    func gracefulShutdown() async throws {
        try await withApp { app, clock in
            app.jobs.register(SlowJob())
            try await Jobs.enqueue(
                SlowJob.self, .init(), organizationID: nil, on: app.db, now: clock.now)
            let worker = JobWorker(application: app, options: .fast)
            let task = Task { await worker.run() }
            try await eventually("running") {
                try await Job.query(on: app.db).filter(\.$kind == SlowJob.kind).first()?
                    .state == .running
            }
            await worker.stop()
            await task.value
            let job = try #require(
                try await Job.query(on: app.db).filter(\.$kind == SlowJob.kind).first())
            #expect(job.state == .queued)
            #expect(job.attempts == 0)
            #expect(job.lockedBy == nil)
        }
    }

    @Test("admins retry and discard dead jobs of their organization")
    func adminPage() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let orgID = try fixture.organization.requireID
            for text in ["one", "two"] {
                try await Jobs.enqueue(
                    EchoJob.self, .init(text: text), organizationID: orgID, on: app.db,
                    now: clock.now)
            }
            try await Job.query(on: app.db).set(\.$state, to: .dead).set(
                \.$lastError, to: "SMTP 550 mailbox unavailable"
            ).update()
            let jobs = try await Job.query(in: orgID, on: app.db).sort(\.$payload).all()
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let page = try await browser.get("/app/admin/jobs")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("SMTP 550 mailbox unavailable"))
            #expect(
                try await browser.post("/app/admin/jobs/\(try jobs[0].requireID())/retry").status
                    == .seeOther)
            #expect(
                try await browser.post("/app/admin/jobs/\(try jobs[1].requireID())/discard").status
                    == .seeOther)
            let left = try await Job.query(in: orgID, on: app.db).all()
            #expect(left.count == 1)
            #expect(left.first?.state == .queued && left.first?.attempts == 0)
            #expect(
                try await browser.post("/app/admin/jobs/\(try jobs[0].requireID())/retry").status
                    == .conflict)
            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            #expect(try await agent.get("/app/admin/jobs").status == .forbidden)
            let actions = try await AuditEvent.query(in: orgID, on: app.db).all().map(\.action)
            #expect(actions.contains("job.retried") && actions.contains("job.discarded"))
        }
    }
}
