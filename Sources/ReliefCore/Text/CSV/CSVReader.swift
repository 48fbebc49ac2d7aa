/// A streaming CSV parser working on bytes: push bytes with ``append(_:)`` as they arrive, pull
/// the records complete so far with ``next()``, and call ``finish()`` at the end of the input so
/// the last record (without a line break) comes out too.
///
/// Memory stays bounded by the longest record: consumed bytes are dropped from the buffer, and
/// a record longer than ``maxRecordBytes`` becomes a malformed row. Records follow RFC 4180
/// with the usual leniencies: lines may end in CRLF, LF or a lone CR; blank lines are skipped
/// (but counted in ``CSVRow/number``); spaces between a delimiter and an opening quote, or
/// between a closing quote and the next delimiter, are ignored. A malformed record is
/// reported once, as a ``CSVRow/Content/malformed(reason:)`` row, and reading continues with
/// the next record:
/// - after a stray quote inside an unquoted field or text after a closing quote, the reader
///   keeps following the record's quoted fields (the stray quote and the text count as plain
///   bytes), so the record ends at its real end even when a later quoted field holds line
///   breaks;
/// - for a quote that is never closed (or not within ``maxRecordBytes``), reading goes on with
///   the line after the one where it opened;
/// - a record longer than ``maxRecordBytes`` outside quotes is dropped up to the end of its
///   line as the bytes arrive.
public struct CSVReader: Sendable {
    /// 1 MiB.
    public static let defaultMaxRecordBytes = 1 << 20

    public let dialect: CSVDialect
    /// The longest record, in bytes without its line break, before it is reported as
    /// malformed.
    public let maxRecordBytes: Int
    /// Whether ``finish()`` was called: a nil from ``next()`` then means the end of the input.
    public private(set) var isFinished = false

    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let space: UInt8 = 0x20

    private enum ScanState {
        case recordStart, fieldStart, unquoted, quoted, quoteInQuoted, afterClosingQuote
        /// Dropping bytes up to the end of the line, then reporting ``skipReason``.
        case skippingLine
    }

    private enum Step {
        case row(CSVRow)
        case needMore
        case again
    }

    /// A field of the current record, in bytes from the record's start.
    private struct FieldSpan {
        var start: Int
        var end: Int
        var hasEscapes: Bool
    }

    /// Unconsumed input; `buffer[0]` is byte `bufferOffset` of the file.
    private var buffer: [UInt8] = []
    private var bufferOffset: Int64 = 0
    /// Where the current record starts in `buffer`.
    private var head = 0
    /// The next byte to look at.
    private var cursor = 0
    private var state = ScanState.recordStart
    private var spans: [FieldSpan] = []
    private var fieldStart = 0
    private var fieldHasEscapes = false
    /// Where the current quoted field's opening quote is, from the record's start.
    private var quoteStart = 0
    private var recordNumber = 0
    private var recordOffset: Int64 = 0
    private var skipReason = ""
    /// The first quoting error of the current record: the record is read on to its end (quoted
    /// fields still tracked) and then reported as malformed with this reason.
    private var recordError: String?
    /// The previous record ended with CR, so an LF right after it belongs to that line end.
    private var skipsLineFeed = false
    private var checksByteOrderMark: Bool

    public init(dialect: CSVDialect, maxRecordBytes: Int = defaultMaxRecordBytes) {
        precondition((1...(1 << 40)).contains(maxRecordBytes), "maxRecordBytes out of range")
        self.dialect = dialect
        self.maxRecordBytes = maxRecordBytes
        checksByteOrderMark = dialect.encoding != .windows1252
    }

    /// Every row of a whole file held in memory, with the dialect detected from its start; for
    /// tests and small uploads. Throws when the bytes are not CSV.
    public static func readAll(
        _ data: [UInt8], maxRecordBytes: Int = defaultMaxRecordBytes
    ) throws(CSVFormatError) -> (dialect: CSVDialect, rows: [CSVRow]) {
        let dialect = try CSVDialect.detect(sample: data)
        var reader = CSVReader(dialect: dialect, maxRecordBytes: maxRecordBytes)
        reader.append(data)
        reader.finish()
        var rows: [CSVRow] = []
        while let row = reader.next() { rows.append(row) }
        return (dialect, rows)
    }

    /// Adds the next bytes of the input.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        precondition(!isFinished, "CSVReader.append(_:) after finish()")
        if head > 0, head >= buffer.count - head {
            buffer.removeSubrange(..<head)
            bufferOffset += Int64(head)
            cursor -= head
            head = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Adds the next bytes of the input.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        let appended: Void? = bytes.withContiguousStorageIfAvailable {
            append(UnsafeRawBufferPointer($0))
        }
        if appended == nil { append(Array(bytes)) }
    }

    /// Marks the end of the input: the last record no longer needs a line break.
    public mutating func finish() {
        isFinished = true
    }

