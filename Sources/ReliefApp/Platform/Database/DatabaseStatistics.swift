import Fluent
import Foundation
import SQLKit

/// The query planner's table statistics.
///
/// PostgreSQL keeps its own (autovacuum analyzes a table after enough of it changed). SQLite
/// has none until `ANALYZE` runs, and without them it guesses that an equality on an index's
/// first column matches about ten rows: `organization_id = ?` then looks like the most
/// selective condition of every tenant query, and the lead list walks a whole organization's
/// rows instead of the few the other conditions select. `PRAGMA optimize` analyzes the tables
/// whose size changed a lot since they were last analyzed (or never were), reading at most a
/// few thousand rows of each index (`analysis_limit`), so it takes milliseconds even at
/// millions of rows and nothing when no table changed much.
///
/// SQLite loads statistics when a connection loads the schema; after a refresh that changed
/// them, the schema is touched so every pooled connection reloads them.
enum DatabaseStatistics {
    /// Brings SQLite's statistics up to date where tables grew or shrank; nothing on
    /// PostgreSQL. Run at start-up, hourly (``DatabaseStatisticsJob``) and after bulk writes
    /// such as an import.
    static func refresh(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        // One connection throughout: the statistics are read and reloaded per connection.
        try await database.withConnection { connection in
            guard let sql = connection as? any SQLDatabase else { return }
            let before = try await statistics(sql)
            // 0x10000: check every table's size, not only those this connection has used;
            // 0x00002: analyze the tables that need it (with the default analysis limit).
            try await sql.raw("PRAGMA optimize=0x10002").run()
            guard try await statistics(sql) != before else { return }
            // A connection loads the statistics with the schema, and ANALYZE reloads them only
            // in the connection that ran it: the pool's other connections would keep planning
            // with the old ones (or none). Changing the schema makes every connection reload
            // the schema, and the statistics with it, before its next statement.
            try await sql.raw("CREATE TABLE relief_statistics_reload (x INTEGER)").run()
            try await sql.raw("DROP TABLE relief_statistics_reload").run()
        }
    }

    /// The rows of `sqlite_stat1` (none before the first ANALYZE), to tell whether a refresh
    /// changed them.
    private static func statistics(_ sql: any SQLDatabase) async throws -> [String] {
        let exists = try await sql.raw(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first()
        guard exists != nil else { return [] }
        return try await sql.raw("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx")
            .all().map {
                [
                    try $0.decode(column: "tbl", as: String.self),
                    try $0.decode(column: "idx", as: String?.self) ?? "",
                    try $0.decode(column: "stat", as: String.self),
                ].joined(separator: " ")
            }
    }
}

/// Hourly: ``DatabaseStatistics/refresh(on:)``, so statistics follow a table that grew
/// through imports or day-to-day use while the server runs.
struct DatabaseStatisticsJob: JobHandler {
    struct Payload: Codable, Sendable {}
    static let kind = "database.statistics"

    func run(_ payload: Payload, context: JobContext) async throws {
        try await DatabaseStatistics.refresh(on: context.db)
    }
}
