import Fluent
import SQLKit

/// The debts of a lead, as stated by the lead or read from a credit report.
struct CreateDebts: AsyncMigration {
    var name: String { "017_CreateDebts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("debts")
            .id()
            .field(
                "organization_id", .uuid, .required,
                .references("organizations", "id", onDelete: .cascade)
            )
            .field("lead_id", .uuid, .required, .references("leads", "id", onDelete: .cascade))
            .field("creditor", .string, .required)
            .field("account_type", .string, .required)
            .field("account_last4", .string, .required)
            .field("balance_cents", .int64, .required)
            .field("monthly_payment_cents", .int64)
            .field("months_delinquent", .int)
            .field("is_secured", .bool, .required)
            .field("origin", .string, .required)
            .field("is_enrolled", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "debts_lead").on("debts").column("lead_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("debts").delete()
    }
}
