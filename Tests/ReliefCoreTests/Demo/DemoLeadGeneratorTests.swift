import Foundation
import ReliefCore
import Testing

@Suite("Demo lead generator")
struct DemoLeadGeneratorTests {
    /// 2026-09-21 14:13:20 UTC.
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let zips = ReferenceDataFiles.zips
    static let generator = DemoLeadGenerator(
        seed: 2_026, zips: zips, areaCodes: ReferenceDataFiles.areaCodes, now: now)
    static let leads = generator.leads(count: 2_000, agentCount: 6)

    /// The moves the app allows, from each status.
    static let allowedMoves: [String: Set<String>] = [
        "new": [
            "contacted", "qualified", "not_interested", "unqualified", "unreachable",
            "do_not_contact",
        ],
        "contacted": [
            "qualified", "not_interested", "unqualified", "unreachable",
            "do_not_contact",
        ],
        "qualified": [
            "enrolled", "not_interested", "unqualified", "unreachable",
            "do_not_contact",
        ],
        "enrolled": ["settled", "cancelled", "do_not_contact"],
    ]

    static let accountTypes: Set<String> = [
        "credit_card", "personal_loan", "installment_loan", "medical", "collection",
        "private_student_loan", "federal_student_loan", "mortgage", "heloc", "auto",
        "secured_card", "tax", "child_support", "other",
    ]

    /// Whether `number` is ten digits with an area code and exchange of 2-9, neither N11.
    static func isNANP(_ number: String) -> Bool {
        let digits = Array(number.utf8).map { Int($0) - 48 }
        guard digits.count == 10, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        for start in [0, 3] {
            guard digits[start] >= 2, !(digits[start + 1] == 1 && digits[start + 2] == 1) else {
                return false
            }
        }
        return true
    }

    static func share(_ count: Int, of total: Int) -> Double { Double(count) / Double(total) }

    @Test("the same seed makes the same leads, another seed other leads")
    func determinism() {
        let again = DemoLeadGenerator(
            seed: 2_026, zips: Self.zips, areaCodes: ReferenceDataFiles.areaCodes, now: Self.now)
        let other = DemoLeadGenerator(
            seed: 2_027, zips: Self.zips, areaCodes: ReferenceDataFiles.areaCodes, now: Self.now)
        #expect(again.leads(count: 2_000, agentCount: 6) == Self.leads)
        #expect(Self.generator.leads(count: 2_000, agentCount: 6) == Self.leads)
        let others = other.leads(count: 2_000, agentCount: 6)
        #expect(others != Self.leads)
        #expect(Set(others.map(\.email)).intersection(Self.leads.map(\.email)).count < 200)
    }

    @Test("makes the count asked for, oldest first, over the last 120 days")
    func countAndDates() {
        #expect(Self.leads.count == 2_000)
        #expect(Self.generator.leads(count: 0, agentCount: 6).isEmpty)
        #expect(Self.generator.leads(count: 7, agentCount: 6).count == 7)
        let dates = Self.leads.map(\.createdAt)
        #expect(dates == dates.sorted())
        let oldest = Self.now.addingTimeInterval(-121 * 86_400)
        #expect(dates.allSatisfy { $0 > oldest && $0 < Self.now })
        let lastMonth = dates.filter { $0 > Self.now.addingTimeInterval(-30 * 86_400) }.count
        let firstMonth = dates.filter { $0 < Self.now.addingTimeInterval(-90 * 86_400) }.count
        #expect(lastMonth > 2 * firstMonth)
    }

    @Test("people live at real standard ZIP codes of at least 25 states, most in the big ones")
    func places() throws {
        for lead in Self.leads {
            let entry = try #require(Self.zips.entry(lead.zip))
            #expect(entry.kind == .standard)
            #expect(entry.city == lead.city && entry.state == lead.state)
            #expect(Self.zips.timeZone(forZIP: lead.zip) == lead.timeZone)
            #expect(lead.address.first?.isNumber == true)
            #expect(lead.address.split(separator: " ").count >= 3)
        }
        let states = Dictionary(grouping: Self.leads, by: \.state).mapValues(\.count)
        #expect(states.count >= 25)
        #expect(states["CA", default: 0] > states["NM", default: 0] * 5)
        #expect(Set(Self.leads.map(\.timeZone)).count >= 4)
    }

