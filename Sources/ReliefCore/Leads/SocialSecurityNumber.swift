/// A US Social Security number. Its `description`, `debugDescription` and mirror are
/// redacted so the number never reaches a log by accident; read ``digits`` explicitly.
public struct SocialSecurityNumber: Sendable, Hashable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The nine digits.
    public let digits: String

    /// Parses "123-45-6789", "123 45 6789" or "123456789" under the SSA's rules: the area
    /// (first three digits) is not 000, 666 or 900-999, the group (next two) is not 00 and the
    /// serial (last four) is not 0000. Errors never repeat the number.
    public static func parse(_ raw: String) throws(SocialSecurityNumberError)
        -> SocialSecurityNumber
    {
        let text = raw.trimmed
        if text.isEmpty { throw .empty }
        guard let groups = text.digitGroups(separatedBy: [0x2D, 0x20]),
            groups.map(\.count) == [9] || groups.map(\.count) == [3, 2, 4]
        else { throw .invalidFormat }
        let digits = String(decoding: groups.joined(), as: UTF8.self)
        let area = digits.prefix(3)
        if area == "000" || area == "666" || area.hasPrefix("9") { throw .invalidArea }
        if digits.dropFirst(3).prefix(2) == "00" { throw .invalidGroup }
        if digits.hasSuffix("0000") { throw .invalidSerial }
        return SocialSecurityNumber(digits: digits)
    }

    private init(digits: String) {
        self.digits = digits
    }

    /// The last four digits.
    public var last4: String { String(digits.suffix(4)) }

    /// "***-**-6789".
    public var masked: String { "***-**-" + last4 }

    /// "***-**-****".
    public var description: String { "***-**-****" }

    public var debugDescription: String { "SocialSecurityNumber(***-**-****)" }

    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Why a value is not a Social Security number, as a sentence that never repeats it.
public enum SocialSecurityNumberError: FieldValueError, Equatable, CustomStringConvertible {
    case empty
    case invalidFormat
    case invalidArea
    case invalidGroup
    case invalidSerial

    public var message: String {
        switch self {
        case .empty: return "Enter a Social Security number."
        case .invalidFormat:
            return "A Social Security number has 9 digits, written like 123-45-6789."
        case .invalidArea:
            return "This is not a valid Social Security number: none start with 000, 666 or 9."
        case .invalidGroup:
            return "This is not a valid Social Security number: the middle two digits cannot be 00."
        case .invalidSerial:
            return
                "This is not a valid Social Security number: the last four digits cannot be 0000."
        }
    }

    public var description: String { message }
}
