import Fluent
import SQLKit

/// An index for the gate's recent contacts of a bare number or address in a busy organization
/// (recorded decisions by contact in the last 24 hours).
struct AddContactDecisionContactIndex: AsyncMigration {
    var name: String { "038_AddContactDecisionContactIndex" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "contact_decisions_contact").on("contact_decisions")
            .column("organization_id").column("contact").column("decided_at").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "contact_decisions_contact").run()
    }
}
