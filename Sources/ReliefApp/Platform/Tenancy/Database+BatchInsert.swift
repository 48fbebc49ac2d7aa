import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit

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

    /// Inserts `rows` without Fluent models: multi-row prepared INSERTs on SQLite,
    /// `COPY … FROM STDIN` on PostgreSQL, each value stored exactly as Fluent stores the same
    /// Swift value. Used where rows come by the thousand (the lead import).
    func insertInGroups<Row: BulkInsertable>(_ rows: [Row], now: Date) async throws {
        guard !rows.isEmpty else { return }
        var values: [BulkValue] = []
        values.reserveCapacity(rows.count * Row.bulkColumns.count)
        for row in rows {
            let before = values.count
            row.appendBulkValues(to: &values, now: now)
            precondition(
                values.count - before == Row.bulkColumns.count,
                "\(Row.self).appendBulkValues wrote \(values.count - before) values for \(Row.bulkColumns.count) columns"
            )
        }
        try await bulkInsert(into: Row.bulkTable, columns: Row.bulkColumns, values: values)
    }

    /// Readies this connection for a run of large write transactions. On SQLite: a 64 MiB
    /// page cache (the default is 2 MiB), so the index pages of large tables stay in memory
    /// from one batch to the next instead of being re-read and spilled in the middle of a
    /// transaction, and a WAL checkpoint every 16,384 pages (64 MiB) instead of 1,000, so a
    /// page rewritten by many batches is copied back to the database file once. The
    /// connection keeps both. Nothing to do on PostgreSQL.
    func prepareForBulkWrites() async throws {
        guard let sqlite = self as? any SQLiteDatabase else { return }
        _ = try await sqlite.query("PRAGMA cache_size = -65536", [])
        _ = try await sqlite.query("PRAGMA wal_autocheckpoint = 16384", [])
    }

    /// Readies this connection for batches of random reads over large tables (the contact
    /// gate's facts for ten thousand leads): on SQLite a 32 MiB page cache instead of 2 MiB,
    /// which the connection keeps. Nothing to do on PostgreSQL.
    func prepareForBulkReads() async throws {
        guard let sqlite = self as? any SQLiteDatabase else { return }
        _ = try await sqlite.query("PRAGMA cache_size = -32768", [])
    }

    /// Writes `values` (row after row, `columns.count` each) into `table`.
    func bulkInsert(into table: String, columns: [String], values: [BulkValue]) async throws {
        if let postgres = self as? any PostgresDatabase {
            try await postgres.copy(into: table, columns: columns, values: values, logger: logger)
        } else if let sqlite = self as? any SQLiteDatabase {
            try await sqlite.insert(into: table, columns: columns, values: values)
        } else {
            throw BulkInsertUnsupported(database: String(describing: type(of: self)))
        }
    }
}

/// A row type that ``Database/insertInGroups(_:now:)`` writes in bulk. Its columns are
/// listed once here instead of being found by reflection for every row; `BulkInsertTests`
/// checks them against the Fluent model of the same table.
protocol BulkInsertable: Sendable {
    static var bulkTable: String { get }
    /// Every column of the table, in the order ``appendBulkValues(to:now:)`` writes them.
    static var bulkColumns: [String] { get }
    /// Appends this row's values in ``bulkColumns`` order; `now` is the time of the write.
    func appendBulkValues(to values: inout [BulkValue], now: Date)
}

/// One column value of a bulk-written row, stored the way Fluent stores the same Swift value:
/// on SQLite UUIDs as text, dates as seconds since 1970, booleans as 0/1; on PostgreSQL in the
/// column's own type.
enum BulkValue: Sendable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case bool(Bool)
    case uuid(UUID)
    case date(Date)
    case null

    init(_ value: String?) { self = value.map(BulkValue.text) ?? .null }
    init(_ value: Int64?) { self = value.map(BulkValue.integer) ?? .null }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    init(_ value: Double?) { self = value.map(BulkValue.real) ?? .null }
    init(_ value: Bool?) { self = value.map(BulkValue.bool) ?? .null }
    init(_ value: UUID?) { self = value.map(BulkValue.uuid) ?? .null }
    init(_ value: Date?) { self = value.map(BulkValue.date) ?? .null }
}

