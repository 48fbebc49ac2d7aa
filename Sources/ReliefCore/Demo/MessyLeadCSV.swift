/// The input of the lead importer's benchmark: a lead list as vendors really send it, one row at a
/// time. Phones, money, names, states and ZIP codes come in many spellings, notes are quoted with
/// commas, doubled quotes and now and then a line break, and some rows are broken on purpose.
///
/// Every row is a function of the seed and its index alone, so rows can be made in any order or in
/// parallel, and ``kind(ofRow:)`` tells what the importer should make of each one:
/// - one row in 200 is bad, the kinds taking turns: an invalid phone, an impossible ZIP code, a
///   negative debt, 11 or 13 fields, a stray quote inside an unquoted field (`Jo"hn`: an error for
///   a strict RFC 4180 reader, a literal quote for a lenient one; never an opening quote, which
///   would swallow the rows after it) or bytes that are not UTF-8 (a Latin-1 "ñ", or the UTF-16
///   byte order mark FF FE), which is why rows are bytes rather than `String`s;
/// - about one row in 100 repeats the phone, the email or both of an earlier good row, in another
///   spelling (``duplicatedRow(of:)`` names it);
/// - every other row is good: a valid NANP phone whose area code serves its ZIP code, a ZIP code of
///   the directory, and a phone and an email no other good row has (the phone's seven digits come
///   from a permutation of the row index, so uniqueness holds for the first 7,910,000 rows).
///
/// Rows average about 140 bytes, so a million rows make about 140 MB.
public struct MessyLeadCSV: Sendable {
    /// What a row holds, and so what the importer should do with it.
    public enum RowKind: String, Sendable, CaseIterable {
        case ok
        case duplicate
        case invalidPhone
        case impossibleZIP
        case negativeDebt
        case wrongColumnCount
        case strayQuote
        case invalidUTF8
    }

    private static let badKinds: [RowKind] = [
        .invalidPhone, .impossibleZIP, .negativeDebt, .wrongColumnCount, .strayQuote, .invalidUTF8,
    ]

    private let seed: UInt64
    private let places: [[Place]]
    private let stateWeights: [Int]
    private let hispanicPercents: [Int]
    private let subscriberOffset: Int

    public init(seed: UInt64, zips: ZIPDirectory, areaCodes: AreaCodeDirectory) {
        self.seed = seed
        let demoPlaces = DemoPlaces(zips: zips, areaCodes: areaCodes)
        places = demoPlaces.placesByState.map { $0.map(Place.init) }
        stateWeights = demoPlaces.populations
        hispanicPercents = demoPlaces.placesByState.map { $0.first?.hispanicPercent ?? 0 }
        subscriberOffset = Int(SeededRandom.hash(seed) % UInt64(Self.subscriberCount))
    }

    /// The header line, without its line end.
    public func header() -> String {
        "First Name,Last Name,Email,Phone,Address,City,State,Zip,Total Unsecured Debt,"
            + "Monthly Income,Source,Notes"
    }

    /// Row `index` (0 is the first row after the header) with its "\n" line end.
    public func row(_ index: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        appendRow(index, to: &bytes)
        return bytes
    }

