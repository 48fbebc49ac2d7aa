import Fluent
import SQLKit

/// The lead list filtered by status, owner and state (what an agent's or a manager's "my new
/// leads in Texas" view asks) reads its page straight from one index range, newest first,
/// without walking the other owners' or states' leads: (organization, status, owner, state,
/// created_at, id). `leads_org_status_owner` still serves status + owner without a state.
struct AddLeadListFilterIndex: AsyncMigration {
    var name: String { "033_AddLeadListFilterIndex" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "leads_org_status_owner_state").on("leads")
            .column("organization_id").column("status").column("owner_id").column("state")
            .column("created_at").column("id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "leads_org_status_owner_state").run()
    }
}
