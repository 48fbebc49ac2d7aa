/// E-mail address checks for lead intake: the practical subset of RFC 5321/5322 that mailbox
/// providers accept, ASCII only.
public enum EmailAddress {
    /// The address trimmed and lower-cased, or why it is not one: exactly one "@", a local
    /// part of 1 to 64 characters (letters, digits, dots only between characters, and the
    /// symbols ! # $ % & ' * + / = ? ^ _ ` { | } ~ -), and a domain of at most 253 characters
    /// with a dot, made of labels of 1 to 63 letters, digits and hyphens (no hyphen at either
    /// end) and a top-level label that is not all digits.
    public static func normalize(_ raw: String) throws(EmailAddressError) -> String {
        let email = raw.trimmed.lowercased()
        if email.isEmpty { throw .empty }
        let bytes = Array(email.utf8)
        if bytes.contains(where: { $0 == 0x20 || (0x09...0x0D).contains($0) })
            || (bytes.contains { $0 >= 0x80 }
                && email.unicodeScalars.contains { $0.properties.isWhitespace })
        {
            throw .containsSpaces
        }
        let ats = bytes.indices.filter { bytes[$0] == UInt8(ascii: "@") }
        guard let at = ats.first else { throw .missingAt }
        if ats.count > 1 { throw .multipleAt }
        let (local, domain) = (bytes[..<at], bytes[(at + 1)...])
        if local.isEmpty { throw .missingLocalPart }
        if local.count > 64 { throw .localPartTooLong }
        let dot = UInt8(ascii: ".")
        let localAllowed = local.allSatisfy { isLetterOrDigit($0) || localPartSymbols.contains($0) }
        if !localAllowed || local.first == dot || local.last == dot
            || zip(local, local.dropFirst()).contains(where: { $0 == dot && $1 == dot })
        {
            throw .invalidLocalPart
        }
        if domain.isEmpty { throw .missingDomain }
        if domain.count > 253 { throw .domainTooLong }
        let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
        guard labels.count >= 2 else { throw .missingDomainDot }
        let hyphen = UInt8(ascii: "-")
        for label in labels {
            let valid =
                (1...63).contains(label.count) && label.first != hyphen && label.last != hyphen
                && label.allSatisfy { isLetterOrDigit($0) || $0 == hyphen }
            if !valid { throw .invalidDomain }
        }
        if labels.last!.allSatisfy({ (0x30...0x39).contains($0) }) { throw .invalidDomain }
        return email
    }

    /// The symbols a local part may hold besides letters, digits and dots.
    private static let localPartSymbols = Set("!#$%&'*+/=?^_`{|}~-.".utf8)

    /// An ASCII lower-case letter or digit (the address is lower-cased first).
    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }
}

/// Why a value is not an e-mail address, as a sentence for the person who entered it.
public enum EmailAddressError: FieldValueError, Equatable, CustomStringConvertible {
    case empty
    case containsSpaces
    case missingAt
    case multipleAt
    case missingLocalPart
    case localPartTooLong
    case invalidLocalPart
    case missingDomain
    case domainTooLong
    case missingDomainDot
    case invalidDomain

    public var message: String {
        switch self {
        case .empty: return "Enter an email address."
        case .containsSpaces: return "An email address cannot contain spaces."
        case .missingAt: return "An email address needs an @, like name@example.com."
        case .multipleAt: return "An email address can have only one @."
        case .missingLocalPart: return "An email address needs a name before the @."
        case .localPartTooLong: return "The part before the @ can be at most 64 characters."
        case .invalidLocalPart:
            return "The part before the @ has characters an email address cannot use."
        case .missingDomain: return "An email address needs a domain after the @."
        case .domainTooLong: return "The domain after the @ can be at most 253 characters."
        case .missingDomainDot:
            return "The domain after the @ needs a dot, like example.com."
        case .invalidDomain: return "The domain after the @ is not valid."
        }
    }

    public var description: String { message }
}