    /// Appends row `index` with its "\n" line end, for writing many rows without an allocation
    /// per row.
    public func appendRow(_ index: Int, to bytes: inout [UInt8]) {
        precondition(index >= 0, "rows are counted from 0")
        let kind = kind(ofRow: index)
        var style = SeededRandom(seed: seed, key: UInt64(index) &* 2 &+ 1)
        var writer = RowWriter(quotesEveryField: kind == .ok && style.chance(0.05))
        swap(&writer.bytes, &bytes)
        defer { swap(&writer.bytes, &bytes) }
        var person = person(ofRow: index)
        var phoneRow = index
        var emailRow = index
        if kind == .duplicate, let original = duplicatedRow(of: index) {
            person = self.person(ofRow: original)
            switch draw(.duplicateField, index) % 3 {
            case 0: phoneRow = original
            case 1: emailRow = original
            default: (phoneRow, emailRow) = (original, original)
            }
        }
        let place = places[person.state][person.place]

        // First Name, Last Name
        if kind == .strayQuote {
            var name = Self.names.first[person.firstName].plain
            let middle = name[2...].firstIndex { $0 & 0xC0 != 0x80 } ?? name.endIndex
            name.insert(quote, at: middle)
            writer.field(name, quoted: false)
        } else {
            writer.field(name(Self.names.first[person.firstName], using: &style))
        }
        if kind == .invalidUTF8 && !isSecondForm(index) {
            writer.field(style.pick(Self.latin1Surnames))
        } else {
            writer.field(name(Self.names.last[person.lastName], using: &style))
        }

        // Email, Phone
        writer.field(email(person, token: emailRow, using: &style))
        if kind == .invalidPhone {
            writer.field(style.pick(Self.invalidPhones))
        } else {
            writer.field(
                phone(
                    areaCode: place.areaCodes[person.areaCodeRoll % place.areaCodes.count],
                    row: phoneRow, using: &style))
        }

        // Address, City, State, Zip
        writer.field(address(person, using: &style))
        writer.field(cased(place.city, using: &style))
        writer.field(state(place, using: &style))
        if kind == .impossibleZIP {
            writer.field(Array(style.chance(0.5) ? "00000".utf8 : "ABCDE".utf8))
        } else {
            var zip = place.zip
            if style.chance(0.12) {
                if style.chance(0.8) { zip.append(UInt8(ascii: "-")) }
                appendDigits(style.int(in: 1...9_999), width: 4, to: &zip)
            }
            writer.field(zip)
        }

        // Total Unsecured Debt, Monthly Income
        if kind == .negativeDebt {
            writer.field(Array(style.pick(["-$500", "-$1,250.00", "-750", "-$ 2,000"]).utf8))
        } else {
            writer.field(money(person.debtCents, using: &style))
        }
        writer.field(style.chance(0.05) ? [] : money(person.incomeCents, using: &style))

        // Source, Notes
        writer.field(style.chance(0.03) ? [] : style.pick(Self.sources[person.source]))
        if kind == .wrongColumnCount {
            if isSecondForm(index) {
                writer.field(notes(using: &style))
                writer.field(Array("N/A".utf8))
            }
        } else if kind == .invalidUTF8 && isSecondForm(index) {
            writer.field([0xFF, 0xFE] + Array("see attached".utf8))
        } else {
            writer.field(notes(using: &style))
        }
        writer.bytes.append(lineFeed)
    }

    /// What row `index` holds.
    public func kind(ofRow index: Int) -> RowKind {
        let block = index / 200
        if index % 200 == badPosition(block: block) {
            return Self.badKinds[block % Self.badKinds.count]
        }
        if index >= 200 && index % 100 == Int(draw(.duplicatePosition, index / 100) % 100) {
            return .duplicate
        }
        return .ok
    }

    /// The earlier good row whose phone, email or both a duplicate row repeats; nil for a row that
    /// is not a duplicate. It is at most 50,000 rows back.
    public func duplicatedRow(of index: Int) -> Int? {
        guard kind(ofRow: index) == .duplicate else { return nil }
        let span = UInt64(min(index, 50_000))
        var original = index - 1 - Int(draw(.duplicateDistance, index) % span)
        while kind(ofRow: original) != .ok { original -= 1 }
        return original
    }

    /// How many of the first `rows` rows are of each kind; every kind is listed.
    public func kindCounts(rows: Int) -> [RowKind: Int] {
        var counts = Dictionary(uniqueKeysWithValues: RowKind.allCases.map { ($0, 0) })
        for index in 0..<rows { counts[kind(ofRow: index), default: 0] += 1 }
        return counts
    }

    /// The bad row's position in its block of 200, never 0 so that row 0 is good.
    private func badPosition(block: Int) -> Int {
        1 + Int(draw(.badPosition, block) % 199)
    }

    /// Whether a bad row takes the second of its kind's two forms (13 fields rather than 11, the
    /// byte order mark rather than Latin-1): the forms alternate between the rows of a kind.
    private func isSecondForm(_ index: Int) -> Bool {
        index / (200 * Self.badKinds.count) % 2 == 1
    }

