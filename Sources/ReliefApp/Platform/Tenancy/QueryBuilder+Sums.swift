import FluentKit
import Foundation
import SQLKit

extension QueryBuilder {
    /// The sum of an integer cents column over the query, 0 when no row matches. PostgreSQL
    /// returns `SUM(bigint)` as NUMERIC, which decodes only as `Decimal`; SQLite returns an
    /// integer.
    func sumOfCents<Field>(_ field: KeyPath<Model, Field>) async throws -> Int64
    where Field: QueryableProperty, Field.Model == Model, Field.Value == Int64 {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            let total = try await aggregate(.sum, field, as: Decimal?.self) ?? 0
            return NSDecimalNumber(decimal: total).int64Value
        }
        return try await sum(field) ?? 0
    }

    /// The sum of an integer count column, 0 when no row matches (see ``sumOfCents(_:)`` for why
    /// PostgreSQL needs its own path).
    func sumOfIntegers<Field>(_ field: KeyPath<Model, Field>) async throws -> Int
    where Field: QueryableProperty, Field.Model == Model, Field.Value == Int {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            let total = try await aggregate(.sum, field, as: Decimal?.self) ?? 0
            return NSDecimalNumber(decimal: total).intValue
        }
        return try await sum(field) ?? 0
    }
}
