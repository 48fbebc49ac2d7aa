import Fluent
import Foundation
import NIOConcurrencyHelpers
import ReliefCore
import SQLKit
import Vapor

/// Claims and runs jobs until stopped. Several workers may run in one process (`relief worker
/// --workers N`) and on many machines; the queue's claims keep them from taking the same job.
final class JobWorker: Sendable {
    struct Options: Sendable {
        /// Jobs running at once in this worker.
        var concurrency = 8
        /// Most jobs claimed by one statement.
        var batchSize = 8
        /// How long an idle worker waits before looking for due jobs again.
        var pollInterval: TimeInterval = 0.25
        /// How long a claim is held before another worker may take the job.
        var lease: TimeInterval = 300
        /// How often schedules are checked.
        var scheduleInterval: TimeInterval = 15
        /// How long shutdown waits for running jobs before returning them to the queue.
        var shutdownGrace: TimeInterval = 25
    }

    let id: String
    private let application: Application
    private let options: Options
    private let stopRequested = NIOLockedValueBox(false)
    private let finished = NIOLockedValueBox<[CheckedContinuation<Void, Never>]?>([])

    init(application: Application, options: Options = Options()) {
        self.application = application
        self.options = options
        let host = ProcessInfo.processInfo.hostName
        id = "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    private var queue: JobQueue? {
        (application.db as? any SQLDatabase).map { JobQueue(database: $0) }
    }
    private var now: Date { application.relief.now() }
    private var logger: Logger { application.logger }

    /// Asks the worker to stop and waits until it has finished or released its jobs.
    func stop() async {
        stopRequested.withLockedValue { $0 = true }
        await withCheckedContinuation { continuation in
            let alreadyDone = finished.withLockedValue { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters?.append(continuation)
                return false
            }
            if alreadyDone { continuation.resume() }
        }
    }

    private enum Event: Sendable {
        case tick
        case done(UUID, succeeded: Bool)
    }

    /// The worker loop.
    func run() async {
        guard let queue else { return }
        logger.info("job worker started", metadata: ["worker": .string(id)])
        await withTaskGroup(of: Event.self) { group in
            var running = 0
            var completed: [UUID] = []
            var tickerRunning = false
            var lastSchedule = Date.distantPast
            let kinds = application.jobs.kinds

            /// Waits until a job finishes or the ticker fires (starting one when none is pending).
            func waitForEvent(pause: TimeInterval) async {
                if !tickerRunning {
                    tickerRunning = true
                    group.addTask {
                        try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
                        return .tick
                    }
                }
                switch await group.next() {
                case .tick: tickerRunning = false
                case .done(let id, let succeeded):
                    running -= 1
                    if succeeded { completed.append(id) }
                case nil: running = 0
                }
            }

            while !stopRequested.withLockedValue({ $0 }) {
                let free = options.concurrency - running
                if running == 0 || free >= min(options.batchSize, max(1, options.concurrency / 2))
                    || completed.count >= options.batchSize
                {
                    await flush(&completed, queue: queue)
                    if now.timeIntervalSince(lastSchedule) >= options.scheduleInterval {
                        lastSchedule = now
                        await enqueueScheduled()
                        await reclaimLapsedLeases(queue: queue)
                    }
                    do {
                        let claimed = try await queue.claim(
                            kinds: kinds, limit: min(free, options.batchSize), worker: id, now: now,
                            lease: options.lease)
                        for job in claimed {
                            running += 1
                            group.addTask { await self.execute(job, queue: queue) }
                        }
                    } catch {
                        logger.error("claiming jobs failed: \(String(reflecting: error))")
                    }
                }
                await waitForEvent(
                    pause: running == 0 ? options.pollInterval : options.pollInterval / 5)
            }

            // Shutdown: let running jobs finish within the grace period, then release the rest.
            let deadline = Date().addingTimeInterval(options.shutdownGrace)
            while running > 0, Date() < deadline {
                await waitForEvent(pause: 0.1)
            }
            await flush(&completed, queue: queue)
            if running > 0 {
                logger.warning("returning \(running) unfinished job(s) to the queue")
                group.cancelAll()
            }
            do {
                try await queue.release(worker: id, now: now)
            } catch {
                logger.error("releasing jobs failed: \(String(reflecting: error))")
            }
        }
        logger.info("job worker stopped", metadata: ["worker": .string(id)])
        let waiters = finished.withLockedValue { waiters -> [CheckedContinuation<Void, Never>] in
            let list = waiters ?? []
            waiters = nil
            return list
        }
        for waiter in waiters { waiter.resume() }
    }

    private func flush(_ completed: inout [UUID], queue: JobQueue) async {
        guard !completed.isEmpty else { return }
        do {
            try await queue.succeed(completed, worker: id, now: now)
            completed.removeAll(keepingCapacity: true)
        } catch {
            logger.error("marking jobs done failed: \(String(reflecting: error))")
        }
    }