    @Test("phones are NANP numbers in an area code of the ZIP, fictional and unique")
    func phones() throws {
        var seen: Set<String> = []
        for lead in Self.leads {
            let areaCodes = try #require(Self.zips.entry(lead.zip)).areaCodes
            for phone in [lead.phone] + (lead.secondPhone.map { [$0] } ?? []) {
                #expect(Self.isNANP(phone.number), "\(phone.number)")
                #expect(areaCodes.contains(String(phone.number.prefix(3))), "\(phone.number)")
                #expect(phone.number.dropFirst(3).hasPrefix("55501"), "\(phone.number)")
                #expect(seen.insert(phone.number).inserted, "\(phone.number) twice")
            }
            if let second = lead.secondPhone { #expect(second.type != lead.phone.type) }
        }
        let mobile = Self.leads.filter { $0.phone.type == "mobile" }.count
        #expect((0.75...0.95).contains(Self.share(mobile, of: 2_000)))
        let seconds = Self.leads.filter { $0.secondPhone != nil }.count
        #expect((0.1...0.3).contains(Self.share(seconds, of: 2_000)))
    }

    @Test("emails are unique and made from the name")
    func emails() {
        let emails = Self.leads.map { $0.email.lowercased() }
        #expect(Set(emails).count == emails.count)
        for lead in Self.leads {
            let parts = lead.email.split(separator: "@")
            #expect(parts.count == 2 && parts[1].contains("."), "\(lead.email)")
            let local = String(parts[0])
            let first = Self.slug(lead.firstName)
            let last = Self.slug(lead.lastName)
            #expect(local.contains(first) || local.contains(last), "\(lead.email)")
        }
        #expect(Set(Self.leads.map { $0.email.split(separator: "@")[1] }).count >= 5)
    }

    static func slug(_ name: String) -> String {
        name.folding(options: .diacriticInsensitive, locale: nil).lowercased()
            .filter { $0.isASCII && $0.isLetter }
    }

    @Test("names, languages, ages and SSNs vary like real leads")
    func people() throws {
        let spanish = Self.leads.filter { $0.language == "es" }.count
        #expect(Set(Self.leads.map(\.language)) == ["en", "es"])
        #expect((0.1...0.2).contains(Self.share(spanish, of: 2_000)))
        #expect(Set(Self.leads.map(\.firstName)).count > 100)
        #expect(Set(Self.leads.map(\.lastName)).count > 100)
        let middle = Self.leads.filter { !$0.middleName.isEmpty }.count
        #expect((0.3...0.6).contains(Self.share(middle, of: 2_000)))

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for lead in Self.leads {
            let parts = lead.dateOfBirth.split(separator: "-").compactMap { Int($0) }
            #expect(parts.count == 3 && lead.dateOfBirth.count == 10, "\(lead.dateOfBirth)")
            let birth = try #require(
                calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])))
            #expect(calendar.component(.day, from: birth) == parts[2], "\(lead.dateOfBirth)")
            let age = try #require(calendar.dateComponents([.year], from: birth, to: Self.now).year)
            #expect((24...78).contains(age), "\(lead.dateOfBirth)")
        }

        let ssns = Self.leads.compactMap(\.ssn)
        #expect((0.25...0.35).contains(Self.share(ssns.count, of: 2_000)))
        for ssn in ssns {
            let parts = ssn.split(separator: "-", omittingEmptySubsequences: false)
            #expect(parts.map(\.count) == [3, 2, 4], "\(ssn)")
            let (area, group, serial) = (Int(parts[0]) ?? 0, Int(parts[1]) ?? 0, Int(parts[2]) ?? 0)
            #expect(area > 0 && area != 666 && area < 900 && group > 0 && serial > 0, "\(ssn)")
        }

        let employment = Set(Self.leads.map(\.employment))
        #expect(employment.isSuperset(of: ["Retired", "Self-employed", "Unemployed"]))
        #expect(employment.count > 30)
    }

    @Test("debts add up to what the lead said they owe")
    func debts() {
        for lead in Self.leads {
            #expect((400_000...12_000_000).contains(lead.statedUnsecuredDebtCents))
            #expect((180_000...900_000).contains(lead.monthlyIncomeCents))
            #expect((1...7).contains(lead.debts.count))
            let unsecured = lead.debts.filter { !$0.isSecured }.reduce(0) { $0 + $1.balanceCents }
            let ratio = Double(unsecured) / Double(lead.statedUnsecuredDebtCents)
            #expect(
                (0.85...1.15).contains(ratio), "\(unsecured) for \(lead.statedUnsecuredDebtCents)")
            for debt in lead.debts {
                #expect(Self.accountTypes.contains(debt.accountType))
                #expect(!debt.creditor.isEmpty)
                #expect(debt.balanceCents > 0 && debt.monthlyPaymentCents >= 0)
                #expect((0...9).contains(debt.monthsDelinquent))
                #expect(debt.accountLast4.count == 4 && debt.accountLast4.allSatisfy(\.isNumber))
                #expect(debt.isSecured == ["auto", "mortgage"].contains(debt.accountType))
                if debt.accountType == "credit_card" {
                    let percent = Double(debt.monthlyPaymentCents) / Double(debt.balanceCents)
                    #expect(percent <= 0.03 || debt.monthlyPaymentCents == 2_500)
                    #expect(percent >= 0.0199)
                }
            }
        }
        let median = Self.leads.map(\.statedUnsecuredDebtCents).sorted()[1_000]
        #expect((1_800_000...2_600_000).contains(median))
        let creditors = Set(Self.leads.flatMap { $0.debts.map(\.creditor) })
        #expect(creditors.isSuperset(of: ["Chase", "Capital One", "Midland Credit Management"]))
        let types = Set(Self.leads.flatMap { $0.debts.map(\.accountType) })
        #expect(types.isSuperset(of: ["credit_card", "personal_loan", "medical", "auto"]))
    }

    @Test("final statuses follow the target mix")
    func statusMix() {
        let counts = Dictionary(grouping: Self.leads, by: \.status).mapValues(\.count)
        let mix = DemoLeadGenerator.statusMix
        #expect(mix.reduce(0) { $0 + $1.basisPoints } == 10_000)
        #expect(Set(counts.keys) == Set(mix.map(\.status)))
        for (status, basisPoints) in mix {
            let share = Self.share(counts[status, default: 0], of: 2_000)
            #expect(abs(share - Double(basisPoints) / 10_000) <= 0.005, "\(status): \(share)")
        }
    }

    @Test("every history follows the allowed moves, with reasons where needed")
    func histories() {
        for lead in Self.leads {
            let history = lead.statusHistory
            #expect(history.first?.status == "new" && history.first?.at == lead.createdAt)
            for (from, to) in zip(history, history.dropFirst()) {
                #expect(
                    Self.allowedMoves[from.status]?.contains(to.status) == true,
                    "\(from.status) → \(to.status)")
                #expect(from.at < to.at)
            }
            #expect(history.last.map { $0.at <= Self.now } == true)
            for change in history {
                switch change.status {
                case "unqualified", "do_not_contact", "cancelled":
                    #expect(change.reason?.isEmpty == false, "\(change.status) without a reason")
                case "not_interested":
                    break
                default:
                    #expect(change.reason == nil)
                }
            }
        }
    }

    @Test("leads that reached enrolled have enrolled unsecured debts, others none")
    func enrolledDebts() {
        for lead in Self.leads {
            let enrolled = lead.debts.filter(\.isEnrolled)
            if lead.statusHistory.contains(where: { $0.status == "enrolled" }) {
                #expect(!enrolled.isEmpty)
                #expect(enrolled.allSatisfy { !$0.isSecured })
                #expect(!enrolled.contains { $0.accountType == "federal_student_loan" })
            } else {
                #expect(enrolled.isEmpty)
            }
        }
    }

    @Test("sources come from the fixed list; digital leads carry UTM tags and consents")
    func sourcesAndConsents() throws {
        #expect(DemoSource.all.count == 8)
        #expect(Set(Self.leads.map(\.source.name)) == Set(DemoSource.all.map(\.name)))
        let google = try #require(DemoSource.all.first { $0.name == "Google Search — debt relief" })
        #expect(google.costPerLeadCents == 4_200)
        for lead in Self.leads {
            #expect(DemoSource.all.contains(lead.source))
            #expect((lead.utm == nil) == (lead.source.utm == nil))
            if let utm = lead.utm {
                #expect(utm.source == lead.source.utm?.source)
                #expect(utm.campaign == lead.source.utm?.campaign)
            }
            if !lead.source.isDigital { #expect(lead.consents.isEmpty) }
            for consent in lead.consents {
                #expect(["tcpa", "email_marketing"].contains(consent.kind))
                #expect(consent.capturedAt >= lead.createdAt && consent.capturedAt <= Self.now)
                if consent.granted {
                    #expect(consent.source == "web_form")
                    let ip = try #require(consent.ip)
                    #expect(
                        ["192.0.2.", "198.51.100.", "203.0.113."].contains { ip.hasPrefix($0) })
                    let url = try #require(consent.formURL)
                    #expect(url.hasPrefix("https://") && url.contains("summit-demo.example"))
                    if let utm = lead.utm { #expect(url.contains("utm_source=" + utm.source)) }
                    #expect(consent.userAgent?.hasPrefix("Mozilla/5.0") == true)
                } else {
                    #expect(
                        lead.consents.contains {
                            $0.granted && $0.kind == consent.kind
                                && $0.capturedAt <= consent.capturedAt
                        })
                }
            }
        }
        let digital = Self.leads.filter(\.source.isDigital)
        let consenting = digital.filter { $0.consents.contains { $0.kind == "tcpa" } }.count
        #expect((0.85...0.97).contains(Self.share(consenting, of: digital.count)))
        #expect(digital.contains { $0.consents.contains { $0.kind == "email_marketing" } })
        let withdrawn = Self.leads.filter { $0.consents.contains { !$0.granted } }.count
        #expect((0.01...0.035).contains(Self.share(withdrawn, of: 2_000)))
    }

    @Test("about 10% of leads are unassigned, all of them new")
    func owners() {
        let unassigned = Self.leads.filter { $0.ownerIndex == nil }
        #expect(unassigned.count == 200)
        #expect(unassigned.allSatisfy { $0.status == "new" })
        let owners = Self.leads.compactMap(\.ownerIndex)
        #expect(Set(owners) == Set(0..<6))
        let noAgents = Self.generator.leads(count: 50, agentCount: 0)
        #expect(noAgents.allSatisfy { $0.ownerIndex == nil })
    }

    @Test("hardship stories, notes and tasks read like real ones")
    func stories() {
        var overdue = 0
        var upcoming = 0
        for lead in Self.leads {
            let sentences = lead.hardship.split(separator: ".").filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
            }
            #expect((1...3).contains(sentences.count), "\(lead.hardship)")
            #expect(lead.notes.count <= 4)
            #expect(lead.notes.map(\.at) == lead.notes.map(\.at).sorted())
            #expect(lead.notes.allSatisfy { $0.at >= lead.createdAt && $0.at <= Self.now })
            #expect(lead.tasks.count <= 2)
            if !lead.tasks.isEmpty {
                #expect(["new", "contacted", "qualified", "enrolled"].contains(lead.status))
            }
            for task in lead.tasks {
                if task.due < Self.now { overdue += 1 } else { upcoming += 1 }
            }
        }
        #expect(overdue > 100 && upcoming > 100)
        #expect(Set(Self.leads.map(\.hardship)).count > 500)
        #expect(Self.leads.contains { $0.hardship.contains("No medical issues.") })
        let notes = Self.leads.flatMap(\.notes).map(\.text)
        #expect(Set(notes).count > 100)
        #expect(notes.contains { $0.hasPrefix("Left voicemail, will try after 6pm") })
    }

    @Test("2,000 leads take well under a second")
    func speed() {
        let elapsed = ContinuousClock().measure {
            _ = Self.generator.leads(count: 2_000, agentCount: 6)
        }
        #expect(elapsed < .seconds(1))
    }
}