    /// The decisions about where bad and duplicate rows go, each drawn from its own stream.
    private enum Decision: UInt64 {
        case badPosition = 1
        case duplicatePosition
        case duplicateDistance
        case duplicateField
    }

    private func draw(_ decision: Decision, _ value: Int) -> UInt64 {
        var random = SeededRandom(seed: seed &+ decision.rawValue, key: UInt64(value))
        return random.next()
    }

    // MARK: - People

    /// Who a row is about, as indexes into the tables and amounts.
    private struct Person {
        var firstName: Int
        var lastName: Int
        var state: Int
        var place: Int
        /// Picks one of the place's area codes, evenly since it is below a multiple of 1...16 (the
        /// place is not read here, to spare a cache miss per row).
        var areaCodeRoll: Int
        var emailPattern: Int
        var emailDomain: Int
        var houseNumber: Int
        var street: Int
        var suffix: Int
        var unit: Int
        var debtCents: Int
        var incomeCents: Int
        var source: Int
    }

    private func person(ofRow index: Int) -> Person {
        var random = SeededRandom(seed: seed, key: UInt64(index) &* 2)
        let state = random.weightedIndex(stateWeights)
        let placeIndex = random.index(below: places[state].count)
        let isHispanic = random.index(below: 100) < hispanicPercents[state]
        let firstNames = Self.names.firstRanges[
            (isHispanic ? 2 : 0) + (random.chance(0.55) ? 1 : 0)]
        let lastNames = isHispanic ? Self.names.hispanicLastRange : Self.names.otherLastRange
        let debtDollars = 4_000 + Int(Double(60_000) * random.unit() * random.unit())
        return Person(
            firstName: random.int(in: firstNames), lastName: random.int(in: lastNames),
            state: state, place: placeIndex, areaCodeRoll: random.index(below: 720_720),
            emailPattern: random.index(below: 6),
            emailDomain: random.weightedIndex(Self.emailDomainWeights),
            houseNumber: random.chance(0.85)
                ? random.int(in: 1...9_999) : random.int(in: 10_000...29_999),
            street: random.index(below: Self.streets.count),
            suffix: random.index(below: Self.suffixes.count),
            unit: random.chance(0.12) ? random.int(in: 1...350) : 0,
            debtCents: debtDollars * 100 + random.int(in: 0...99),
            incomeCents: random.int(in: 36...180) * 5_000
                + (random.chance(0.3) ? random.int(in: 0...4_999) : 0),
            source: random.weightedIndex(DemoSource.shares))
    }

    // MARK: - Fields

    /// A name as typed: usually as is, sometimes in capitals, lowercase or padded with spaces.
    private func name(_ name: Name, using style: inout SeededRandom) -> [UInt8] {
        switch style.index(below: 100) {
        case 0..<4: return name.upper
        case 4..<6: return name.lower
        case 6..<8: return [UInt8(ascii: " ")] + name.plain + [UInt8(ascii: " ")]
        default: return name.plain
        }
    }

    private func cased(_ name: Name, using style: inout SeededRandom) -> [UInt8] {
        switch style.index(below: 100) {
        case 0..<10: return name.upper
        case 10..<15: return name.lower
        default: return name.plain
        }
    }

    /// maria.garcia8213@gmail.com and other patterns; the row number makes it unique. Sometimes in
    /// mixed case or capitals.
    private func email(_ person: Person, token: Int, using style: inout SeededRandom) -> [UInt8] {
        let first = Self.names.first[person.firstName].slug
        let last = Self.names.last[person.lastName].slug
        var local: [UInt8]
        switch person.emailPattern {
        case 0: local = first + [UInt8(ascii: ".")] + last
        case 1: local = first + last
        case 2: local = [first[0]] + last
        case 3: local = first + [UInt8(ascii: "_")] + last
        case 4: local = last + [UInt8(ascii: ".")] + first
        default: local = first + [last[0]]
        }
        appendDigits(token, width: 1, to: &local)
        var email = local + [UInt8(ascii: "@")] + Self.emailDomains[person.emailDomain]
        switch style.index(below: 100) {
        case 0..<4:
            for position in email.indices { email[position] = Self.upper(email[position]) }
        case 4..<14:
            email[0] = Self.upper(email[0])
            if let at = email.firstIndex(of: UInt8(ascii: "@")) {
                email[at + 1] = Self.upper(email[at + 1])
                if let dot = local.firstIndex(of: UInt8(ascii: ".")) {
                    email[dot + 1] = Self.upper(email[dot + 1])
                }
            }
        default:
            break
        }
        return email
    }