    private func execute(_ job: ClaimedJob, queue: JobQueue) async -> Event {
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = .string(job.id.uuidString)
        jobLogger[metadataKey: "job-kind"] = .string(job.kind)
        guard let handler = application.jobs.handler(for: job.kind) else {
            await finishFailed(
                job, error: "no handler for kind \(job.kind)", retry: false, queue: queue)
            return .done(job.id, succeeded: false)
        }
        let context = JobContext(
            application: application, jobID: job.id, organizationID: job.organizationID,
            attempt: job.attempts, logger: jobLogger)
        let lease = options.lease
        let worker = id
        let clock = application.relief.now
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: UInt64(lease / 3 * 1_000_000_000))
                try await queue.renewLease(
                    job.id, until: clock().addingTimeInterval(lease), worker: worker)
            }
        }
        defer { heartbeat.cancel() }
        do {
            try await handler.perform(job.payload, context)
            ReliefMetrics.jobFinished(kind: job.kind, outcome: "succeeded")
            return .done(job.id, succeeded: true)
        } catch  where Task.isCancelled {
            // Shutdown ran out of grace: the job goes back to the queue untouched.
            return .done(job.id, succeeded: false)
        } catch let error as JobPayloadError {
            jobLogger.error("job payload is unreadable; the job is dead: \(error)")
            await finishFailed(job, error: error.description, retry: false, queue: queue)
        } catch {
            jobLogger.warning("job attempt \(job.attempts) failed: \(String(reflecting: error))")
            await finishFailed(job, error: String(describing: error), retry: true, queue: queue)
        }
        return .done(job.id, succeeded: false)
    }

    private func finishFailed(_ job: ClaimedJob, error: String, retry: Bool, queue: JobQueue) async
    {
        let message = String(error.prefix(2000))
        var policy = application.jobs.handler(for: job.kind)?.retryPolicy ?? RetryPolicy()
        policy.maxAttempts = job.maxAttempts
        let decision =
            retry ? policy.afterFailure(attempt: job.attempts, random: .random(in: 0..<1)) : .giveUp
        ReliefMetrics.jobFinished(kind: job.kind, outcome: decision == .giveUp ? "dead" : "retried")
        do {
            switch decision {
            case .retry(let delay):
                try await queue.retry(
                    job.id, at: now.addingTimeInterval(delay), error: message, worker: id, now: now)
            case .giveUp:
                try await queue.bury(job.id, error: message, worker: id, now: now)
            }
        } catch {
            logger.error("recording a job failure failed: \(String(reflecting: error))")
        }
    }

    private func reclaimLapsedLeases(queue: JobQueue) async {
        do {
            let count = try await queue.reclaimLapsedLeases(now: now)
            if count > 0 {
                logger.warning("returned \(count) job(s) with a lapsed lease to the queue")
            }
        } catch {
            logger.error("reclaiming lapsed leases failed: \(String(reflecting: error))")
        }
    }

    /// Enqueues the current slot of every schedule; unique keys make this safe to do from every
    /// worker at once.
    private func enqueueScheduled() async {
        let schedules = application.jobs.schedules
        guard !schedules.isEmpty else { return }
        do {
            let organizations = try await Organization.query(on: application.db).all()
            for schedule in schedules {
                let maxAttempts =
                    application.jobs.handler(for: schedule.kind)?.retryPolicy.maxAttempts ?? 8
                if schedule.perOrganization {
                    for organization in organizations {
                        let zone = TimeZone(identifier: organization.timeZone) ?? .gmt
                        let slot = schedule.rule.latestSlot(atOrBefore: now, timeZone: zone)
                        let orgID = try organization.requireID
                        try await Jobs.enqueueRaw(
                            kind: schedule.kind, payload: schedule.payload, organizationID: orgID,
                            runAt: slot,
                            uniqueKey:
                                "schedule:\(schedule.name):\(orgID.uuidString):\(Int(slot.timeIntervalSince1970))",
                            maxAttempts: maxAttempts, on: application.db, now: now)
                    }
                } else {
                    let slot = schedule.rule.latestSlot(atOrBefore: now, timeZone: .gmt)
                    try await Jobs.enqueueRaw(
                        kind: schedule.kind, payload: schedule.payload, organizationID: nil,
                        runAt: slot,
                        uniqueKey: "schedule:\(schedule.name):\(Int(slot.timeIntervalSince1970))",
                        maxAttempts: maxAttempts, on: application.db, now: now)
                }
            }
        } catch {
            logger.error("enqueueing scheduled jobs failed: \(String(reflecting: error))")
        }
    }
}

/// Stops in-process workers when the application shuts down.
struct JobWorkerLifecycle: LifecycleHandler {
    let workers: [JobWorker]

    func shutdownAsync(_ application: Application) async {
        for worker in workers { await worker.stop() }
    }
}
