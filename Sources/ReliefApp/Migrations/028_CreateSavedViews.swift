import Fluent
import SQLKit

/// Lead list views a user saved under a name: the list's query string, private to that user.
struct CreateSavedViews: AsyncMigration {
    var name: String { "028_CreateSavedViews" }

    func prepare(on database: any Database) async throws {
        try await database.schema("saved_views")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("query", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "name")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "saved_views_org_user").on("saved_views")
            .column("organization_id").column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("saved_views").delete()
    }
}