    /// The seven digits after the area code of `row`'s phone: a permutation of the row numbers onto
    /// the 7,910,000 numbers whose exchange is 200-999 but not N11 or 555.
    private func subscriber(row: Int) -> (exchange: Int, line: Int) {
        let permuted =
            (row % Self.subscriberCount * 1_234_567 + subscriberOffset) % Self.subscriberCount
        return (Self.exchanges[permuted / 10_000], permuted % 10_000)
    }

    private static let exchanges = (200...999).filter { $0 % 100 != 11 && $0 != 555 }
    private static let subscriberCount = exchanges.count * 10_000

    /// (212) 555-0143, 212.555.0143, +1 212 555 0143 and the other ways people write a number,
    /// now and then with an extension.
    private func phone(areaCode: [UInt8], row: Int, using style: inout SeededRandom) -> [UInt8] {
        let (exchange, line) = subscriber(row: row)
        var phone: [UInt8] = []
        func part(_ text: String) { phone.append(contentsOf: text.utf8) }
        func number(_ separator: String, _ second: String) {
            phone.append(contentsOf: areaCode)
            part(separator)
            appendDigits(exchange, width: 3, to: &phone)
            part(second)
            appendDigits(line, width: 4, to: &phone)
        }
        switch style.weightedIndex(Self.phoneFormatWeights) {
        case 0:
            part("(")
            number(") ", "-")
        case 1: number("-", "-")
        case 2: number(".", ".")
        case 3: number("", "")
        case 4:
            part("+1 ")
            number(" ", " ")
        case 5:
            part("1-")
            number("-", "-")
        case 6:
            part("+1")
            number("", "")
        default: number(" ", " ")
        }
        if style.chance(0.02) {
            part(style.chance(0.5) ? " x" : " ext. ")
            appendDigits(style.int(in: 2...999), width: 1, to: &phone)
        }
        return phone
    }

    private static let phoneFormatWeights = [25, 20, 10, 15, 8, 7, 7, 8]

    /// 1207 W Jefferson St, sometimes with a unit after a comma (so the field is quoted) or a #.
    private func address(_ person: Person, using style: inout SeededRandom) -> [UInt8] {
        var address: [UInt8] = []
        appendDigits(person.houseNumber, width: 1, to: &address)
        address.append(UInt8(ascii: " "))
        address.append(contentsOf: Self.streets[person.street])
        address.append(UInt8(ascii: " "))
        address.append(contentsOf: Self.suffixes[person.suffix])
        if person.unit > 0 {
            address.append(contentsOf: style.chance(0.6) ? ", Apt ".utf8 : " #".utf8)
            appendDigits(person.unit, width: 1, to: &address)
        }
        if style.chance(0.08) {
            for position in address.indices { address[position] = Self.upper(address[position]) }
        }
        return address
    }

    /// TX, tx, Texas or TEXAS.
    private func state(_ place: Place, using style: inout SeededRandom) -> [UInt8] {
        switch style.index(below: 100) {
        case 0..<7: return place.state.lower
        case 7..<15: return place.stateName.plain
        case 15..<18: return place.stateName.upper
        default: return place.state.plain
        }
    }

