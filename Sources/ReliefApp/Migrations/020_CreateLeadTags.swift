import Fluent
import SQLKit

/// Tags on leads, one row per (lead, tag), so the list can filter by tag with an index.
struct CreateLeadTags: AsyncMigration {
    var name: String { "020_CreateLeadTags" }

    func prepare(on database: any Database) async throws {
        try await database.schema("lead_tags")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("tag", .string, .required)
            .unique(on: "lead_id", "tag")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "lead_tags_org_tag").on("lead_tags").column("organization_id")
            .column("tag").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("lead_tags").delete()
    }
}
