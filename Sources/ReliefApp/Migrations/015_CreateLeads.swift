import Fluent
import SQLKit

/// Leads: the prospect record at the center of the CRM. Primary phone and e-mail are copied
/// from `lead_phones` / `lead_emails` for listing; SSN and date of birth are sealed.
struct CreateLeads: AsyncMigration {
    var name: String { "015_CreateLeads" }

    func prepare(on database: any Database) async throws {
        try await database.schema("leads")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("status", .string, .required)
            .field("first_name", .string, .required)
            .field("middle_name", .string, .required)
            .field("last_name", .string, .required)
            .field("first_name_key", .string, .required)
            .field("last_name_key", .string, .required)
            .field("primary_email", .string)
            .field("primary_phone", .string)
            .field("address", .string, .required)
            .field("address_2", .string, .required)
            .field("city", .string, .required)
            .field("state", .string, .required)
            .field("zip", .string, .required)
            .field("time_zone", .string)
            .field("zip_time_zone", .string)
            .field("phone_time_zones", .string, .required)
            .field("language", .string, .required)
            .field("date_of_birth", .string)
            .field("ssn", .string)
            .field("ssn_last4", .string)
            .field("ssn_index", .string)
            .field("ssn_index_key_id", .string)
            .field("stated_unsecured_debt_cents", .int64)
            .field("monthly_income_cents", .int64)
            .field("employment", .string, .required)
            .field("hardship_notes", .string, .required)
            .field("enrolled_debt_cents", .int64, .required)
            .field("owner_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("team_id", .uuid, .references("teams", "id", onDelete: .setNull))
            .field("source_id", .uuid, .references("lead_sources", "id", onDelete: .setNull))
            .field("assignment_rule", .string)
            .field("external_id", .string)
            .field("first_touch", .string, .required)
            .field("last_touch", .string, .required)
            .field("custom_fields", .string, .required)
            .field("heat_score", .double, .required)
            .field("enrollment_probability", .double)
            .field("last_contacted_at", .datetime)
            .field("next_follow_up_at", .datetime)
            .field("status_changed_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("deleted_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            // Byte order for the search keys, so prefix search is an index range scan whatever
            // the database's default collation.
            for column in ["first_name_key", "last_name_key", "primary_email", "primary_phone"] {
                try await sql.raw(
                    "ALTER TABLE leads ALTER COLUMN \(ident: column) TYPE TEXT COLLATE \"C\""
                ).run()
            }
        }
        // The list's default order and keyset paging; the filters agents and managers use
        // most; name-prefix search.
        for (name, columns) in [
            ("leads_org_created", ["organization_id", "created_at", "id"]),
            ("leads_org_status_owner", ["organization_id", "status", "owner_id", "created_at"]),
            ("leads_org_owner", ["organization_id", "owner_id", "created_at"]),
            ("leads_org_state", ["organization_id", "state"]),
            ("leads_org_last_name", ["organization_id", "last_name_key"]),
            ("leads_org_first_name", ["organization_id", "first_name_key"]),
            ("leads_org_email", ["organization_id", "primary_email"]),
            ("leads_org_ssn_index", ["organization_id", "ssn_index"]),
            ("leads_org_heat", ["organization_id", "heat_score"]),
        ] {
            var index = sql.create(index: SQLIdentifier(name)).on("leads")
            for column in columns { index = index.column(column) }
            try await index.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("leads").delete()
    }
}
