import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// Enqueueing jobs. Call it with the transaction of the change that causes the job, so the job
/// exists if and only if that change is committed.
enum Jobs {
    /// Adds a job; returns false when a job with the same unique key already exists (then
    /// nothing is written, so enqueueing with a key is idempotent).
    @discardableResult
    static func enqueue<Handler: JobHandler>(
        _ handler: Handler.Type, _ payload: Handler.Payload, organizationID: UUID?,
        runAt: Date? = nil, uniqueKey: String? = nil, maxAttempts: Int? = nil,
        on database: any Database, now: Date
    ) async throws -> Bool {
        let text = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        return try await enqueueRaw(
            kind: Handler.kind, payload: text, organizationID: organizationID, runAt: runAt ?? now,
            uniqueKey: uniqueKey, maxAttempts: maxAttempts ?? Handler.retryPolicy.maxAttempts,
            on: database, now: now)
    }

    @discardableResult
    static func enqueueRaw(
        kind: String, payload: String, organizationID: UUID?, runAt: Date, uniqueKey: String?,
        maxAttempts: Int, on database: any Database, now: Date
    ) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        let id = UUID()
        try await sql.insert(into: Job.schema)
            .columns(
                "id", "organization_id", "kind", "payload", "state", "attempts", "max_attempts",
                "run_at", "unique_key", "created_at", "updated_at"
            )
            .values(
                SQLBind(id), SQLBind(organizationID), SQLBind(kind), SQLBind(payload),
                SQLBind(Job.State.queued.rawValue), SQLBind(0), SQLBind(maxAttempts),
                SQLBind(runAt),
                SQLBind(uniqueKey), SQLBind(now), SQLBind(now)
            )
            .ignoringConflicts(with: "unique_key")
            .run()
        guard uniqueKey != nil else { return true }
        let inserted = try await sql.select().column("id").from(Job.schema)
            .where("id", .equal, SQLBind(id)).first()
        return inserted != nil
    }
}

/// A job a worker claimed.
struct ClaimedJob: Sendable {
    let id: UUID
    let kind: String
    let payload: String
    let organizationID: UUID?
    let attempts: Int
    let maxAttempts: Int
    let runAt: Date
}

/// Claiming, finishing and releasing jobs with plain SQL. On PostgreSQL claims use
/// `FOR UPDATE SKIP LOCKED`, so many workers on many machines never take the same job; on
/// SQLite one `UPDATE ... RETURNING` statement claims atomically under the database write lock.
/// A claim holds a lease; workers regularly return jobs whose lease lapsed (their worker died)
/// to the queue with ``reclaimLapsedLeases(now:)``.
struct JobQueue: Sendable {
    let database: any SQLDatabase

    private var isPostgres: Bool { database.dialect.name == "postgresql" }

    /// Claims up to `limit` due jobs of `kinds` for `worker`.
    func claim(kinds: [String], limit: Int, worker: String, now: Date, lease: TimeInterval)
        async throws -> [ClaimedJob]
    {
        guard !kinds.isEmpty, limit > 0 else { return [] }
        let kindList = SQLList(kinds.map { SQLBind($0) })
        let lock: any SQLExpression = isPostgres ? SQLRaw(" FOR UPDATE SKIP LOCKED") : SQLRaw("")
        let rows = try await database.raw(
            """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = \(bind: now),
              lease_expires_at = \(bind: now.addingTimeInterval(lease)), locked_by = \(bind: worker),
              updated_at = \(bind: now)
            WHERE id IN (
              SELECT id FROM jobs
              WHERE state IN ('queued', 'failed') AND run_at <= \(bind: now)
                AND kind IN (\(kindList))
              ORDER BY run_at LIMIT \(bind: limit)\(lock))
            RETURNING id, kind, payload, organization_id, attempts, max_attempts, run_at
            """
        ).all()
        return try rows.map { row in
            ClaimedJob(
                id: try row.decode(column: "id", as: UUID.self),
                kind: try row.decode(column: "kind", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                organizationID: try row.decode(column: "organization_id", as: UUID?.self),
                attempts: try row.decode(column: "attempts", as: Int.self),
                maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
                runAt: try row.decode(column: "run_at", as: Date.self))
        }
    }

    /// Returns jobs whose lease lapsed (their worker died) to the queue, keeping the attempt
    /// they used; returns how many.
    @discardableResult
    func reclaimLapsedLeases(now: Date) async throws -> Int {
        let rows = try await database.raw(
            """
            UPDATE jobs SET state = 'queued', run_at = \(bind: now), lease_expires_at = NULL,
              locked_by = NULL, updated_at = \(bind: now)
            WHERE state = 'running' AND lease_expires_at < \(bind: now)
            RETURNING id
            """
        ).all()
        return rows.count
    }

    /// Marks jobs done (only those this worker still holds).
    func succeed(_ ids: [UUID], worker: String, now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await database.raw(
            """
            UPDATE jobs SET state = 'succeeded', finished_at = \(bind: now), lease_expires_at = NULL,
              locked_by = NULL, updated_at = \(bind: now)
            WHERE id IN (\(SQLList(ids.map { SQLBind($0) }))) AND locked_by = \(bind: worker)
            """
        ).run()
    }

    /// Schedules another attempt at `retryAt`, keeping the error.
    func retry(_ id: UUID, at retryAt: Date, error: String, worker: String, now: Date) async throws
    {
        try await database.raw(
            """
            UPDATE jobs SET state = 'failed', run_at = \(bind: retryAt), last_error = \(bind: error),
              lease_expires_at = NULL, locked_by = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND locked_by = \(bind: worker)
            """
        ).run()
    }

    /// Gives up on a job, keeping the error.
    func bury(_ id: UUID, error: String, worker: String, now: Date) async throws {
        try await database.raw(
            """
            UPDATE jobs SET state = 'dead', finished_at = \(bind: now), last_error = \(bind: error),
              lease_expires_at = NULL, locked_by = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND locked_by = \(bind: worker)
            """
        ).run()
    }

    /// Extends the lease of a job that is still running.
    func renewLease(_ id: UUID, until: Date, worker: String) async throws {
        try await database.raw(
            """
            UPDATE jobs SET lease_expires_at = \(bind: until)
            WHERE id = \(bind: id) AND locked_by = \(bind: worker) AND state = 'running'
            """
        ).run()
    }

    /// Returns jobs this worker holds to the queue unchanged (graceful shutdown).
    func release(worker: String, now: Date) async throws {
        try await database.raw(
            """
            UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_expires_at = NULL,
              locked_by = NULL, updated_at = \(bind: now)
            WHERE locked_by = \(bind: worker) AND state = 'running'
            """
        ).run()
    }
}
