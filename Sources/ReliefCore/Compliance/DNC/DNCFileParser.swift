/// A streaming parser of Do-Not-Call registry files, full lists and change lists: feed it byte
/// chunks of any size with ``consume(_:)``, then call ``finish()`` once.
///
/// A line is one number, in one of these layouts (fields separated by commas):
///
/// | layout | example |
/// |---|---|
/// | ten digits | `2025550143` |
/// | area code, number | `202,5550143` |
/// | either, with an add or delete flag as the last field | `2025550143,D` or `202,5550143,A` |
/// | either, with the flag as the first field | `D,2025550143` or `A,202,5550143` |
///
/// The flag is `A`, `ADD` or `+` for an addition and `D`, `DEL`, `DELETE` or `-` for a deletion,
/// in any case; a line without one is an addition (a full list). Around every field, spaces and
/// tabs are ignored and one pair of double quotes is removed. Lines end in LF or CRLF; the last
/// one may have no end. Blank lines are skipped, and so is the first non-blank line when it has
/// letters and no digit (a header such as `areacode,number`); a UTF-8 byte order mark at the start
/// is ignored.
///
/// A number is valid when it has ten digits and both its area code and its exchange (the fourth
/// digit) start with 2-9. Anything else (other separators such as `202-555-0143`, a leading
/// country code `1`, an empty field, a fourth field, a line over 256 bytes) is a rejected line,
/// counted and kept with its line number and reason (the first `maximumRejectedLinesKept` of
/// them), and the rest of the file loads.
public struct DNCFileParser {
    /// Longer lines (without their end) are rejected.
    public static let maximumLineLength = 256
    /// The bytes of a rejected line's text that are kept.
    static let keptTextBytes = 100

    private let maximumRejectedLinesKept: Int
    private let file: String?
    private var additions = [[UInt32]](repeating: [], count: 1_000)
    private var removals = [[UInt32]](repeating: [], count: 1_000)
    /// The start of a line whose end is in a later chunk (at most `maximumLineLength + 1` bytes:
    /// enough to tell that it is too long).
    private var partial: [UInt8] = []
    private var linesRead = 0
    private var sawContent = false
    private var rejectedCount = 0
    private var rejected: [DNCRejectedLine] = []
    private var isChangeList = false

    /// A parser that keeps the first `maximumRejectedLinesKept` rejected lines (and counts all of
    /// them). `file` names the file in the rejected lines, where one result gathers several files
    /// (the entries of a zip archive).
    public init(maximumRejectedLinesKept: Int = 1000, file: String? = nil) {
        self.maximumRejectedLinesKept = max(0, maximumRejectedLinesKept)
        self.file = file
    }