    /// The next complete record, or nil when the bytes so far hold no further complete record
    /// (after ``finish()``: when the input is exhausted).
    public mutating func next() -> CSVRow? {
        let bytes = buffer
        return bytes.withUnsafeBufferPointer { bytes in
            while true {
                let step: Step
                switch state {
                case .recordStart: step = startRecord(bytes)
                case .skippingLine: step = skipLine(bytes)
                default: step = scanFields(bytes)
                }
                switch step {
                case .row(let row): return row
                case .needMore: return nil
                case .again: continue
                }
            }
        }
    }

    /// Skips a byte order mark at the start of the file, the LF of a CRLF and blank lines,
    /// then starts a record.
    private mutating func startRecord(_ bytes: UnsafeBufferPointer<UInt8>) -> Step {
        head = cursor
        if checksByteOrderMark {
            let rest = bytes[cursor...]
            let mark = UTF8Validation.byteOrderMark
            if rest.count < mark.count, !isFinished, mark.starts(with: rest) { return .needMore }
            if rest.starts(with: mark) { cursor += mark.count }
            checksByteOrderMark = false
        }
        if skipsLineFeed {
            guard cursor < bytes.count else { return .needMore }
            if bytes[cursor] == Self.lineFeed { cursor += 1 }
            skipsLineFeed = false
        }
        head = cursor
        guard cursor < bytes.count else { return .needMore }
        recordNumber += 1
        recordOffset = bufferOffset + Int64(cursor)
        let byte = bytes[cursor]
        if byte == Self.lineFeed || byte == Self.carriageReturn {
            cursor += 1
            skipsLineFeed = byte == Self.carriageReturn
            return .again
        }
        spans.removeAll(keepingCapacity: true)
        recordError = nil
        state = .fieldStart
        return .again
    }

    /// Runs the field state machine from `cursor` to the end of the record, the end of the
    /// bytes so far, or the record size limit.
    private mutating func scanFields(_ bytes: UnsafeBufferPointer<UInt8>) -> Step {
        let quote = dialect.quote
        let delimiter = dialect.delimiter
        let lineFeed = Self.lineFeed
        let carriageReturn = Self.carriageReturn
        let limit = min(bytes.count, head + maxRecordBytes + 1)
        var index = cursor
        scanning: while true {
            switch state {
            case .fieldStart:
                guard index < limit else { break scanning }
                if bytes[index] == quote {
                    openQuote(at: index)
                    index += 1
                    state = .quoted
                } else {
                    fieldStart = index - head
                    state = .unquoted
                }
            case .unquoted:
                while index < limit {
                    let byte = bytes[index]
                    if byte == delimiter || byte == quote || byte == lineFeed
                        || byte == carriageReturn
                    {
                        break
                    }
                    index += 1
                }
                guard index < limit else { break scanning }
                let byte = bytes[index]
                if byte == quote {
                    let before = bytes[(head + fieldStart)..<index]
                    guard before.allSatisfy({ $0 == Self.space }) else {
                        // A stray quote: the record is malformed, but it may still hold quoted
                        // fields with line breaks, so read on to its end with this quote as a
                        // plain byte.
                        if recordError == nil { recordError = Self.quoteInUnquotedField }
                        index += 1
                        continue
                    }
                    openQuote(at: index)
                    index += 1
                    state = .quoted
                    continue
                }
                spans.append(FieldSpan(start: fieldStart, end: index - head, hasEscapes: false))
                if byte != delimiter { return .row(completeRecord(at: index, bytes)) }
                index += 1
                state = .fieldStart
            case .quoted:
                while index < limit, bytes[index] != quote { index += 1 }
                guard index < limit else { break scanning }
                index += 1
                state = .quoteInQuoted
            case .quoteInQuoted:
                guard index < limit else { break scanning }
                if bytes[index] == quote {
                    fieldHasEscapes = true
                    index += 1
                    state = .quoted
                } else {
                    closeQuotedField(at: index - 1)
                    state = .afterClosingQuote
                }
            case .afterClosingQuote:
                guard index < limit else { break scanning }
                let byte = bytes[index]
                if byte == delimiter {
                    index += 1
                    state = .fieldStart
                } else if byte == lineFeed || byte == carriageReturn {
                    return .row(completeRecord(at: index, bytes))
                } else if byte == Self.space {
                    index += 1
                } else {
                    // Text after the closing quote: malformed; the rest of the field up to the
                    // next delimiter is plain bytes (quotes included), later fields are read as
                    // usual so the record ends where it really ends.
                    if recordError == nil { recordError = Self.textAfterClosingQuote }
                    fieldStart = index - head
                    index += 1
                    state = .unquoted
                }
            case .recordStart, .skippingLine:
                preconditionFailure("scanFields(_:) outside a record")
            }
        }
        cursor = index
        let inQuotes = state == .quoted || state == .quoteInQuoted
        if index == head + maxRecordBytes + 1 {
            if inQuotes {
                return unterminatedQuote(
                    reason: recordError ?? Self.quoteNotClosed(within: maxRecordBytes))
            }
            return skipLine(from: index, reason: recordError ?? Self.recordTooLong(maxRecordBytes))
        }
        guard isFinished, index == bytes.count else { return .needMore }
        switch state {
        case .fieldStart:
            spans.append(FieldSpan(start: index - head, end: index - head, hasEscapes: false))
        case .unquoted:
            spans.append(FieldSpan(start: fieldStart, end: index - head, hasEscapes: false))
        case .quoteInQuoted:
            closeQuotedField(at: index - 1)
        case .quoted:
            return unterminatedQuote(reason: recordError ?? Self.quoteNeverClosed)
        case .afterClosingQuote, .recordStart, .skippingLine:
            break
        }
        return .row(completeRecord(at: index, bytes))
    }

