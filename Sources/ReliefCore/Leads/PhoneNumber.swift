/// A North American Numbering Plan phone number (US, Canada and the territories that share
/// country code 1), stored as its ten national digits and an optional extension.
///
/// Input may use any usual formatting: `(202) 555-0143`, `202.555.0143`, `+1 202 555 0143`,
/// `1-202-555-0143`, `2025550143`, with an extension written `x12`, `ext. 12`, `extension 12`,
/// `#12` or `;ext=12`. Letters are refused rather than read as keypad letters: vanity numbers
/// (`1-800-FLOWERS`) are not how consumers give their own number, and a letter usually means
/// the value is something else.
///
/// The structure rules (NANP numbering plan, ATIS-0300115): the area code (NPA) and the
/// exchange (NXX) are `NXX` with N in 2-9; an area code is not an N11 service code, not an
/// `N9X` or `37X`/`96X` code reserved for expansion; an exchange is not an N11 service code.
/// Whether an area code is in service is a matter for the area code directory. Numbers in
/// 555-0100...0199, reserved for fiction, pass (they are valid in form and used in examples).
public struct PhoneNumber: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The ten digits, area code first: "2025550143".
    public let nationalDigits: String
    /// The extension's digits, if one was given.
    public let `extension`: String?

    /// Parses `raw`, or throws why it is not a NANP number.
    public static func parse(_ raw: String) throws(PhoneNumberError) -> PhoneNumber {
        let trimmed = raw.trimmed
        if trimmed.isEmpty { throw .empty }
        let (main, extensionDigits) = try splitExtension(trimmed)
        var digits: [UInt8] = []
        for (offset, scalar) in main.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9": digits.append(UInt8(scalar.value) - 0x30)
            case "+" where offset == 0: continue
            case " ", "-", ".", "(", ")", "/", "\u{00A0}": continue
            default: throw isLetter(scalar) ? .letters : .invalidCharacters
            }
        }
        if main.hasPrefix("+") {
            guard digits.first == 1 else { throw .notNANP }
            guard digits.count == 11 else { throw .wrongLength(digits.count - 1) }
            digits.removeFirst()
        } else if digits.count == 11, digits.first == 1 {
            digits.removeFirst()
        }
        guard digits.count == 10 else { throw .wrongLength(digits.count) }
        let national = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        let areaCode = String(national.prefix(3))
        if digits[0] < 2 { throw .invalidAreaCode(areaCode) }
        if digits[1] == 1 && digits[2] == 1 { throw .serviceCode(areaCode) }
        if digits[1] == 9 || (digits[0], digits[1]) == (3, 7) || (digits[0], digits[1]) == (9, 6) {
            throw .invalidAreaCode(areaCode)
        }
        if digits[3] < 2 || (digits[4] == 1 && digits[5] == 1) { throw .invalidExchange }
        return PhoneNumber(nationalDigits: national, extension: extensionDigits)
    }

    /// The digits a phone search should match, from a query like "555-0143" or "(202) 555":
    /// a leading 1 is dropped only from an 11-digit query. Nil when the query has fewer than
    /// three digits or holds anything but digits and phone punctuation (letters, "@").
    public static func searchDigits(_ query: String) -> String? {
        let punctuation: Set<Character> = [" ", "-", ".", "(", ")", "+", "/"]
        var digits = ""
        for character in query {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !punctuation.contains(character) {
                return nil
            }
        }
        if digits.count == 11, digits.hasPrefix("1") { digits.removeFirst() }
        return digits.count >= 3 ? digits : nil
    }

    private init(nationalDigits: String, extension: String?) {
        self.nationalDigits = nationalDigits
        self.extension = `extension`
    }

    /// "+12025550143".
    public var e164: String { "+1" + nationalDigits }

    /// "202".
    public var areaCode: String { String(nationalDigits.prefix(3)) }

    /// "(202) 555-0143", followed by " ext. 12" when there is an extension.
    public var formatted: String {
        let digits = Array(nationalDigits)
        let number = "(\(String(digits[0..<3]))) \(String(digits[3..<6]))-\(String(digits[6...]))"
        return number + (`extension`.map { " ext. " + $0 } ?? "")
    }

    public var description: String { formatted }

    /// Decodes an E.164 string with an optional RFC 3966 extension ("+12025550143;ext=12"),
    /// or any format ``parse(_:)`` accepts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Self.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    /// Encodes "+12025550143", or "+12025550143;ext=12" with an extension.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164 + (`extension`.map { ";ext=" + $0 } ?? ""))
    }

    /// The number before the extension, and the extension's digits.
    private static func splitExtension(
        _ text: String
    ) throws(PhoneNumberError) -> (Substring, String?) {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { isLetter($0) || $0 == "#" || $0 == ";" })
        else { return (text[...], nil) }
        var marker = String(scalars[start...]).lowercased().filter { !" .:=\u{00A0}".contains($0) }
        let digits = String(marker.drop { !$0.isNumber })
        marker.removeLast(digits.count)
        let markers = ["x", "ext", "extension", "#", ";ext", "extn"]
        guard markers.contains(marker) else {
            throw isLetter(scalars[start]) ? .letters : .invalidCharacters
        }
        guard (1...6).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw .invalidExtension }
        return (text[..<start], digits)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            ? ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            : scalar.properties.isAlphabetic
    }
}