    /// Parses the next bytes of the file; a line may be split anywhere between chunks.
    public mutating func consume(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { consume(buffer: $0) }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { consume(buffer: $0) }
        }
    }

    /// Parses the last line (which may have no line end) and returns what the file holds.
    public mutating func finish() -> DNCParseResult {
        if !partial.isEmpty { parsePartialLine() }
        var result = DNCParseResult()
        for areaCode in 0..<1_000 {
            if !additions[areaCode].isEmpty { result.additions[areaCode] = additions[areaCode] }
            if !removals[areaCode].isEmpty { result.removals[areaCode] = removals[areaCode] }
        }
        additions = []
        removals = []
        result.linesRead = linesRead
        result.rejectedCount = rejectedCount
        result.rejected = rejected
        result.isChangeList = isChangeList
        return result
    }

    private mutating func consume(buffer: UnsafeBufferPointer<UInt8>) {
        var lineStart = 0
        for index in buffer.indices where buffer[index] == UInt8(ascii: "\n") {
            if partial.isEmpty {
                parse(line: UnsafeBufferPointer(rebasing: buffer[lineStart..<index]))
            } else {
                keep(UnsafeBufferPointer(rebasing: buffer[lineStart..<index]))
                parsePartialLine()
            }
            lineStart = index + 1
        }
        if lineStart < buffer.count {
            keep(UnsafeBufferPointer(rebasing: buffer[lineStart...]))
        }
    }

    private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>) {
        let room = Self.maximumLineLength + 1 - partial.count
        if room > 0 { partial.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func parsePartialLine() {
        var line: [UInt8] = []
        swap(&line, &partial)
        line.withUnsafeBufferPointer { parse(line: $0) }
        line.removeAll(keepingCapacity: true)
        swap(&line, &partial)
    }

    // MARK: - One line

    /// One comma-separated field of a line.
    private enum Field {
        case empty
        /// Only digits: how many, and their value while there are at most 18 of them.
        case digits(count: Int, value: Int)
        case flag(isAddition: Bool)
        case other(Range<Int>)
    }

    private mutating func parse(line raw: UnsafeBufferPointer<UInt8>) {
        linesRead += 1
        var start = 0
        var end = raw.count
        if linesRead == 1, end >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { start = 3 }
        while start < end, Self.isBlank(raw[start]) { start += 1 }
        while end > start, Self.isBlank(raw[end - 1]) { end -= 1 }
        guard start < end else { return }
        let firstContent = !sawContent
        sawContent = true
        guard raw.count <= Self.maximumLineLength else {
            return reject(raw, .tooLong)
        }
        if firstContent, Self.isHeader(UnsafeBufferPointer(rebasing: raw[start..<end])) { return }

        var fields: (Field, Field, Field) = (.empty, .empty, .empty)
        var fieldCount = 0
        var fieldStart = start
        for index in start...end where index == end || raw[index] == UInt8(ascii: ",") {
            let field = Self.field(raw, fieldStart..<index)
            switch fieldCount {
            case 0: fields.0 = field
            case 1: fields.1 = field
            case 2: fields.2 = field
            default: break
            }
            fieldCount += 1
            fieldStart = index + 1
        }
        guard fieldCount <= 3 else { return reject(raw, .tooManyFields(fieldCount)) }
        let parsed = fields
        func field(at position: Int) -> Field {
            position == 0 ? parsed.0 : position == 1 ? parsed.1 : parsed.2
        }
        // The number fields are first...last: all but a flag in the first or the last field.
        var first = 0
        var last = fieldCount - 1
        var isAddition = true
        for position in 0..<fieldCount {
            switch field(at: position) {
            case .empty:
                return reject(raw, .emptyField)
            case .other(let range):
                return reject(raw, .notANumber(Self.text(raw, range, limit: 24)))
            case .flag(let addition):
                guard fieldCount > 1, first == 0, last == fieldCount - 1 else {
                    return reject(raw, .misplacedFlag)
                }
                if position == 0 {
                    first = 1
                } else if position == fieldCount - 1 {
                    last -= 1
                } else {
                    return reject(raw, .misplacedFlag)
                }
                isAddition = addition
            case .digits:
                break
            }
        }
        if last - first + 1 < fieldCount { isChangeList = true }
        let number: Int
        switch (last - first, field(at: first), field(at: last)) {
        case (0, .digits(10, let value), _):
            number = value
        case (1, .digits(3, let areaCode), .digits(7, let subscriber)):
            number = areaCode * 10_000_000 + subscriber
        default:
            let counts = (first...last).map { position -> Int in
                if case .digits(let count, _) = field(at: position) { return count }
                return 0
            }
            return reject(raw, .wrongDigitCount(counts))
        }
        let areaCode = number / 10_000_000
        let subscriber = number % 10_000_000
        guard areaCode >= 200 else {
            return reject(raw, .invalidAreaCode(Self.padded(areaCode, to: 3)))
        }
        guard subscriber >= 2_000_000 else {
            return reject(raw, .invalidExchange(Self.padded(subscriber / 10_000, to: 3)))
        }
        if isAddition {
            additions[areaCode].append(UInt32(subscriber))
        } else {
            removals[areaCode].append(UInt32(subscriber))
        }
    }

    private static func field(_ raw: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Field {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, isBlank(raw[start]) { start += 1 }
        while end > start, isBlank(raw[end - 1]) { end -= 1 }
        if end - start >= 2, raw[start] == UInt8(ascii: "\""), raw[end - 1] == UInt8(ascii: "\"") {
            start += 1
            end -= 1
            while start < end, isBlank(raw[start]) { start += 1 }
            while end > start, isBlank(raw[end - 1]) { end -= 1 }
        }
        guard start < end else { return .empty }
        var value = 0
        var isDigits = true
        for index in start..<end {
            let byte = raw[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                isDigits = false
                break
            }
            if index - start < 18 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
        }
        if isDigits { return .digits(count: end - start, value: value) }
        switch end - start {
        case 1:
            switch raw[start] {
            case UInt8(ascii: "A"), UInt8(ascii: "a"), UInt8(ascii: "+"):
                return .flag(isAddition: true)
            case UInt8(ascii: "D"), UInt8(ascii: "d"), UInt8(ascii: "-"):
                return .flag(isAddition: false)
            default:
                return .other(start..<end)
            }
        default:
            let word = String(
                decoding: UnsafeBufferPointer(rebasing: raw[start..<end]), as: UTF8.self
            )
            .uppercased()
            switch word {
            case "ADD": return .flag(isAddition: true)
            case "DEL", "DELETE": return .flag(isAddition: false)
            default: return .other(start..<end)
            }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// A header: letters and no digit.
    private static func isHeader(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var hasLetter = false
        for byte in line {
            if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { return false }
            if (byte | 0x20) >= UInt8(ascii: "a"), (byte | 0x20) <= UInt8(ascii: "z") {
                hasLetter = true
            }
        }
        return hasLetter
    }

    private static func padded(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func text(_ raw: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, limit: Int)
        -> String
    {
        let shown = range.lowerBound..<min(range.upperBound, range.lowerBound + limit)
        let text = String(decoding: UnsafeBufferPointer(rebasing: raw[shown]), as: UTF8.self)
        return shown.count < range.count ? text + "…" : text
    }

    private mutating func reject(
        _ raw: UnsafeBufferPointer<UInt8>, _ reason: DNCRejectedLine.Reason
    ) {
        rejectedCount += 1
        guard rejected.count < maximumRejectedLinesKept else { return }
        var end = raw.count
        while end > 0, raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        rejected.append(
            DNCRejectedLine(
                lineNumber: linesRead, reason: reason,
                text: Self.text(raw, 0..<end, limit: Self.keptTextBytes), file: file))
    }
}

/// What a registry file holds, from ``DNCFileParser``.
public struct DNCParseResult: Sendable, Equatable {
    /// Area code -> the subscriber numbers (seven digits) to add: the lines of a full list and
    /// the additions of a change list, in file order, duplicates kept.
    public var additions: [Int: [UInt32]] = [:]
    /// Area code -> the subscriber numbers a change list deletes.
    public var removals: [Int: [UInt32]] = [:]
    /// Lines read, blank and header lines included.
    public var linesRead = 0
    /// Lines rejected.
    public var rejectedCount = 0
    /// The first rejected lines (as many as the parser was told to keep).
    public var rejected: [DNCRejectedLine] = []
    /// Whether any line carried an add or delete flag.
    public var isChangeList = false

    /// An empty result.
    public init() {}

    /// The numbers of all additions (duplicates counted).
    public var additionCount: Int { additions.values.reduce(0) { $0 + $1.count } }

    /// The numbers of all removals (duplicates counted).
    public var removalCount: Int { removals.values.reduce(0) { $0 + $1.count } }

    /// Adds the lines of another file (the next entry of a zip archive, say) to this result,
    /// keeping at most `maximumRejectedLinesKept` rejected lines in all.
    public mutating func merge(_ other: DNCParseResult, maximumRejectedLinesKept: Int = 1000) {
        additions.merge(other.additions) { $0 + $1 }
        removals.merge(other.removals) { $0 + $1 }
        linesRead += other.linesRead
        rejectedCount += other.rejectedCount
        rejected += other.rejected.prefix(max(0, maximumRejectedLinesKept - rejected.count))
        isChangeList = isChangeList || other.isChangeList
    }
}

/// A line of a registry file that was not loaded.
public struct DNCRejectedLine: Sendable, Equatable {
    /// Why a line was rejected.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// Over ``DNCFileParser/maximumLineLength`` bytes.
        case tooLong
        /// More than three comma-separated fields (how many).
        case tooManyFields(Int)
        /// A field with nothing in it (`202,,5550143`, a trailing comma).
        case emptyField
        /// A field that is neither digits nor a flag (its text, shortened).
        case notANumber(String)
        /// A flag in the middle, a second flag, or a flag alone.
        case misplacedFlag
        /// Number fields of the wrong length (the digits in each).
        case wrongDigitCount([Int])
        /// An area code that does not start with 2-9.
        case invalidAreaCode(String)
        /// An exchange (digits 4-6) that does not start with 2-9.
        case invalidExchange(String)

        public var description: String {
            switch self {
            case .tooLong:
                "longer than \(DNCFileParser.maximumLineLength) bytes"
            case .tooManyFields(let count):
                "\(count) fields; a line has a number (one field, or area code and number) and "
                    + "at most one add/delete flag"
            case .emptyField:
                "an empty field"
            case .notANumber(let text):
                "'\(text)' is neither digits nor an add/delete flag (A, ADD, +, D, DEL, DELETE, -)"
            case .misplacedFlag:
                "an add/delete flag must be the first or the last field, once, beside a number"
            case .wrongDigitCount(let counts):
                "\(counts.map(String.init).joined(separator: " + ")) digits; a number is 10 "
                    + "digits, or an area code of 3 and a number of 7"
            case .invalidAreaCode(let areaCode):
                "area code \(areaCode) does not start with 2-9"
            case .invalidExchange(let exchange):
                "exchange \(exchange) does not start with 2-9"
            }
        }
    }

    /// The line's number in its file, from 1.
    public var lineNumber: Int
    /// Why it was rejected.
    public var reason: Reason
    /// The line as read without its line end, cut after 100 bytes (ending in "…" then).
    public var text: String
    /// The file it came from, when the parser was given one (a zip archive's entry).
    public var file: String?

    /// A rejected line.
    public init(lineNumber: Int, reason: Reason, text: String, file: String? = nil) {
        self.lineNumber = lineNumber
        self.reason = reason
        self.text = text
        self.file = file
    }
}
