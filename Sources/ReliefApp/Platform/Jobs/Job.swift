import Fluent
import Vapor

/// One durable job. Rows are written and claimed with SQL by ``JobQueue``; this model is for
/// reading them (the admin page) and for tenant scoping.
final class Job: Model, TenantScoped, @unchecked Sendable {
    static let schema = "jobs"

    /// Where a job is in its life.
    enum State: String, Codable, Sendable, CaseIterable {
        /// Waiting for `run_at`.
        case queued
        /// Claimed by a worker holding a lease.
        case running
        case succeeded
        /// An attempt failed; it runs again at `run_at`.
        case failed
        /// It failed its last attempt, or its payload could not be read.
        case dead
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    // data fields
    /// Nil for jobs of the whole deployment (maintenance).
    @OptionalField(key: "organization_id") var organizationID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "payload") var payload: String
    @Enum(key: "state") var state: State
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    @Field(key: "run_at") var runAt: Date
    @OptionalField(key: "lease_expires_at") var leaseExpiresAt: Date?
    @OptionalField(key: "locked_by") var lockedBy: String?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "unique_key") var uniqueKey: String?
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    static func scoped(_ query: QueryBuilder<Job>, to organizationID: UUID) -> QueryBuilder<Job> {
        query.filter(\.$organizationID == organizationID)
    }
}