    private mutating func openQuote(at index: Int) {
        quoteStart = index - head
        fieldStart = index + 1 - head
        fieldHasEscapes = false
    }

    private mutating func closeQuotedField(at closingQuote: Int) {
        spans.append(
            FieldSpan(start: fieldStart, end: closingQuote - head, hasEscapes: fieldHasEscapes))
    }

    /// Reports the current record as malformed once the end of the line holding `index` is
    /// in; the bytes up to it are dropped as they arrive.
    private mutating func skipLine(from index: Int, reason: String) -> Step {
        cursor = index
        skipReason = reason
        state = .skippingLine
        return .again
    }

    private mutating func skipLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Step {
        var index = cursor
        while index < bytes.count, bytes[index] != Self.lineFeed,
            bytes[index] != Self.carriageReturn
        {
            index += 1
        }
        guard index < bytes.count || isFinished else {
            cursor = index
            head = index
            return .needMore
        }
        return .row(endRecord(at: index, bytes, content: .malformed(reason: skipReason)))
    }

    /// Reports the current record as malformed and goes on with the line after the one where
    /// the open quote is.
    private mutating func unterminatedQuote(reason: String) -> Step {
        skipLine(from: head + quoteStart, reason: reason)
    }

    /// The record ending at `end` (its line break, or the end of the input) as a row.
    private mutating func completeRecord(at end: Int, _ bytes: UnsafeBufferPointer<UInt8>)
        -> CSVRow
    {
        let record = UnsafeBufferPointer(rebasing: bytes[head..<end])
        let content: CSVRow.Content
        if let recordError {
            content = .malformed(reason: recordError)
        } else if dialect.encoding != .windows1252,
            let bad = UTF8Validation.firstInvalidByte(record)
        {
            content = .malformed(reason: Self.invalidUTF8(at: recordOffset + Int64(bad)))
        } else {
            content = .fields(spans.map { decode(record[$0.start..<$0.end], $0.hasEscapes) })
        }
        return endRecord(at: end, bytes, content: content)
    }

    private mutating func endRecord(
        at end: Int, _ bytes: UnsafeBufferPointer<UInt8>, content: CSVRow.Content
    ) -> CSVRow {
        if end < bytes.count {
            skipsLineFeed = bytes[end] == Self.carriageReturn
            cursor = end + 1
        } else {
            cursor = end
        }
        head = cursor
        state = .recordStart
        return CSVRow(number: recordNumber, byteOffset: recordOffset, content: content)
    }

    /// The text of a field's bytes: `""` pairs become one quote when `hasEscapes`, and
    /// Windows-1252 is transcoded to UTF-8.
    private func decode(_ field: Slice<UnsafeBufferPointer<UInt8>>, _ hasEscapes: Bool) -> String {
        let transcodes = dialect.encoding == .windows1252 && field.contains { $0 >= 0x80 }
        if !hasEscapes && !transcodes {
            return String(decoding: UnsafeBufferPointer(rebasing: field), as: UTF8.self)
        }
        let quote = dialect.quote
        return String(unsafeUninitializedCapacity: transcodes ? field.count * 3 : field.count) {
            output in
            var count = 0
            var index = field.startIndex
            while index < field.endIndex {
                let byte = field[index]
                index += hasEscapes && byte == quote ? 2 : 1
                if transcodes {
                    count += Windows1252.encodeUTF8(byte, into: output, at: count)
                } else {
                    output[count] = byte
                    count += 1
                }
            }
            return count
        }
    }

    // MARK: Reasons

    private static let quoteInUnquotedField =
        "A field has a quote (\") inside it but does not start with one."
    private static let textAfterClosingQuote =
        "A quoted field has more text after its closing quote."
    private static let quoteNeverClosed = "A quoted field that starts on this row is never closed."

    private static func quoteNotClosed(within limit: Int) -> String {
        "A quoted field that starts on this row is not closed within \(limit) bytes."
    }

    private static func recordTooLong(_ limit: Int) -> String {
        "The row is longer than \(limit) bytes."
    }

    private static func invalidUTF8(at offset: Int64) -> String {
        "The text is not valid UTF-8 at byte \(offset) of the file."
    }
}