    /// $12,345.67, 12345, 12,345, $ 1,200, 12345.00, $12345 or $12,345 (amounts under a million).
    private func money(_ cents: Int, using style: inout SeededRandom) -> [UInt8] {
        let dollars = cents / 100
        var money: [UInt8] = []
        func grouped() {
            if dollars >= 1_000 {
                appendDigits(dollars / 1_000, width: 1, to: &money)
                money.append(UInt8(ascii: ","))
                appendDigits(dollars % 1_000, width: 3, to: &money)
            } else {
                appendDigits(dollars, width: 1, to: &money)
            }
        }
        switch style.weightedIndex(Self.moneyFormatWeights) {
        case 0:
            money.append(UInt8(ascii: "$"))
            grouped()
            money.append(UInt8(ascii: "."))
            appendDigits(cents % 100, width: 2, to: &money)
        case 1: appendDigits(dollars, width: 1, to: &money)
        case 2: grouped()
        case 3:
            money.append(contentsOf: "$ ".utf8)
            grouped()
        case 4:
            appendDigits(dollars, width: 1, to: &money)
            money.append(contentsOf: ".00".utf8)
        case 5:
            money.append(UInt8(ascii: "$"))
            appendDigits(dollars, width: 1, to: &money)
        default:
            money.append(UInt8(ascii: "$"))
            grouped()
        }
        return money
    }

    private static let moneyFormatWeights = [30, 20, 15, 5, 10, 10, 10]

    /// Empty half the time; otherwise an agent's or vendor's note, some with commas, quotes
    /// or (rarely) a line break.
    private func notes(using style: inout SeededRandom) -> [UInt8] {
        if style.chance(0.5) { return [] }
        switch style.index(below: 1_000) {
        case 0..<6: return style.pick(Self.multilineNotes)
        case 6..<130: return style.pick(Self.longNotes)
        default: return style.pick(Self.shortNotes)
        }
    }

    // MARK: - Tables

    /// A name or word in the spellings a row may use, as UTF-8. A class, so that the hot loop
    /// retains one reference rather than four arrays.
    private final class Name: Sendable {
        let plain: [UInt8]
        let upper: [UInt8]
        let lower: [UInt8]
        /// Lowercase ASCII letters, for emails.
        let slug: [UInt8]

        init(_ text: String) {
            plain = Array(text.utf8)
            upper = Array(text.uppercased().utf8)
            lower = Array(text.lowercased().utf8)
            slug = Array(DemoNames.emailSlug(text).utf8)
        }
    }

    /// A place of ``DemoPlaces`` as the bytes a row needs (a class, like ``Name``).
    private final class Place: Sendable {
        let city: Name
        let state: Name
        let stateName: Name
        let zip: [UInt8]
        let areaCodes: [[UInt8]]

        init(_ place: DemoPlaces.Place) {
            city = Name(place.entry.city)
            state = Name(place.entry.state)
            stateName = Name(USState.name(of: place.entry.state) ?? place.entry.state)
            zip = Array(place.entry.zip.utf8)
            areaCodes = place.areaCodes.map { Array($0.utf8) }
        }
    }

    /// Given names then surnames, with the index ranges of each group.
    private struct Names: Sendable {
        var first: [Name]
        /// Women's, men's, Hispanic women's and Hispanic men's given names.
        var firstRanges: [ClosedRange<Int>]
        var last: [Name]
        var otherLastRange: ClosedRange<Int>
        var hispanicLastRange: ClosedRange<Int>

        init() {
            let groups = [
                DemoNames.womenFirstNames, DemoNames.menFirstNames,
                DemoNames.hispanicWomenFirstNames, DemoNames.hispanicMenFirstNames,
            ]
            first = groups.flatMap { $0.map(Name.init) }
            var start = 0
            firstRanges = groups.map { group in
                defer { start += group.count }
                return start...(start + group.count - 1)
            }
            last = (DemoNames.surnames + DemoNames.hispanicSurnames).map(Name.init)
            otherLastRange = 0...(DemoNames.surnames.count - 1)
            hispanicLastRange = DemoNames.surnames.count...(last.count - 1)
        }
    }

    private static let names = Names()
    private static let streets = DemoNames.streetNames.map { Array($0.utf8) }
    private static let suffixes = DemoNames.streetSuffixes.map { Array($0.utf8) }
    private static let emailDomains = DemoNames.emailDomains.map { Array($0.domain.utf8) }
    private static let emailDomainWeights = DemoNames.emailDomains.map(\.weight)