/// The database is neither SQLite nor PostgreSQL (no bulk path).
struct BulkInsertUnsupported: Error, CustomStringConvertible {
    var database: String
    var description: String { "Bulk insert is not supported on \(database)." }
}

extension SQLiteDatabase {
    /// Multi-row `INSERT … VALUES (?, …), …` statements of up to 60,000 parameters each
    /// (sqlite-nio allows 250,000).
    fileprivate func insert(into table: String, columns: [String], values: [BulkValue])
        async throws
    {
        let width = columns.count
        let rowsPerStatement = max(1, 60_000 / width)
        let head =
            "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ")
            + ") VALUES "
        let placeholders = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        var statements: [Int: String] = [:]
        let rowCount = values.count / width
        var row = 0
        while row < rowCount {
            let count = min(rowsPerStatement, rowCount - row)
            let sql =
                statements[count]
                ?? {
                    let text =
                        head + Array(repeating: placeholders, count: count).joined(separator: ",")
                    statements[count] = text
                    return text
                }()
            var binds: [SQLiteData] = []
            binds.reserveCapacity(count * width)
            for value in values[(row * width)..<((row + count) * width)] {
                binds.append(value.sqliteData)
            }
            _ = try await query(sql, binds)
            row += count
        }
    }
}

extension BulkValue {
    fileprivate var sqliteData: SQLiteData {
        switch self {
        case .text(let text): .text(text)
        case .integer(let number): .integer(Int(number))
        case .real(let number): .float(number)
        case .bool(let flag): .integer(flag ? 1 : 0)
        case .uuid(let id): .text(id.uuidString)
        case .date(let date): .float(date.timeIntervalSince1970)
        case .null: .null
        }
    }
}

extension PostgresDatabase {
    /// `COPY table (columns) FROM STDIN` in text format, streamed in 256 kB pieces, on the
    /// connection of the current transaction when there is one.
    fileprivate func copy(
        into table: String, columns: [String], values: [BulkValue], logger: Logger
    ) async throws {
        let width = columns.count
        let rows = values
        try await withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) {
                    writer in
                    let pieceSize = 256 * 1024
                    var buffer = ByteBufferAllocator().buffer(capacity: pieceSize + 4096)
                    for (index, value) in rows.enumerated() {
                        if index % width != 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                        value.writeCopyText(to: &buffer)
                        if index % width == width - 1 {
                            buffer.writeInteger(UInt8(ascii: "\n"))
                            if buffer.readableBytes >= pieceSize {
                                try await writer.write(buffer)
                                buffer.clear()
                            }
                        }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            }
        }.get()
    }
}

extension BulkValue {
    /// The value in COPY's text format: `\N` for NULL; backslash, tab, newline and carriage
    /// return escaped.
    fileprivate func writeCopyText(to buffer: inout ByteBuffer) {
        switch self {
        case .text(let text):
            var text = text
            text.withUTF8 { bytes in
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            }
        case .integer(let number): buffer.writeString(String(number))
        case .real(let number):
            if number.isNaN {
                buffer.writeStaticString("NaN")
            } else if number.isInfinite {
                buffer.writeStaticString(number > 0 ? "Infinity" : "-Infinity")
            } else {
                buffer.writeString(number.description)
            }
        case .bool(let flag): buffer.writeStaticString(flag ? "t" : "f")
        case .uuid(let id): buffer.writeString(id.uuidString)
        case .date(let date): buffer.writeString(Self.timestampText(date))
        case .null: buffer.writeStaticString("\\N")
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`, the microseconds cut as PostgresNIO cuts them when it
    /// binds a `Date` (so a bulk-written time equals one written by Fluent).
    private static func timestampText(_ date: Date) -> String {
        let since2000 = Int64(date.timeIntervalSince(postgresEpoch) * 1_000_000)
        var micros = since2000 % 1_000_000
        var seconds = Int(since2000 / 1_000_000) + 946_684_800
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let six = String(micros)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))."
            + String(repeating: "0", count: 6 - six.count) + six + "+00"
    }

    /// 2000-01-01 00:00:00 UTC, PostgreSQL's timestamp origin.
    private static let postgresEpoch = Date(timeIntervalSince1970: 946_684_800)
}
