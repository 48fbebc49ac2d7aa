import Fluent
import SQLKit

/// The durable job queue.
struct CreateJobs: AsyncMigration {
    var name: String { "013_CreateJobs" }

    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .id()
            .field("organization_id", .uuid, .references("organizations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("lease_expires_at", .datetime)
            .field("locked_by", .string)
            .field("last_error", .string)
            .field("unique_key", .string)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "unique_key")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Partial indexes hold only claimable and running jobs, so claiming and lease checks
        // stay fast however many finished jobs the table keeps (both databases support them).
        try await sql.raw(
            "CREATE INDEX jobs_ready ON jobs (run_at) WHERE state IN ('queued', 'failed')"
        ).run()
        try await sql.raw(
            "CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'running'"
        ).run()
        try await sql.create(index: "jobs_org_state").on("jobs").column("organization_id")
            .column("state").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}