    /// How vendors spell each of ``DemoSource/all``.
    private static let sources: [[[UInt8]]] = [
        ["Facebook", "facebook", "FB Ads", "Facebook Ads - Spring relief"],
        ["Google", "google cpc", "Google Search", "GOOGLE"],
        ["LendingTree", "Lending Tree", "lendingtree"],
        ["Radio", "WXYZ", "radio ad"],
        ["Direct Mail", "mailer", "Direct mail - March"],
        ["Website", "web form", "website"],
        ["Credit Union", "CU referral", "Partner: Credit union referral"],
        ["Inbound Call", "phone", "Inbound"],
    ].map { $0.map { Array($0.utf8) } }

    private static let invalidPhones = ["555-12", "123-456-7890", "(000) 000-0000", "212-555-014"]
        .map { Array($0.utf8) }

    /// Hispanic surnames written in Latin-1, as old spreadsheets save them.
    private static let latin1Surnames: [[UInt8]] = [
        [0x4D, 0x75, 0xF1, 0x6F, 0x7A],  // Muñoz
        [0x50, 0x65, 0xF1, 0x61],  // Peña
        [0x4E, 0xFA, 0xF1, 0x65, 0x7A],  // Núñez
    ]

    private static let shortNotes = [
        "call after 5", "wants info on the program", "spanish speaker", "prefers text",
        "has 4 cards maxed out", "behind 3 months", "spouse also on the accounts",
        "no answer x2", "interested, call back Tue", "behind on Chase, Citi and Discover",
        "lost job in March, wife still working", "medical bills, about 8k in collections",
        "said \"just want the calls to stop\"", "asked if this is a \"loan\", explained it is not",
    ].map { Array($0.utf8) }

    private static let longNotes = [
        "Laid off from warehouse job in March; using cards for groceries and rent. Wants to avoid "
            + "bankruptcy if possible.",
        "Divorced last year, left with most of the card debt. Income $3,200/mo, rent $1,450. "
            + "Best time to call: evenings.",
        "Referred by sister (client since 2023). Has 6 accounts, 2 in collections, one lawsuit "
            + "threatened by Midland.",
        "Hours cut at the plant, \"down to 28 a week\". Current on car loan, behind on 3 cards.",
    ].map { Array($0.utf8) }

    private static let multilineNotes = [
        "Left VM 3/12\nCalled back 3/14, wants a Spanish speaker",
        "Line 1: prefers email\nLine 2: do not call at work",
    ].map { Array($0.utf8) }

    private static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}

/// Appends the decimal digits of a non-negative `value`, zero-padded to at least `width`.
private func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
    var count = 1
    var rest = value / 10
    while rest > 0 {
        count += 1
        rest /= 10
    }
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(count, width)))
    rest = value
    var position = bytes.count
    while position > start && rest > 0 {
        position -= 1
        bytes[position] += UInt8(rest % 10)
        rest /= 10
    }
}

/// Joins fields into a CSV line, quoting a field when it needs it (or always, for the rows of
/// exporters that quote everything) and doubling its quotes.
private struct RowWriter {
    var bytes: [UInt8] = []
    let quotesEveryField: Bool
    private var fieldCount = 0

    init(quotesEveryField: Bool) {
        self.quotesEveryField = quotesEveryField
    }

    /// Appends a field; `quoted: false` writes it exactly as given, quotes included.
    mutating func field(_ content: [UInt8], quoted: Bool? = nil) {
        if fieldCount > 0 { bytes.append(comma) }
        fieldCount += 1
        let needsQuotes =
            quoted
            ?? (quotesEveryField
                || content.contains { $0 == comma || $0 == quote || $0 == lineFeed || $0 == 13 })
        guard needsQuotes else {
            bytes.append(contentsOf: content)
            return
        }
        bytes.append(quote)
        for byte in content {
            if byte == quote { bytes.append(quote) }
            bytes.append(byte)
        }
        bytes.append(quote)
    }
}

private let comma = UInt8(ascii: ",")
private let quote = UInt8(ascii: "\"")
private let lineFeed = UInt8(ascii: "\n")
