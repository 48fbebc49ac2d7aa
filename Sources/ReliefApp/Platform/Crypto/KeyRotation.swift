import Foundation
import ReliefCore
import SQLKit

/// A column that holds values sealed by ``FieldCipher``, and optionally the blind index
/// computed from them. Every such column is listed in ``SealedColumns/all`` so `relief keys
/// rotate` re-seals it.
struct SealedColumn: Sendable {
    /// The blind index stored beside a sealed column.
    struct Index: Sendable {
        /// The column holding ``BlindIndex/Value/value``.
        let column: String
        /// The column holding ``BlindIndex/Value/keyID``.
        let keyIDColumn: String
        let kind: IdentifierKind
    }

    let table: String
    let column: String
    /// The associated data the values were sealed with (by convention `table.column`).
    let context: String
    /// The primary key, a UUID.
    var idColumn = "id"
    var index: Index?
}

/// The registry of sealed columns. A feature that seals a new column adds it here (and a
/// migration adds the column); the rotation test then covers it.
enum SealedColumns {
    static let all: [SealedColumn] = [
        SealedColumn(table: "users", column: "totp_secret", context: "users.totp_secret"),
        SealedColumn(
            table: "leads", column: "ssn", context: "leads.ssn",
            index: SealedColumn.Index(
                column: "ssn_index", keyIDColumn: "ssn_index_key_id", kind: .ssn)),
        SealedColumn(table: "leads", column: "date_of_birth", context: "leads.date_of_birth"),
    ]
}

/// Re-seals every registered column and re-encrypts every stored document under the current
/// master key, in batches. Rows already on the current key are skipped, so a run can be
/// interrupted and repeated; the app keeps working throughout because the previous keys stay
/// in the ring until the operator removes them.
struct KeyRotation {
    struct ColumnCounts: Equatable, Sendable {
        var resealed = 0
        var alreadyCurrent = 0
        /// Rows that changed between read and write (the app re-sealed them meanwhile).
        var changedMeanwhile = 0
        /// Rows that could not be opened, as "record: reason".
        var failed: [String] = []
    }

    let database: any SQLDatabase
    let cipher: FieldCipher
    let blindIndex: BlindIndex
    var batchSize = 500

    private var currentPrefix: String { "v1.\(cipher.currentKeyID).%" }

    /// Rotates one column.
    func rotate(_ sealed: SealedColumn) async throws -> ColumnCounts {
        var counts = ColumnCounts()
        counts.alreadyCurrent = try await countCurrent(sealed)
        var after: UUID?
        while true {
            var query = database.select()
                .column(SQLIdentifier(sealed.idColumn)).column(SQLIdentifier(sealed.column))
                .from(SQLIdentifier(sealed.table))
                .where(SQLIdentifier(sealed.column), .isNot, SQLLiteral.null)
                .where(SQLIdentifier(sealed.column), .notLike, SQLBind(currentPrefix))
            if let after {
                query = query.where(SQLIdentifier(sealed.idColumn), .greaterThan, after)
            }
            let rows = try await query.orderBy(SQLIdentifier(sealed.idColumn))
                .limit(batchSize).all()
            for row in rows {
                let id = try row.decode(column: sealed.idColumn, as: UUID.self)
                let old = try row.decode(column: sealed.column, as: String.self)
                after = id
                do {
                    try await reseal(sealed, id: id, old: old, counts: &counts)
                } catch let failure as FieldCipher.Failure {
                    counts.failed.append("\(id.uuidString.lowercased()): \(failure)")
                }
            }
            if rows.count < batchSize { break }
        }
        return counts
    }

    private func reseal(_ sealed: SealedColumn, id: UUID, old: String, counts: inout ColumnCounts)
        async throws
    {
        let record = id.uuidString.lowercased()
        let plaintext = try cipher.open(old, context: sealed.context, record: record)
        let new = try cipher.seal(plaintext, context: sealed.context)
        var update = database.update(SQLIdentifier(sealed.table))
            .set(SQLIdentifier(sealed.column), to: new)
        if let index = sealed.index {
            let value = blindIndex.compute(plaintext, kind: index.kind)
            update = update.set(SQLIdentifier(index.column), to: value?.value)
                .set(SQLIdentifier(index.keyIDColumn), to: value?.keyID)
        }
        // Only if the row still holds what was read: a concurrent write (already on the
        // current key) wins.
        try await update.where(SQLIdentifier(sealed.idColumn), .equal, id)
            .where(SQLIdentifier(sealed.column), .equal, old).run()
        let now = try await current(sealed, id: id)
        if now == new { counts.resealed += 1 } else { counts.changedMeanwhile += 1 }
    }

    private func current(_ sealed: SealedColumn, id: UUID) async throws -> String? {
        try await database.select().column(SQLIdentifier(sealed.column))
            .from(SQLIdentifier(sealed.table))
            .where(SQLIdentifier(sealed.idColumn), .equal, id).first()?
            .decode(column: sealed.column, as: String?.self) ?? nil
    }

    /// Rows of the column already sealed under the current key.
    func countCurrent(_ sealed: SealedColumn) async throws -> Int {
        try await countRows(sealed, .like)
    }

    /// Rows of the column still sealed under another key.
    func countRemaining(_ sealed: SealedColumn) async throws -> Int {
        try await countRows(sealed, .notLike)
    }

    private func countRows(_ sealed: SealedColumn, _ op: SQLBinaryOperator) async throws -> Int {
        let row = try await database.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLIdentifier(sealed.table))
            .where(SQLIdentifier(sealed.column), .isNot, SQLLiteral.null)
            .where(SQLIdentifier(sealed.column), op, SQLBind(currentPrefix)).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