/// Why a value is not a phone number, as a sentence for the person who entered it.
public enum PhoneNumberError: FieldValueError, Equatable, CustomStringConvertible {
    case empty
    /// The number holds letters (outside an extension marker).
    case letters
    /// The number holds characters other than digits and phone punctuation.
    case invalidCharacters
    /// The number has a country code other than 1.
    case notNANP
    /// The national number has this many digits instead of ten.
    case wrongLength(Int)
    /// The area code does not exist in the numbering plan's structure.
    case invalidAreaCode(String)
    /// The area code is an N11 service code such as 411 or 911.
    case serviceCode(String)
    /// The exchange (the three digits after the area code) cannot exist.
    case invalidExchange
    /// The extension is not 1 to 6 digits.
    case invalidExtension

    public var message: String {
        switch self {
        case .empty: return "Enter a phone number."
        case .letters: return "A phone number can only contain digits, not letters."
        case .invalidCharacters:
            return "A phone number can only contain digits, spaces, dashes, dots and parentheses."
        case .notNANP: return "Only US and Canadian phone numbers (country code +1) are accepted."
        case .wrongLength(let count):
            let found = count < 10 ? "only \(count)" : "\(count)"
            return "A phone number needs 10 digits with the area code; this one has \(found)."
        case .invalidAreaCode(let code): return "\(code) is not a valid area code."
        case .serviceCode(let code): return "\(code) is a service number, not an area code."
        case .invalidExchange:
            return "The three digits after the area code cannot start with 0 or 1 or end in 11."
        case .invalidExtension: return "An extension must be 1 to 6 digits, like x123."
        }
    }

    public var description: String { message }
}

/// How a phone number is used.
public enum PhoneType: String, Sendable, Codable, CaseIterable {
    case mobile
    case home
    case work

    /// Reads the usual spellings: "cell", "Cell Phone", "mobile", "wireless", "home",
    /// "landline", "work", "office", "business"; case, spaces and punctuation do not matter.
    public init?(loose: String) {
        let key = loose.lowercased().filter { $0.isLetter }
        let types: [String: PhoneType] = [
            "mobile": .mobile, "mobilephone": .mobile, "cell": .mobile, "cellphone": .mobile,
            "cellular": .mobile, "wireless": .mobile, "home": .home, "homephone": .home,
            "landline": .home, "residence": .home, "work": .work, "workphone": .work,
            "office": .work, "officephone": .work, "business": .work, "businessphone": .work,
        ]
        guard let type = types[key] else { return nil }
        self = type
    }
}
