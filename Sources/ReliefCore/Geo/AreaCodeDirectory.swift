/// One North American Numbering Plan area code of `Resources/Data/nanp_area_codes.csv`.
public struct AreaCodeEntry: Sendable, Equatable, Codable {
    /// Whether numbers of the area code belong to a place.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case geographic
        case tollFree = "toll_free"
        case nonGeographic = "non_geographic"
    }

    /// Three digits ("850").
    public var areaCode: String
    /// The ISO 3166 country code ("US", "CA", "JM").
    public var country: String
    /// The USPS state or Canadian province code; nil when not tied to one.
    public var state: String?
    /// The IANA time zones of the area code's places, most common first; empty when unknown
    /// (toll-free and non-geographic codes).
    public var timeZones: [String]
    public var kind: Kind

    public init(
        areaCode: String, country: String, state: String?, timeZones: [String], kind: Kind
    ) {
        self.areaCode = areaCode
        self.country = country
        self.state = state
        self.timeZones = timeZones
        self.kind = kind
    }
}

/// The NANP area codes, parsed from the contents of `Resources/Data/nanp_area_codes.csv`
/// (columns `area_code,country,state,timezones,kind`, time zones separated by spaces).
public struct AreaCodeDirectory: Sendable {
    private let entries: [String: AreaCodeEntry]

    /// Parses the file. Throws ``ReferenceDataError`` naming the first malformed line.
    public init(csv: String) throws {
        var entries: [String: AreaCodeEntry] = [:]
        let columns = ["area_code", "country", "state", "timezones", "kind"]
        try ReferenceTable.read(csv, columns: columns) { line, fields in
            func fail(_ reason: String) -> ReferenceDataError {
                ReferenceDataError(line: line, reason: reason)
            }
            let code = fields[0]
            guard ReferenceTable.isDigits(code, count: 3) else {
                throw fail("area code '\(code)' is not 3 digits")
            }
            guard fields[1].utf8.count == 2 else {
                throw fail("country '\(fields[1])' is not a 2-letter code")
            }
            guard let kind = AreaCodeEntry.Kind(rawValue: fields[4]) else {
                throw fail("unknown kind '\(fields[4])'")
            }
            let entry = AreaCodeEntry(
                areaCode: code, country: fields[1], state: fields[2].isEmpty ? nil : fields[2],
                timeZones: ReferenceTable.items(fields[3]), kind: kind)
            guard entries.updateValue(entry, forKey: code) == nil else {
                throw fail("area code \(code) is listed twice")
            }
        }
        self.entries = entries
    }

    /// How many area codes the directory holds.
    public var count: Int { entries.count }

    /// The entry for a three-digit area code, or nil when it is not assigned.
    public func entry(_ areaCode: String) -> AreaCodeEntry? { entries[areaCode] }
}
