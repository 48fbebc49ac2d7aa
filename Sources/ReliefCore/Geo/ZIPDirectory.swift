import Foundation

/// One ZIP code of the directory in `Resources/Data/us_zipcodes.csv`.
public struct ZIPEntry: Sendable, Equatable, Codable {
    /// The USPS kind of a ZIP code (the file's `type` column).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case standard = "STANDARD"
        case poBox = "PO BOX"
        case unique = "UNIQUE"
        case military = "MILITARY"
    }

    /// Five digits, leading zeros kept ("02134").
    public var zip: String
    public var kind: Kind
    /// The USPS preferred city name.
    public var city: String
    /// The USPS code as listed: a ``USState`` code, a freely associated state (FM, MH, PW) or a
    /// military code (AA, AE, AP), which ``USState`` does not list.
    public var state: String
    /// The county (or parish, borough, municipio); nil when blank, as for military ZIPs.
    public var county: String?
    /// The IANA time zone id; nil when blank (the military ZIPs).
    public var timeZone: String?
    /// Nil when the file lists no position (blank or 0,0).
    public var latitude: Double?
    /// Nil when the file lists no position (blank or 0,0).
    public var longitude: Double?
    /// The telephone area codes serving the ZIP, as listed.
    public var areaCodes: [String]

    public init(
        zip: String, kind: Kind, city: String, state: String, county: String?, timeZone: String?,
        latitude: Double?, longitude: Double?, areaCodes: [String]
    ) {
        self.zip = zip
        self.kind = kind
        self.city = city
        self.state = state
        self.county = county
        self.timeZone = timeZone
        self.latitude = latitude
        self.longitude = longitude
        self.areaCodes = areaCodes
    }
}

/// The US ZIP code directory, parsed once from the contents of
/// `Resources/Data/us_zipcodes.csv` (columns
/// `zip,type,city,state,county,timezone,lat,lon,area_codes`) and then read without locks.
public struct ZIPDirectory: Sendable {
    private let entries: [String: ZIPEntry]
    /// Time zones borrowed from neighbouring ZIPs for ZIPs whose own zone is blank.
    private let borrowedTimeZones: [String: String]

    /// Parses the directory. Throws ``ReferenceDataError`` naming the first malformed line.
    public init(csv: String) throws {
        var entries: [String: ZIPEntry] = [:]
        entries.reserveCapacity(csv.utf8.count / 80)
        let columns = [
            "zip", "type", "city", "state", "county", "timezone", "lat", "lon", "area_codes",
        ]
        try ReferenceTable.read(csv, columns: columns) { line, fields in
            let entry = try Self.entry(fields, line: line)
            guard entries.updateValue(entry, forKey: entry.zip) == nil else {
                throw ReferenceDataError(line: line, reason: "ZIP \(entry.zip) is listed twice")
            }
        }
        self.entries = entries
        self.borrowedTimeZones = Self.borrowTimeZones(entries)
    }

    /// How many ZIP codes the directory holds.
    public var count: Int { entries.count }

    /// The entry for a ZIP given as five digits or ZIP+4 ("10001", "10001-1234", "100011234").
    public func entry(_ zip: String) -> ZIPEntry? {
        Self.fiveDigitZIP(zip).flatMap { entries[$0] }
    }

    /// Whether the ZIP (five digits or ZIP+4) is in the directory.
    public func exists(_ zip: String) -> Bool { entry(zip) != nil }

    /// The ZIP's IANA time zone. When the directory leaves it blank, this is the most common zone
    /// among the ZIPs of the same state sharing its first three digits (ties go to the
    /// alphabetically first zone), or nil when there are none: the military ZIPs (AA, AE, AP)
    /// stay nil, since a base abroad does not share the zone of a US neighbour's prefix.
    public func timeZone(forZIP zip: String) -> String? {
        guard let entry = entry(zip) else { return nil }
        return entry.timeZone ?? borrowedTimeZones[entry.zip]
    }

    /// The five digits of a ZIP or ZIP+4, ignoring surrounding spaces; nil for anything else.
    static func fiveDigitZIP(_ text: String) -> String? {
        if ReferenceTable.isDigits(text, count: 5) { return text }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let zip = trimmed.prefix(5)
        let rest = trimmed.dropFirst(5)
        let plusFour = rest.first == "-" ? rest.dropFirst() : rest
        guard ReferenceTable.isDigits(zip, count: 5),
            rest.isEmpty || ReferenceTable.isDigits(plusFour, count: 4)
        else { return nil }
        return String(zip)
    }

    private static func entry(_ fields: [String], line: Int) throws -> ZIPEntry {
        func fail(_ reason: String) -> ReferenceDataError {
            ReferenceDataError(line: line, reason: reason)
        }
        let zip = fields[0]
        guard ReferenceTable.isDigits(zip, count: 5) else {
            throw fail("ZIP '\(zip)' is not 5 digits")
        }
        guard let kind = ZIPEntry.Kind(rawValue: fields[1]) else {
            throw fail("unknown ZIP type '\(fields[1])'")
        }
        guard !fields[2].isEmpty else { throw fail("the city is blank") }
        guard fields[3].utf8.count == 2 else {
            throw fail("state '\(fields[3])' is not a 2-letter code")
        }
        let coordinates = try [fields[6], fields[7]].map { text in
            guard !text.isEmpty else { return 0.0 }
            guard let value = Double(text) else {
                throw fail("coordinate '\(text)' is not a number")
            }
            return value
        }
        let located = coordinates != [0, 0]
        let areaCodes = ReferenceTable.items(fields[8])
        if let bad = areaCodes.first(where: { !ReferenceTable.isDigits($0, count: 3) }) {
            throw fail("area code '\(bad)' is not 3 digits")
        }
        return ZIPEntry(
            zip: zip, kind: kind, city: fields[2], state: fields[3],
            county: fields[4].isEmpty ? nil : fields[4],
            timeZone: fields[5].isEmpty ? nil : fields[5],
            latitude: located ? coordinates[0] : nil, longitude: located ? coordinates[1] : nil,
            areaCodes: areaCodes)
    }

    /// For each ZIP without a time zone, the most common zone of its state's ZIPs with the same
    /// three-digit prefix.
    private static func borrowTimeZones(_ entries: [String: ZIPEntry]) -> [String: String] {
        func area(_ entry: ZIPEntry) -> String { entry.state + entry.zip.prefix(3) }
        let blank = entries.values.filter { $0.timeZone == nil }
        let areas = Set(blank.map(area))
        var tallies: [String: [String: Int]] = [:]
        for entry in entries.values where areas.contains(area(entry)) {
            if let zone = entry.timeZone {
                tallies[area(entry), default: [:]][zone, default: 0] += 1
            }
        }
        var borrowed: [String: String] = [:]
        for entry in blank {
            let best = tallies[area(entry)]?.max { lhs, rhs in
                lhs.value != rhs.value ? lhs.value < rhs.value : lhs.key > rhs.key
            }
            borrowed[entry.zip] = best?.key
        }
        return borrowed
    }
}
