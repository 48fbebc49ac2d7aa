/// Reads amounts of US dollars typed by people or exported by spreadsheets, as integer cents.
///
/// Accepted: an optional "$" (with spaces around it), digits with commas only as thousands
/// separators ("12,345", never "1,23,4"), and up to two decimals ("1200.5" is 120050 cents).
/// A minus sign (before or after the "$") or accounting parentheses ("(100.00)") make the
/// amount negative; callers that cannot take negatives use ``nonNegativeCents(_:)``.
public enum MoneyAmount {
    /// The amount in cents; may be negative.
    public static func cents(_ raw: String) throws(MoneyError) -> Int64 {
        var text = ArraySlice(raw.trimmed.utf8)
        if text.isEmpty { throw .empty }
        var negative = false
        if text.first == ascii("("), text.last == ascii(")") {
            negative = true
            text = withoutSpaces(text.dropFirst().dropLast())
        }
        if !negative, text.first == ascii("-") {
            negative = true
            text = withoutSpaces(text.dropFirst())
        }
        if text.first == ascii("$") { text = withoutSpaces(text.dropFirst()) }
        if !negative, text.first == ascii("-") {
            negative = true
            text = text.dropFirst()
        }
        let point = text.firstIndex(of: ascii("."))
        let whole = text[..<(point ?? text.endIndex)]
        let fraction = point.map { text[($0 + 1)...] } ?? []
        guard !whole.isEmpty || !fraction.isEmpty, point == nil || !fraction.isEmpty,
            fraction.allSatisfy(isDigit)
        else { throw .invalidFormat }
        if fraction.count > 2 { throw .tooManyDecimals }
        let groups = whole.split(separator: ascii(","), omittingEmptySubsequences: false)
        guard groups.allSatisfy({ $0.allSatisfy(isDigit) }) else { throw .invalidFormat }
        if groups.count > 1 {
            let grouped =
                (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
            guard grouped else { throw .misplacedComma }
        }
        var cents: Int64 = 0
        let padding = [UInt8](repeating: ascii("0"), count: 2 - fraction.count)
        for digit in groups.joined() + fraction + padding {
            let (times10, overflow) = cents.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = times10.addingReportingOverflow(Int64(digit - ascii("0")))
            if overflow || overflowSum { throw .tooLarge }
            cents = sum
        }
        return negative ? -cents : cents
    }

    /// The amount in cents, refusing negative amounts.
    public static func nonNegativeCents(_ raw: String) throws(MoneyError) -> Int64 {
        let cents = try cents(raw)
        if cents < 0 { throw .negative }
        return cents
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 {
        UInt8(ascii: character)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    /// The bytes without spaces and tabs at either end.
    private static func withoutSpaces(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        return text.drop(while: isSpace).reversed().drop(while: isSpace).reversed()[...]
    }
}

/// Why a value is not an amount of money, as a sentence for the person who entered it.
public enum MoneyError: FieldValueError, Equatable, CustomStringConvertible {
    case empty
    case invalidFormat
    case tooManyDecimals
    case misplacedComma
    case tooLarge
    case negative

    public var message: String {
        switch self {
        case .empty: return "Enter an amount."
        case .invalidFormat: return "Enter an amount in dollars, like 12,345.67."
        case .tooManyDecimals: return "An amount can have at most two decimals (cents)."
        case .misplacedComma:
            return "Use commas only between groups of three digits, like 12,345."
        case .tooLarge: return "The amount is too large."
        case .negative: return "The amount must not be negative."
        }
    }

    public var description: String { message }
}
