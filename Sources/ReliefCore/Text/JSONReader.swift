/// Reads JSON (RFC 8259) from bytes one value at a time, for request bodies too large for
/// `JSONDecoder` to read quickly (a batch of ten thousand gate checks). The caller walks the
/// document: ``readObject(_:)`` hands over each member name, ``readArray(_:)`` each element, and
/// the caller reads or skips each value. Every failure names the byte offset where the document
/// stops being what was expected.
public struct JSONReader {
    /// Why the document could not be read, and where.
    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        /// Zero-based offset of the byte where reading stopped.
        public var offset: Int
        public var message: String

        public init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }

        public var description: String { "\(message) at byte \(offset)" }
    }

    /// What the next value is, judged from its first byte.
    public enum Kind: Equatable, Sendable {
        case object, array, string, number, bool, null
    }

    private let bytes: [UInt8]
    /// Offset of the next unread byte.
    public private(set) var offset = 0
    /// Nesting deeper than this is refused rather than followed.
    public static let maximumDepth = 512
    private var depth = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The kind of the next value (after any whitespace); nil at the end or at a byte that
    /// cannot start one.
    public mutating func peekKind() -> Kind? {
        skipWhitespace()
        guard offset < bytes.count else { return nil }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Reads an object, calling `member` with each name; `member` must read or skip the value.
    public mutating func readObject(_ member: (String, inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "Expected an object")
        try enterNesting()
        skipWhitespace()
        if consume(UInt8(ascii: "}")) {
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw fail("Expected a member name in quotes")
            }
            let name = try readString()
            try expect(UInt8(ascii: ":"), "Expected ':' after a member name")
            skipWhitespace()
            let before = offset
            try member(name, &self)
            if offset == before { try skipValue() }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "}"), "Expected ',' or '}' in an object")
            depth -= 1
            return
        }
    }

    /// Reads an array, calling `element` for each element; `element` must read or skip it.
    public mutating func readArray(_ element: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "Expected an array")
        try enterNesting()
        skipWhitespace()
        if consume(UInt8(ascii: "]")) {
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            let before = offset
            try element(&self)
            if offset == before { try skipValue() }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            try expect(UInt8(ascii: "]"), "Expected ',' or ']' in an array")
            depth -= 1
            return
        }
    }

    /// Reads a string value, decoding escapes; invalid UTF-8 is refused.
    public mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""), "Expected a string")
        let start = offset
        // The common case: no escapes, one slice of the input.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = try utf8(start..<offset)
                offset += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("Control character inside a string") }
            offset += 1
        }
        var decoded = Array(bytes[start..<offset])
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                guard let text = String(validating: decoded, as: UTF8.self) else {
                    throw Failure(offset: start, message: "The string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                offset += 1
                try readEscape(into: &decoded)
            case ..<0x20:
                throw fail("Control character inside a string")
            default:
                decoded.append(byte)
                offset += 1
            }
        }
        throw Failure(offset: start - 1, message: "Unterminated string")
    }

    /// A string, or nil for `null`.
    public mutating func readOptionalString() throws -> String? {
        if peekKind() == .null {
            try skipValue()
            return nil
        }
        return try readString()
    }

    /// `true` or `false`.
    public mutating func readBool() throws -> Bool {
        skipWhitespace()
        if consumeLiteral("true") { return true }
        if consumeLiteral("false") { return false }
        throw fail("Expected true or false")
    }

    /// A Boolean, or nil for `null`.
    public mutating func readOptionalBool() throws -> Bool? {
        if peekKind() == .null {
            try skipValue()
            return nil
        }
        return try readBool()
    }

    /// Reads past the next value of any kind, checking that it is well formed.
    public mutating func skipValue() throws {
        switch peekKind() {
        case .object: try readObject { _, reader in try reader.skipValue() }
        case .array: try readArray { reader in try reader.skipValue() }
        case .string: _ = try readString()
        case .bool: _ = try readBool()
        case .null:
            guard consumeLiteral("null") else { throw fail("Expected null") }
        case .number: try skipNumber()
        case nil:
            throw fail(offset < bytes.count ? "Expected a value" : "Unexpected end of the document")
        }
    }

    /// Checks that only whitespace follows the value just read.
    public mutating func finish() throws {
        skipWhitespace()
        guard offset == bytes.count else { throw fail("Unexpected content after the document") }
    }

    // MARK: - Pieces

    private mutating func readEscape(into decoded: inout [UInt8]) throws {
        guard offset < bytes.count else { throw fail("Unterminated escape") }
        let letter = bytes[offset]
        offset += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            let escapeStart = offset - 2
            var scalar = UInt32(try readHex4())
            if (0xD800...0xDBFF).contains(scalar) {
                guard consumeLiteral("\\u") else {
                    throw Failure(offset: escapeStart, message: "Unpaired surrogate escape")
                }
                let low = UInt32(try readHex4())
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw Failure(offset: escapeStart, message: "Unpaired surrogate escape")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw Failure(offset: escapeStart, message: "Unpaired surrogate escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw Failure(offset: escapeStart, message: "Invalid \\u escape")
            }
            decoded.append(contentsOf: String(Character(unicode)).utf8)
        default:
            offset -= 1
            throw fail("Unknown escape")
        }
    }

    private mutating func readHex4() throws -> UInt16 {
        guard offset + 4 <= bytes.count else { throw fail("Expected four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("Expected a hex digit")
            }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() throws {
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            // A leading zero stands alone.
        } else if try digits() == 0 {
            throw fail("Expected a digit")
        }
        if consume(UInt8(ascii: ".")), try digits() == 0 {
            throw fail("Expected a digit after the decimal point")
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            if try digits() == 0 { throw fail("Expected a digit in the exponent") }
        }
    }

    private mutating func digits() throws -> Int {
        var count = 0
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset])
        {
            offset += 1
            count += 1
        }
        return count
    }

    private func utf8(_ range: Range<Int>) throws -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw Failure(offset: range.lowerBound, message: "The string is not valid UTF-8")
        }
        return text
    }

    private mutating func enterNesting() throws {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw fail("Nested deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[offset + $0] == expected[$0] }
        }
        if matches { offset += count }
        return matches
    }

    private mutating func expect(_ byte: UInt8, _ message: String) throws {
        skipWhitespace()
        guard consume(byte) else {
            throw fail(offset < bytes.count ? message : "Unexpected end of the document")
        }
    }

    private func fail(_ message: String) -> Failure {
        Failure(offset: offset, message: message)
    }
}
