import Foundation

/// How the bytes of a CSV file encode text.
public enum CSVEncoding: String, Sendable, Equatable, CaseIterable {
    /// UTF-8 without a byte order mark.
    case utf8
    /// UTF-8 starting with the byte order mark EF BB BF, as Excel's "CSV UTF-8" writes it.
    case utf8WithBOM
    /// Windows-1252, what Excel's plain "CSV (Comma delimited)" writes on US Windows.
    case windows1252
}

/// The encoding and separators of one CSV file.
public struct CSVDialect: Sendable, Equatable {
    /// The delimiters ``detect(sample:)`` chooses from, most preferred first: comma, semicolon,
    /// tab and pipe.
    public static let delimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]
    /// How many leading bytes ``detect(sample:)`` looks at.
    public static let sampleSize = 65_536
    /// The number of records ``detect(sample:)`` compares when choosing the delimiter.
    static let sampleRecords = 50

    public var encoding: CSVEncoding
    /// The byte between fields: one of ``delimiters``.
    public var delimiter: UInt8
    /// The byte that opens and closes a quoted field: `"`.
    public var quote: UInt8

    public init(encoding: CSVEncoding = .utf8, delimiter: UInt8 = 0x2C, quote: UInt8 = 0x22) {
        precondition(Self.delimiters.contains(delimiter), "unsupported CSV delimiter")
        precondition(![delimiter, 0x0A, 0x0D].contains(quote), "unsupported CSV quote")
        self.encoding = encoding
        self.delimiter = delimiter
        self.quote = quote
    }

    /// The dialect of a file from its first bytes (the first ``sampleSize`` bytes, or the whole
    /// file when it is smaller; a sample of ``sampleSize`` bytes or more is taken to be cut off,
    /// so its last line is not compared).
    ///
    /// The encoding is UTF-8 with a BOM when the BOM is there, UTF-8 when the bytes are valid
    /// UTF-8, and otherwise Windows-1252 when every byte is one that encoding defines and the
    /// text is mostly ASCII. The delimiter is the candidate that appears in the header line and
    /// occurs, outside quotes, as many times in the most of the following records; a file with
    /// one column gets a comma. Throws when the bytes are not CSV text at all.
    public static func detect(sample: [UInt8]) throws(CSVFormatError) -> CSVDialect {
        let isCutOff = sample.count >= sampleSize
        let bytes = sample.prefix(sampleSize)
        if bytes.isEmpty { throw .empty }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { throw .utf16 }
        if let format = CSVFormatError.FileFormat(magic: bytes) { throw .otherFormat(format) }
        if bytes.contains(0) { throw .binary }

        let encoding: CSVEncoding
        var body = bytes
        if bytes.starts(with: UTF8Validation.byteOrderMark) {
            encoding = .utf8WithBOM
            body = bytes.dropFirst(UTF8Validation.byteOrderMark.count)
        } else if body.withUnsafeBufferPointer({
            UTF8Validation.isValid($0, allowCutOff: isCutOff)
        }) {
            encoding = .utf8
        } else if Windows1252.isPlausible(body) {
            encoding = .windows1252
        } else {
            throw .unknownEncoding
        }
        if body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { throw .empty }
        if let format = CSVFormatError.FileFormat(markup: body) { throw .otherFormat(format) }

        let records = DelimiterCounts.records(in: body, dropLast: isCutOff)
        guard let header = records.first else { throw .empty }
        let data = records.dropFirst()
        let scored = delimiters.indices.filter { header.counts[$0] > 0 }.map { candidate in
            let matches = data.count { $0.counts[candidate] == header.counts[candidate] }
            return (candidate: candidate, matches: matches, count: header.counts[candidate])
        }
        // max(by:) keeps the first of equal elements: the preferred candidate wins a tie.
        let best = scored.max { ($0.matches, $0.count) < ($1.matches, $1.count) }
        if best == nil && data.isEmpty { throw .singleLineWithoutDelimiter }
        let delimiter = best.map { delimiters[$0.candidate] } ?? delimiters[0]
        let quote: UInt8 = 0x22
        let headerHasText = body[header.range].contains {
            $0 != delimiter && $0 != quote && $0 != 0x20 && $0 != 0x09
        }
        guard headerHasText else { throw .noHeader }
        return CSVDialect(encoding: encoding, delimiter: delimiter, quote: quote)
    }
}

/// Counts of each candidate delimiter outside quotes, record by record, for dialect detection.
private struct DelimiterCounts {
    var range: Range<Int>
    var counts: [Int]

    /// The first records of `body`, blank lines left out; a record spans lines while a quote is
    /// open. With `dropLast` the last record is left out unless it ended with a line break or
    /// is the only one.
    static func records(in body: ArraySlice<UInt8>, dropLast: Bool) -> [DelimiterCounts] {
        var records: [DelimiterCounts] = []
        var counts = [Int](repeating: 0, count: CSVDialect.delimiters.count)
        var start = body.startIndex
        var inQuotes = false
        var index = body.startIndex
        while index < body.endIndex, records.count < CSVDialect.sampleRecords {
            let byte = body[index]
            if byte == 0x22 {
                inQuotes.toggle()
            } else if !inQuotes, byte == 0x0A || byte == 0x0D {
                if index > start {
                    records.append(DelimiterCounts(range: start..<index, counts: counts))
                }
                counts = counts.map { _ in 0 }
                start = index + 1
            } else if !inQuotes, let candidate = CSVDialect.delimiters.firstIndex(of: byte) {
                counts[candidate] += 1
            }
            index += 1
        }
        let isWhitespace = body[start...].allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if index == body.endIndex, !dropLast || records.isEmpty, !isWhitespace {
            records.append(DelimiterCounts(range: start..<index, counts: counts))
        }
        return records
    }
}
