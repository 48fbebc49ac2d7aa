import Fluent
import SQLKit

/// Lead file imports with their outcome counts, and every rejected row with its reason.
struct CreateLeadImports: AsyncMigration {
    var name: String { "025_CreateLeadImports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("lead_imports")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("created_by", .uuid, .references("users", "id", onDelete: .setNull))
            .field("file_name", .string, .required)
            .field("source_name", .string, .required)
            .field("headers", .string, .required)
            .field("mapping", .string, .required)
            .field("duplicate_policy", .string, .required)
            .field("state", .string, .required)
            .field("byte_size", .int64, .required)
            .field("bytes_processed", .int64, .required)
            .field("total_rows", .int, .required)
            .field("processed_rows", .int, .required)
            .field("created_count", .int, .required)
            .field("updated_count", .int, .required)
            .field("skipped_duplicates", .int, .required)
            .field("rejected_count", .int, .required)
            .field("error", .string)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("lead_import_rejections")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field(
                "import_id", .uuid, .required,
                .references("lead_imports", "id", onDelete: .cascade)
            )
            .field("row_number", .int, .required)
            .field("byte_offset", .int64, .required)
            .field("reason", .string, .required)
            .field("fields", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "lead_imports_org_created").on("lead_imports")
            .column("organization_id").column("created_at").run()
        try await sql.create(index: "lead_import_rejections_import_row")
            .on("lead_import_rejections").column("import_id").column("row_number").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("lead_import_rejections").delete()
        try await database.schema("lead_imports").delete()
    }
}
