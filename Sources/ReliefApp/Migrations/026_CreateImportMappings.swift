import Fluent

/// Column mappings saved per lead source, reapplied to the next file from that source.
struct CreateImportMappings: AsyncMigration {
    var name: String { "026_CreateImportMappings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("import_mappings")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("source_key", .string, .required)
            .field("mapping", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "organization_id", "source_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("import_mappings").delete()
    }
}
