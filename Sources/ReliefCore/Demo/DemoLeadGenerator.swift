import Foundation

/// Makes the demo organization's leads: believable people across 35 states with debts, a pipeline
/// history, notes, tasks and consents. The same seed, directories and `now` always give the same
/// leads.
///
/// Phone numbers are fictional: the area code is a real one serving the lead's ZIP code, but every
/// number is in the 555-0100 to 555-0199 range NANPA reserves for fiction, so a demo that dials or
/// texts can never reach a real person. That makes about 100 numbers per area code, plenty for a
/// few thousand leads.
public struct DemoLeadGenerator: Sendable {
    private let seed: UInt64
    private let places: DemoPlaces
    private let now: Date

    /// Reads the standard ZIP codes of the directory once (0.2 s in a debug build, 0.02 s
    /// optimized).
    public init(seed: UInt64, zips: ZIPDirectory, areaCodes: AreaCodeDirectory, now: Date) {
        self.seed = seed
        self.places = DemoPlaces(zips: zips, areaCodes: areaCodes)
        self.now = now
    }

    /// `count` leads, oldest first, created over the 120 days before `now` (more of them lately),
    /// owned by agents `0..<agentCount` except for about 10% left unassigned in status "new".
    /// Final statuses follow ``statusMix`` exactly, up to rounding.
    public func leads(count: Int, agentCount: Int) -> [DemoLead] {
        precondition(count >= 0 && agentCount >= 0, "counts cannot be negative")
        var random = SeededRandom(seed: seed)
        var unique = UniqueContacts()
        var unassigned = count / 10
        var leads: [DemoLead] = []
        leads.reserveCapacity(count)
        for status in DemoPipeline.finalStatuses(count: count, using: &random) {
            var owner: Int?
            if agentCount == 0 || (status == "new" && unassigned > 0) {
                unassigned -= 1
            } else {
                owner = random.index(below: agentCount)
            }
            leads.append(lead(status: status, owner: owner, unique: &unique, using: &random))
        }
        return leads.enumerated()
            .sorted { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
            .map(\.element)
    }

    /// The share of each final status, in basis points: 35% "new", 20% "contacted", ...
    public static var statusMix: [(status: String, basisPoints: Int)] { DemoPipeline.mix }

    /// The emails and phone numbers given so far.
    private struct UniqueContacts {
        var emails: Set<String> = []
        var phones: Set<String> = []
    }

    private func lead(
        status: String, owner: Int?, unique: inout UniqueContacts,
        using random: inout SeededRandom
    ) -> DemoLead {
        var place = places.place(using: &random)
        let isHispanic = random.index(below: 100) < place.hispanicPercent
        let isWoman = random.chance(0.56)
        let firstNames =
            switch (isHispanic && random.chance(0.75), isWoman) {
            case (true, true): DemoNames.hispanicWomenFirstNames
            case (true, false): DemoNames.hispanicMenFirstNames
            case (false, true): DemoNames.womenFirstNames
            case (false, false): DemoNames.menFirstNames
            }
        let firstName = random.pick(firstNames)
        var middleName = ""
        if random.chance(0.45) {
            let middle = random.pick(firstNames)
            middleName =
                random.chance(0.6) && middle != firstName ? middle : String(middle.prefix(1))
        }
        var lastName = random.pick(isHispanic ? DemoNames.hispanicSurnames : DemoNames.surnames)
        if isHispanic && random.chance(0.1) {
            lastName += " " + random.pick(DemoNames.hispanicSurnames)
        }
        let language = random.chance(isHispanic ? 0.8 : 0.004) ? "es" : "en"
        let birth = birthDate(using: &random)
        var spouse: String?
        if random.chance(0.55) {
            spouse =
                ["husband", "wife", "partner"][
                    random.weightedIndex(isWoman ? [16, 1, 3] : [1, 16, 3])]
        }
        let employment = employment(age: birth.age, place: place, using: &random)
        let income = monthlyIncomeCents(employment: employment, using: &random)
        let stated = statedDebtCents(using: &random)
        let ssn = random.chance(0.3) ? self.ssn(using: &random) : nil
        let source = DemoSource.all[random.weightedIndex(DemoSource.shares)]
        let utm = utm(for: source, using: &random)
        let address = address(using: &random)
        let phones = phones(place: &place, unique: &unique.phones, using: &random)
        let email = email(
            first: firstName, last: lastName, birthYear: birth.year, unique: &unique.emails,
            using: &random)

        let path = DemoPipeline.path(to: status, using: &random)
        let debts = DemoDebts.debts(
            statedCents: stated, enrolled: path.contains("enrolled"), hospital: place.hospital,
            using: &random)
        let person = DemoPerson(
            firstName: firstName, isWoman: isWoman, spouse: spouse, state: place.entry.state,
            employment: employment, language: language,
            statedDebtCents: stated, monthlyIncomeCents: income, debts: debts)
        let history = history(path: path, person: person, using: &random)
        let consents = consents(
            source: source, utm: utm, history: history, using: &random)
        return DemoLead(
            firstName: firstName, middleName: middleName, lastName: lastName, email: email,
            phone: phones.primary, secondPhone: phones.second, address: address,
            city: place.entry.city, state: place.entry.state, zip: place.entry.zip,
            timeZone: place.timeZone, language: language, dateOfBirth: birth.text, ssn: ssn,
            statedUnsecuredDebtCents: stated, monthlyIncomeCents: income, employment: employment,
            hardship: DemoStories.hardship(for: person, using: &random), source: source, utm: utm,
            debts: debts, createdAt: history[0].at, statusHistory: history,
            notes: notes(history: history, person: person, using: &random),
            tasks: tasks(history: history, person: person, using: &random), consents: consents,
            ownerIndex: owner)
    }

    // MARK: - Person

    /// A birth date between 24 and 77 full years before `now`, most often in the forties and
    /// fifties, with the age it gives.
    private func birthDate(using random: inout SeededRandom) -> (text: String, year: Int, age: Int)
    {
        let today = Int((now.timeIntervalSince1970 / 86_400).rounded(.down))
        let youngest = 24 * 366
        let oldest = 78 * 365
        let daysOld =
            youngest
            + (random.int(in: 0...(oldest - youngest)) + random.int(in: 0...(oldest - youngest)))
            / 2
        let birth = CivilDate(daysSince1970: today - daysOld)
        let now = CivilDate(daysSince1970: today)
        let hadBirthday = (now.month, now.day) >= (birth.month, birth.day)
        return (birth.text, birth.year, now.year - birth.year - (hadBirthday ? 0 : 1))
    }

    private func employment(age: Int, place: DemoPlaces.Place, using random: inout SeededRandom)
        -> String
    {
        if age >= 70 || age >= 63 && random.chance(0.7) { return "Retired" }
        let roll = random.index(below: 100)
        switch roll {
        case 0..<7: return "Unemployed"
        case 7..<16: return "Self-employed"
        case 16..<30 where place.county != nil:
            let county = place.county ?? ""
            return random.pick([county + " Schools", county, place.hospital ?? county])
        default: return random.pick(DemoNames.employers)
        }
    }

    /// $1,800 to $9,000 a month, most near $4,000; less for the retired and unemployed. Round
    /// fifty dollars most of the time, as people state it.
    private func monthlyIncomeCents(employment: String, using random: inout SeededRandom) -> Int64 {
        let roll = random.unit()
        var dollars = 1_800 + 7_200 * roll * roll
        if employment == "Retired" { dollars = 1_800 + 2_600 * roll }
        if employment == "Unemployed" { dollars = 1_800 + 1_200 * roll }
        var cents = Int64(dollars) * 100
        if random.chance(0.8) { cents = cents / 5_000 * 5_000 }
        return min(900_000, max(180_000, cents))
    }

    /// Quantiles (every 5%) of a log-normal with a $22,000 median, cut to $4,000...$120,000.
    private static let debtQuantiles: [Int64] = [
        4_000, 7_900, 9_900, 11_600, 13_100, 14_500, 15_900, 17_300, 18_800, 20_400, 22_000,
        23_800, 25_700, 27_900, 30_500, 33_400, 37_100, 41_800, 48_700, 61_000, 120_000,
    ]

    /// What the lead says they owe, usually a round figure.
    private func statedDebtCents(using random: inout SeededRandom) -> Int64 {
        let position = random.int(in: 0...(20 * 1_000 - 1))
        let (segment, step) = (position / 1_000, Int64(position % 1_000))
        let low = Self.debtQuantiles[segment]
        let high = Self.debtQuantiles[segment + 1]
        let dollars = low + (high - low) * step / 1_000
        let rounding: Int64 = [500, 100, 1][random.weightedIndex([60, 25, 15])]
        return max(4_000, dollars / rounding * rounding) * 100
    }

    /// A well-formed SSN: area 001-899 except 666, group 01-99, serial 0001-9999.
    private func ssn(using random: inout SeededRandom) -> String {
        var area = random.int(in: 1...898)
        if area >= 666 { area += 1 }
        return padded(area, 3) + "-" + padded(random.int(in: 1...99), 2) + "-"
            + padded(random.int(in: 1...9_999), 4)
    }

    private func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private func utm(for source: DemoSource, using random: inout SeededRandom) -> DemoUTM? {
        guard var utm = source.utm else { return nil }
        switch utm.source {
        case "facebook":
            utm.content = random.pick(["carousel_a", "video_testimonial", "static_savings_calc"])
        case "google":
            utm.term = random.pick([
                "debt relief", "debt settlement companies", "credit card debt help",
                "consolidate credit card debt", "how to get out of debt",
            ])
        default:
            break
        }
        return utm
    }

    private func address(using random: inout SeededRandom) -> String {
        let number =
            switch random.index(below: 100) {
            case 0..<10: random.int(in: 1...99)
            case 10..<85: random.int(in: 100...9_999)
            default: random.int(in: 10_000...29_999)
            }
        var parts = [String(number)]
        if random.chance(0.15) { parts.append(random.pick(DemoNames.directions)) }
        parts.append(random.pick(DemoNames.streetNames))
        parts.append(random.pick(DemoNames.streetSuffixes))
        if random.chance(0.12) {
            parts.append(
                random.chance(0.7)
                    ? "Apt \(random.int(in: 1...40))\(random.pick(["", "", "A", "B", "C"]))"
                    : "Unit \(random.int(in: 100...450))")
        }
        return parts.joined(separator: " ")
    }

    /// A mobile (usually) and sometimes a second number, in fictional 555-01xx lines of the
    /// place's area codes; moves the lead to another place when those are all taken.
    private func phones(
        place: inout DemoPlaces.Place, unique: inout Set<String>, using random: inout SeededRandom
    ) -> (primary: DemoPhone, second: DemoPhone?) {
        func number() -> String? {
            for _ in 0..<40 {
                let candidate = random.pick(place.areaCodes) + "55501" + random.digits(2)
                if unique.insert(candidate).inserted { return candidate }
            }
            return nil
        }
        var first = number()
        for _ in 0..<1_000 where first == nil {
            place = places.place(using: &random)
            first = number()
        }
        guard let first else { preconditionFailure("no fictional phone numbers left") }
        let primary = DemoPhone(number: first, type: random.chance(0.85) ? "mobile" : "home")
        guard random.chance(0.2), let second = number() else { return (primary, nil) }
        let type = primary.type == "mobile" ? random.pick(["home", "work"]) : "mobile"
        return (primary, DemoPhone(number: second, type: type))
    }

    private static let emailDomainWeights = DemoNames.emailDomains.map(\.weight)

    /// first.last@, flast@, firstlast87@ and the like at a common domain, with digits added until
    /// the address is unused.
    private func email(
        first: String, last: String, birthYear: Int, unique: inout Set<String>,
        using random: inout SeededRandom
    ) -> String {
        let (first, last) = (DemoNames.emailSlug(first), DemoNames.emailSlug(last))
        let year = String(birthYear)
        var local =
            switch random.weightedIndex([25, 15, 15, 15, 10, 5, 5, 10]) {
            case 0: first + "." + last
            case 1: first + last
            case 2: String(first.prefix(1)) + last
            case 3: first + "." + last + year.suffix(2)
            case 4: first + last.prefix(1) + random.digits(random.int(in: 2...3))
            case 5: first + "_" + last
            case 6: last + "." + first
            default: first + year
            }
        let domain = DemoNames.emailDomains[random.weightedIndex(Self.emailDomainWeights)].domain
        while !unique.insert(local + "@" + domain).inserted {
            local += random.digits(1)
        }
        return local + "@" + domain
    }

    // MARK: - Pipeline

    /// The changes along `path`, the first one the lead's creation: 0-120 days ago (fewer the
    /// longer ago), with typical delays between moves, squeezed to end before `now`.
    private func history(path: [String], person: DemoPerson, using random: inout SeededRandom)
        -> [DemoStatusChange]
    {
        let final = path[path.count - 1]
        let minimumDays = Double(DemoPipeline.minimumAgeDays(for: final))
        let roll = random.unit()
        let skewed = final == "new" ? roll * roll : roll * roll.squareRoot()
        let ageDays = minimumDays + (120 - minimumDays) * skewed
        let ageSeconds = (600 + ageDays * 86_400).rounded(.down)
        let delays = zip(path, path.dropFirst()).map { previous, status in
            DemoPipeline.delayHours(from: previous, to: status, using: &random) * 3_600
        }
        let scale = min(1, ageSeconds * 0.95 / max(1, delays.reduce(0, +)))
        var at = (now.timeIntervalSince1970 - ageSeconds).rounded(.down)
        var history = [DemoStatusChange(status: "new", at: Date(timeIntervalSince1970: at))]
        for (status, delay) in zip(path.dropFirst(), delays) {
            at += max(60, (delay * scale).rounded(.down))
            let reason = DemoStories.reason(for: status, person: person, using: &random)
            history.append(
                DemoStatusChange(
                    status: status, at: Date(timeIntervalSince1970: at), reason: reason))
        }
        return history
    }

    /// Up to four notes: call attempts before the lead was reached, then a note on most moves.
    private func notes(
        history: [DemoStatusChange], person: DemoPerson, using random: inout SeededRandom
    ) -> [DemoNote] {
        var notes: [DemoNote] = []
        let reached = history.count > 1 ? history[1].at : now
        let attempts =
            history.count > 1 && history[1].status != "unreachable"
            ? random.int(in: 0...1) : random.int(in: 0...2)
        let window = reached.timeIntervalSince(history[0].at)
        for attempt in 0..<attempts where window > 3_600 {
            let at = history[0].at.addingTimeInterval(
                window * Double(attempt * 2 + 1) / Double(attempts * 2 + 1))
            notes.append(
                DemoNote(text: DemoStories.attemptNote(for: person, using: &random), at: at))
        }
        for change in history.dropFirst() where random.chance(0.8) {
            guard
                let text = DemoStories.note(
                    on: change.status, reason: change.reason, for: person, using: &random)
            else { continue }
            let at = min(now, change.at.addingTimeInterval(Double(random.int(in: 60...1_200))))
            notes.append(DemoNote(text: text, at: at))
        }
        while notes.count > 4 { notes.remove(at: random.index(below: notes.count)) }
        return notes.sorted { $0.at < $1.at }
    }

    /// Zero to two follow-ups on an open lead, some overdue, due on the half hour.
    private func tasks(
        history: [DemoStatusChange], person: DemoPerson, using random: inout SeededRandom
    ) -> [DemoTask] {
        guard let last = history.last,
            ["new", "contacted", "qualified", "enrolled"].contains(last.status)
        else { return [] }
        let count = random.weightedIndex(
            last.status == "new" || last.status == "enrolled" ? [4, 6, 0] : [1, 5, 4])
        let titles = random.shuffled(DemoStories.taskTitles(for: last.status, person: person))
        return titles.prefix(count).map { title in
            var due = now.timeIntervalSince1970 + Double(random.int(in: 3_600...(7 * 86_400)))
            let overdue = now.timeIntervalSince1970 - Double(random.int(in: 3_600...(6 * 86_400)))
            if random.chance(0.4) && overdue > last.at.timeIntervalSince1970 + 3_600 {
                due = overdue
            }
            return DemoTask(
                title: title, due: Date(timeIntervalSince1970: (due / 1_800).rounded(.down) * 1_800)
            )
        }
    }

    // MARK: - Consents

    private static let tcpaDisclosure =
        "By clicking \"See my options\", I agree that Summit Relief may call and text me about "
        + "debt relief at the number I entered, including with an automatic telephone dialing "
        + "system and prerecorded or artificial voice messages. Consent is not a condition of "
        + "purchase. Message and data rates may apply; reply STOP to opt out."

    private static let emailDisclosure =
        "Send me tips and offers from Summit Relief by email. I can unsubscribe at any time."

    private static let userAgents = [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918U) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/125.0.6422.165 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 13; moto g play - 2023) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    ]

    /// A TCPA consent for most leads of digital sources, often an email consent beside it;
    /// withdrawals for do-not-contact leads and a few unsubscribes.
    private func consents(
        source: DemoSource, utm: DemoUTM?, history: [DemoStatusChange],
        using random: inout SeededRandom
    ) -> [DemoConsent] {
        guard source.isDigital, random.chance(0.92) else { return [] }
        let created = history[0].at
        let formURL =
            utm.map { "https://offers.summit-demo.example/relief?" + $0.queryString }
            ?? "https://www.summit-demo.example/get-started"
        let ip =
            random.pick(["192.0.2.", "198.51.100.", "203.0.113."]) + String(random.int(in: 1...254))
        let userAgent =
            source.utm?.source == "facebook" && random.chance(0.5)
            ? Self.userAgents[0] + " [FBAN/FBIOS;FBAV/465.0.0.40.108;]"
            : random.pick(Self.userAgents)
        func given(_ kind: String, _ disclosure: String) -> DemoConsent {
            DemoConsent(
                kind: kind, granted: true, disclosure: disclosure, capturedAt: created,
                source: "web_form", formURL: formURL, ip: ip, userAgent: userAgent)
        }
        func withdrawn(_ kind: String, _ how: String, _ source: String, at: Date) -> DemoConsent {
            DemoConsent(
                kind: kind, granted: false, disclosure: how, capturedAt: at, source: source,
                formURL: nil, ip: nil, userAgent: nil)
        }
        var consents = [given("tcpa", Self.tcpaDisclosure)]
        let emails = random.chance(0.5)
        if emails { consents.append(given("email_marketing", Self.emailDisclosure)) }
        if let stop = history.first(where: { $0.status == "do_not_contact" }) {
            let (how, channel) =
                switch stop.reason {
                case "Replied STOP to a text": ("Replied STOP to a text message", "sms_reply")
                case "Attorney representation letter received":
                    ("Attorney letter: all contact through counsel", "mail")
                default: ("Asked on a call to stop all calls and texts", "phone_call")
                }
            consents.append(withdrawn("tcpa", how, channel, at: stop.at))
            if emails { consents.append(withdrawn("email_marketing", how, channel, at: stop.at)) }
        } else if emails && random.chance(0.045) {
            let span = now.timeIntervalSince(created)
            consents.append(
                withdrawn(
                    "email_marketing", "Clicked unsubscribe in a marketing email",
                    "unsubscribe_link",
                    at: created.addingTimeInterval((span * random.unit()).rounded(.down))))
        }
        return consents
    }
}

/// A day of the proleptic Gregorian calendar, from a count of days since 1970-01-01
/// (H. Hinnant's civil-from-days), without a `Calendar`.
private struct CivilDate {
    var year: Int
    var month: Int
    var day: Int

    init(daysSince1970: Int) {
        let shifted = daysSince1970 + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// "YYYY-MM-DD".
    var text: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
