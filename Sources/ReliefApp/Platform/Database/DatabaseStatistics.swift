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
enum DatabaseStatistics {
    /// Brings SQLite's statistics up to date where tables grew or shrank; nothing on
    /// PostgreSQL. Run at start-up, hourly (``DatabaseStatisticsJob``) and after bulk writes
    /// such as an import.
    static func refresh(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        // 0x10000: check every table's size, not only those this connection has used;
        // 0x00002: analyze the tables that need it (with the default analysis limit).
        try await sql.raw("PRAGMA optimize=0x10002").run()
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
