import Fluent
import SQLKit

/// `leads.merged_into_id`: the lead a merged-away (soft-deleted) lead was absorbed into.
struct AddLeadMergedInto: AsyncMigration {
    var name: String { "030_AddLeadMergedInto" }

    func prepare(on database: any Database) async throws {
        try await database.schema("leads").field("merged_into_id", .uuid).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "leads_merged_into").on("leads").column("merged_into_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "leads_merged_into").run()
        }
        try await database.schema("leads").deleteField("merged_into_id").update()
    }
}
