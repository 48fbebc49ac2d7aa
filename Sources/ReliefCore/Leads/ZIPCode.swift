/// US ZIP code format checks. Whether the ZIP code exists is for the ZIP directory to say.
public enum ZIPCode {
    /// The 5-digit ZIP code of `raw`: "12345", "12345-6789", "12345 6789" and "123456789" give
    /// "12345". A spreadsheet that stored the ZIP code as a number dropped its leading zeros,
    /// so 3 and 4 digits are padded back ("2134" is "02134", "601" is "00601"), and so are
    /// 7 and 8 digits as a ZIP+4 ("21341234" is "02134").
    public static func parse(_ raw: String) throws(ZIPCodeError) -> String {
        let text = raw.trimmed
        if text.isEmpty { throw .empty }
        guard let groups = text.digitGroups(separatedBy: [0x2D, 0x20]) else { throw .invalid }
        let digits = Array(groups.joined())
        let zip: ArraySlice<UInt8>
        switch groups.map(\.count) {
        case [3], [4], [5]: zip = digits[...]
        case [7], [8], [9]: zip = digits.dropLast(4)
        case [5, 4]: zip = digits.prefix(5)
        default: throw .invalid
        }
        return String(repeating: "0", count: 5 - zip.count) + String(decoding: zip, as: UTF8.self)
    }
}

/// Why a value is not a ZIP code, as a sentence for the person who entered it.
public enum ZIPCodeError: FieldValueError, Equatable, CustomStringConvertible {
    case empty
    case invalid

    public var message: String {
        switch self {
        case .empty: return "Enter a ZIP code."
        case .invalid: return "Enter a 5-digit ZIP code like 02134, or ZIP+4 like 02134-1234."
        }
    }

    public var description: String { message }
}
