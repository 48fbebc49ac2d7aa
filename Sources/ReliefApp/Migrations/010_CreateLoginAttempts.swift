import Fluent
import SQLKit

/// Sign-in attempts for lockout and rate limiting.
struct CreateLoginAttempts: AsyncMigration {
    var name: String { "010_CreateLoginAttempts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("login_attempts")
            .id()
            .field("email", .string, .required)
            .field("ip", .string, .required)
            .field("succeeded", .bool, .required)
            .field("attempted_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "login_attempts_email_time").on("login_attempts")
            .column("email").column("attempted_at").run()
        try await sql.create(index: "login_attempts_ip_time").on("login_attempts")
            .column("ip").column("attempted_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_attempts").delete()
    }
}
