import Foundation
import ReliefCore
import SQLKit

/// Reads and binds UUID columns in raw SQL the cheapest way for the database. SQLite keeps
/// Fluent's UUIDs as text, and `UUID(uuidString:)` / `uuidString` go through `sscanf` and
/// `snprintf` on Linux; on SQLite the ids cross as text through ``UUIDText`` instead.
/// PostgreSQL has a native `uuid` type and gets UUIDs as they are.
struct SQLUUIDs: Sendable {
    let asText: Bool

    init(_ sql: any SQLDatabase) {
        asText = sql.dialect.name == "sqlite"
    }

    /// `ids` as bind values for `IN (…)`.
    func binds(_ ids: some Collection<UUID>) -> [any Encodable & Sendable] {
        asText ? ids.map(UUIDText.format) : Array(ids)
    }

    func decode(_ row: any SQLRow, column: String) throws -> UUID {
        guard asText else { return try row.decode(column: column, as: UUID.self) }
        let text = try row.decode(column: column, as: String.self)
        guard let id = UUIDText.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "\(column) is not a UUID: \(text)"))
        }
        return id
    }

    func decodeIfPresent(_ row: any SQLRow, column: String) throws -> UUID? {
        guard asText else { return try row.decode(column: column, as: UUID?.self) }
        guard try !row.decodeNil(column: column) else { return nil }
        return try decode(row, column: column)
    }
}
