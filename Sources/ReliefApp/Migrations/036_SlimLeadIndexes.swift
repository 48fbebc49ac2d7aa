import Fluent
import SQLKit

/// Fewer index writes per new lead (an import writes a million): `leads_org_email` goes (e-mail
/// search reads `lead_emails`), and the SSN blind-index and merged-into indexes only hold the
/// rows that have a value (most leads have neither), as partial indexes.
struct SlimLeadIndexes: AsyncMigration {
    var name: String { "036_SlimLeadIndexes" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "leads_org_email").run()
        try await sql.drop(index: "leads_org_ssn_index").run()
        try await sql.drop(index: "leads_merged_into").run()
        try await sql.raw(
            """
            CREATE INDEX leads_org_ssn_index ON leads (organization_id, ssn_index) \
            WHERE ssn_index IS NOT NULL
            """
        ).run()
        try await sql.raw(
            "CREATE INDEX leads_merged_into ON leads (merged_into_id) WHERE merged_into_id IS NOT NULL"
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "leads_org_ssn_index").run()
        try await sql.drop(index: "leads_merged_into").run()
        try await sql.create(index: "leads_org_email").on("leads")
            .column("organization_id").column("primary_email").run()
        try await sql.create(index: "leads_org_ssn_index").on("leads")
            .column("organization_id").column("ssn_index").run()
        try await sql.create(index: "leads_merged_into").on("leads").column("merged_into_id").run()
    }
}
