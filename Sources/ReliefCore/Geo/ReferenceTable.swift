/// A reference data file (`Resources/Data`) that could not be read, with the line at fault.
public struct ReferenceDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line number in the file; the header is line 1.
    public var line: Int
    /// What is wrong with the line.
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// Reads the well-formed CSV files in `Resources/Data`: a header line naming the columns, then one
/// record per line (LF or CRLF line ends). A field may be quoted, with `""` for a quote inside it.
/// Blank lines are skipped; a record with the wrong number of fields is an error.
enum ReferenceTable {
    /// Calls `body` with each record's line number and its fields in the order of `columns`,
    /// which must all be named in the header (in any order; other columns are ignored).
    static func read(
        _ text: String, columns: [String], _ body: (_ line: Int, _ fields: [String]) throws -> Void
    ) throws {
        var text = text
        try text.withUTF8 { bytes in
            var scanner = ReferenceScanner(bytes: bytes)
            var record: [String] = []
            guard try scanner.nextRecord(into: &record) != nil else {
                throw ReferenceDataError(line: 1, reason: "the file is empty")
            }
            let width = record.count
            let positions = try columns.map { column in
                guard let position = record.firstIndex(of: column) else {
                    throw ReferenceDataError(line: 1, reason: "the header has no \(column) column")
                }
                return position
            }
            while let line = try scanner.nextRecord(into: &record) {
                guard record.count == width else {
                    throw ReferenceDataError(
                        line: line, reason: "expected \(width) fields, found \(record.count)")
                }
                try body(line, positions.map { record[$0] })
            }
        }
    }

    /// Whether `text` is `count` ASCII digits.
    static func isDigits(_ text: some StringProtocol, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The space-separated items of a field ("212 332 347"), without empty ones.
    static func items(_ field: String) -> [String] {
        field.split(separator: " ").map(String.init)
    }
}

private let comma = UInt8(ascii: ",")
private let quote = UInt8(ascii: "\"")
private let carriageReturn = UInt8(ascii: "\r")
private let lineFeed = UInt8(ascii: "\n")

/// Splits UTF-8 bytes into records and fields, counting lines for error messages.
private struct ReferenceScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var line = 1

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // a byte order mark
    }

    /// Replaces `fields` with the next record's fields and returns the line it starts on, or nil
    /// at the end of the text.
    mutating func nextRecord(into fields: inout [String]) throws -> Int? {
        while index < bytes.count, isLineEnd(bytes[index]) { endLine() }
        guard index < bytes.count else { return nil }
        let start = line
        fields.removeAll(keepingCapacity: true)
        while true {
            fields.append(try field())
            guard index < bytes.count else { return start }
            if bytes[index] == comma {
                index += 1
            } else {
                endLine()
                return start
            }
        }
    }

    private mutating func field() throws -> String {
        if index < bytes.count, bytes[index] == quote { return try quotedField() }
        let start = index
        while index < bytes.count, bytes[index] != comma, !isLineEnd(bytes[index]) {
            if bytes[index] == quote {
                throw ReferenceDataError(line: line, reason: "a quote inside an unquoted field")
            }
            index += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func quotedField() throws -> String {
        let start = line
        var value: [UInt8] = []
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == quote {
                guard index < bytes.count, bytes[index] == quote else {
                    if index < bytes.count, bytes[index] != comma, !isLineEnd(bytes[index]) {
                        throw ReferenceDataError(
                            line: line, reason: "text after the closing quote of a field")
                    }
                    return String(decoding: value, as: UTF8.self)
                }
                index += 1
            } else if byte == lineFeed {
                line += 1
            }
            value.append(byte)
        }
        throw ReferenceDataError(line: start, reason: "a quoted field is not closed")
    }

    private func isLineEnd(_ byte: UInt8) -> Bool { byte == lineFeed || byte == carriageReturn }

    /// Steps over one line end: LF, CRLF or a lone CR.
    private mutating func endLine() {
        if bytes[index] == carriageReturn, index + 1 < bytes.count, bytes[index + 1] == lineFeed {
            index += 1
        }
        index += 1
        line += 1
    }
}
