import FluentKit

extension Database {
    /// Inserts `rows` with multi-row INSERTs in groups small enough for the bind-parameter
    /// limits of SQLite and PostgreSQL (bulk writers: imports, demo data).
    func insertInGroups<Row: Model>(_ rows: [Row]) async throws {
        let groupSize = max(1, 8_000 / max(1, Row.keys.count))
        var start = 0
        while start < rows.count {
            let end = min(start + groupSize, rows.count)
            try await Array(rows[start..<end]).create(on: self)
            start = end
        }
    }
}
