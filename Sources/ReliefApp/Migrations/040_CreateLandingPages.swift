import Fluent
import SQLKit

/// Landing pages (`/p/{slug}`, slugs unique across organizations) and the landing page
/// visitors tied to a lead by a form submission.
struct CreateLandingPages: AsyncMigration {
    var name: String { "040_CreateLandingPages" }

    func prepare(on database: any Database) async throws {
        try await database.schema("landing_pages")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("has_form", .bool, .required)
            .field("consent_text", .string, .required)
            .field("is_published", .bool, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "slug")
            .create()
        try await database.schema("landing_visitors")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("visitor_id", .string, .required)
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "organization_id", "visitor_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "engagement_events_visitor").on("engagement_events")
            .column("organization_id").column("visitor_id").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "engagement_events_visitor").run()
        }
        try await database.schema("landing_visitors").delete()
        try await database.schema("landing_pages").delete()
    }
}
