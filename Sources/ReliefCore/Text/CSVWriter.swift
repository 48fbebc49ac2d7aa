/// Builds RFC 4180 CSV text with CRLF line ends, safe to open in a spreadsheet: a field that
/// starts like a formula (=, +, -, @, tab, CR or NUL, the OWASP ASVS 1.2.10 list) gets a
/// leading apostrophe so it shows as text.
public struct CSVWriter: Sendable {
    /// The CSV so far: the header line, then one line per appended row.
    public private(set) var text: String

    /// A writer holding the header line; an empty header writes no line.
    public init(header: [String]) {
        text = header.isEmpty ? "" : Self.line(header)
    }

    public mutating func append(_ row: [String]) {
        text += Self.line(row)
    }

    /// One CSV line, CRLF included, for writing rows as a stream.
    public static func line(_ fields: [String]) -> String {
        fields.map(encoded).joined(separator: ",") + "\r\n"
    }

    private static func encoded(_ field: String) -> String {
        var field = field
        if let first = field.unicodeScalars.first, "=+-@\t\r\u{0}".unicodeScalars.contains(first) {
            field = "'" + field
        }
        let needsQuotes = field.unicodeScalars.contains { ",\"\r\n".unicodeScalars.contains($0) }
        guard needsQuotes else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
