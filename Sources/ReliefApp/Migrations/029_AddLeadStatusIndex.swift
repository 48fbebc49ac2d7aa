import Fluent
import SQLKit

/// The pipeline board reads each status column in the list's order (newest first by default)
/// and counts leads per status: an index on (organization, status, created_at, id) serves both
/// without walking the other statuses' rows.
struct AddLeadStatusIndex: AsyncMigration {
    var name: String { "029_AddLeadStatusIndex" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "leads_org_status_created").on("leads")
            .column("organization_id").column("status").column("created_at").column("id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "leads_org_status_created").run()
    }
}
