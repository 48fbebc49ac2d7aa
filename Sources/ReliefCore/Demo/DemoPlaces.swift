/// Where demo people live: the standard ZIP codes of 35 states, drawn in proportion to each state's
/// rough population, each with the area codes of its own state that serve it.
struct DemoPlaces: Sendable {
    /// One residential ZIP code a demo person can live in.
    struct Place: Sendable {
        var entry: ZIPEntry
        var timeZone: String
        /// The ZIP's geographic area codes that belong to its own state, never empty.
        var areaCodes: [String]
        /// The share of Hispanic people in the state, in percent.
        var hispanicPercent: Int

        /// The county as people write it ("Harris County", "Richmond City"); nil when unknown.
        var county: String? {
            entry.county.map { $0.hasSuffix(" city") ? $0.dropLast(4) + "City" : $0 }
        }

        /// The local hospital, named after the county: "Harris Regional Medical Center".
        var hospital: String? {
            guard let county else { return nil }
            let words = county.split(separator: " ")
            let kinds: Set<Substring> = ["County", "Parish", "Borough", "City"]
            let name =
                words.count > 1 && kinds.contains(words[words.count - 1])
                ? words.dropLast() : words[...]
            return name.joined(separator: " ") + " Regional Medical Center"
        }
    }

    /// (state, population in hundred thousands, Hispanic share in percent), rounded census figures.
    private static let states: [(code: String, population: Int, hispanicPercent: Int)] = [
        ("CA", 390, 40), ("TX", 305, 40), ("FL", 226, 27), ("NY", 196, 19), ("PA", 130, 8),
        ("IL", 125, 18), ("OH", 118, 4), ("GA", 110, 10), ("NC", 108, 10), ("MI", 100, 6),
        ("NJ", 93, 22), ("VA", 87, 10), ("WA", 78, 14), ("AZ", 74, 32), ("TN", 71, 7),
        ("MA", 70, 13), ("IN", 69, 8), ("MO", 62, 5), ("MD", 62, 12), ("WI", 59, 8),
        ("CO", 59, 22), ("MN", 57, 6), ("SC", 54, 7), ("AL", 51, 5), ("LA", 46, 7),
        ("KY", 45, 5), ("OR", 42, 14), ("OK", 40, 12), ("CT", 36, 18), ("UT", 34, 15),
        ("NV", 32, 30), ("AR", 31, 9), ("MS", 29, 3), ("KS", 29, 13), ("NM", 21, 49),
    ]

    /// The places of each state, in the order of ``states``; empty for a state the directory
    /// has no standard ZIP codes of.
    let placesByState: [[Place]]
    /// The population weight of each state of ``placesByState``, 0 when it has no places.
    let populations: [Int]

    /// Looks up every five-digit ZIP code once: the directory has no way to list its entries.
    init(zips: ZIPDirectory, areaCodes: AreaCodeDirectory) {
        let stateIndexes = Dictionary(
            uniqueKeysWithValues: Self.states.enumerated().map { ($1.code, $0) })
        var placesByState = Array(repeating: [Place](), count: Self.states.count)
        var digits: [UInt8] = Array("00000".utf8)
        for number in 0..<100_000 {
            var rest = number
            for position in (0..<5).reversed() {
                digits[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            guard let entry = zips.entry(String(decoding: digits, as: UTF8.self)),
                entry.kind == .standard, let stateIndex = stateIndexes[entry.state],
                let timeZone = entry.timeZone
            else { continue }
            let ownCodes = entry.areaCodes.filter { code in
                guard let area = areaCodes.entry(code) else { return false }
                return area.kind == .geographic && area.state == entry.state
            }
            guard !ownCodes.isEmpty else { continue }
            placesByState[stateIndex].append(
                Place(
                    entry: entry, timeZone: timeZone, areaCodes: ownCodes,
                    hispanicPercent: Self.states[stateIndex].hispanicPercent))
        }
        precondition(
            placesByState.contains { !$0.isEmpty }, "the ZIP directory has no standard ZIPs")
        self.placesByState = placesByState
        populations = zip(Self.states, placesByState).map { $1.isEmpty ? 0 : $0.population }
    }

    /// A place: a state by population, then one of its ZIP codes.
    func place(using random: inout SeededRandom) -> Place {
        random.pick(placesByState[random.weightedIndex(populations)])
    }
}
