import Fluent
import Foundation
import ReliefCore
import Vapor

/// The demo organization's compliance data: a small national registry copy and a Texas list
/// (both holding some demo leads' numbers), an internal do-not-call list, STOP replies,
/// a caller id pool with a week of calls (one number resting at its cap, one flagged for a low
/// answer rate), a bankruptcy flag awaiting review, an attorney flag, and two weeks of recorded
/// gate decisions for the dashboard.
enum DemoComplianceSeeder {
    static func seed(_ app: Application, organization: Organization, officer: User?) async throws {
        let organizationID = try organization.requireID
        let services = app.relief
        let now = services.now()
        let actor = LeadActor(
            organizationID: organizationID, userID: officer?.id,
            audit: officer.map { AuditActor(kind: .user, id: $0.id?.uuidString, label: $0.name) }
                ?? AuditActor(kind: .system, id: nil, label: "demo data"),
            origin: .commandLine)
        let context = ComplianceContext(database: app.db, actor: actor, services: services)
        var random = SeededRandom(seed: 5_505)

        let leads = try await Lead.query(in: organizationID, on: app.db)
            .filter(\.$primaryPhone != nil).sort(\.$createdAt).limit(2_000).all()
        let phones = leads.compactMap { lead -> (Lead, PhoneNumber)? in
            guard let phone = lead.primaryPhone.flatMap({ try? PhoneNumber.parse($0) }) else {
                return nil
            }
            return (lead, phone)
        }

        // Registry copies: 2,000 numbers in the demo's area codes plus 60 demo leads' numbers.
        var national = DNCParseResult()
        for (_, phone) in phones.prefix(60) { national.add(phone) }
        let areaCodes = Array(Set(phones.map { Int($0.1.areaCode)! })).sorted()
        for _ in 0..<2_000 {
            let areaCode = areaCodes[random.index(below: areaCodes.count)]
            national.add(
                areaCode: areaCode, subscriber: UInt32(2_000_000 + random.index(below: 7_999_999)))
        }
        let uploads = DNCRegistryUploads(
            context: context, dataDirectory: services.config.dataDirectory)
        let today = CalendarDate(now, in: .gmt)
        _ = try await uploads.load(
            national, list: DNCRegistryCache.national, downloadedOn: today.adding(days: -3),
            fileName: "national-demo.txt")
        var texas = DNCParseResult()
        for (lead, phone) in phones where lead.state == "TX" {
            texas.add(phone)
            if texas.linesRead >= 25 { break }
        }
        if texas.linesRead > 0 {
            _ = try await uploads.load(
                texas, list: "TX", downloadedOn: today.adding(days: -20), fileName: "texas-q4.txt")
        }

        // The internal list and STOP replies.
        let internalList = InternalDNCList(context: context)
        let reasons = [
            "Asked not to be called again", "Said we call too often",
            "Working with another company",
            "Requested by their attorney", "Hung up: do not call",
        ]
        for (index, (lead, phone)) in phones.dropFirst(60).prefix(5).enumerated() {
            _ = try await internalList.add(
                phone: phone.nationalDigits, reason: reasons[index], leadID: lead.id)
        }
        let inbound = InboundMessages(context: context)
        for (index, (_, phone)) in phones.dropFirst(65).prefix(4).enumerated() {
            let replies = ["STOP", "please stop texting me", "Unsubscribe", "stop"]
            _ = try await inbound.receive(from: phone.nationalDigits, text: replies[index])
        }

        // Flags: a bankruptcy mention waiting for review, an attorney, and a cleared one.
        let flags = ComplianceFlags(context: context)
        let leadService = LeadService(services: services, database: app.db, actor: actor)
        if let (lead, _) = phones.dropFirst(70).first {
            try await leadService.addNote(
                lead,
                body: "She said she filed Chapter 13 in 2023 and the trustee takes $410 a month. "
                    + "Checking whether the plan is still active before we talk about settlement.")
        }
        if let (lead, _) = phones.dropFirst(71).first {
            _ = try await flags.mark(
                .attorneyRepresented, leadID: try lead.requireID(),
                note: "Represented by Hale & Ortiz LLP; send everything to the attorney.")
        }
        if let (lead, _) = phones.dropFirst(72).first {
            try await leadService.addNote(
                lead, body: "Mentioned a chapter 7 discharge back in 2012.")
            if let flag = try await ComplianceFlag.query(in: organizationID, on: app.db)
                .filter(\.$leadID == lead.requireID()).first()
            {
                _ = try await flags.review(
                    try flag.requireID(), confirm: false,
                    note:
                        "Discharged in 2012, older than 10 years; debts since then are enrollable.")
            }
        }

        try await seedCallerIDs(context: context, now: now, random: &random)

        // Two weeks of recorded decisions: calls, texts and e-mails at working and odd hours.
        let service = ComplianceService(
            database: app.db, organizationID: organizationID, runtime: services.compliance,
            actorLabel: "demo dialer")
        var checks: [GateCheck] = []
        for _ in 0..<420 {
            let (lead, _) = phones[random.index(below: phones.count)]
            let channels: [ContactChannel] = [.call, .call, .call, .sms, .email, .voicemail]
            let channel = channels[random.index(below: channels.count)]
            let hoursAgo =
                Double(random.index(below: 14 * 24)) + Double(random.index(below: 60)) / 60
            let purpose: ContactPurpose =
                lead.status == .enrolled && random.index(below: 2) == 0 ? .servicing : .marketing
            checks.append(
                GateCheck(
                    subject: .lead(try lead.requireID()),
                    request: ContactGateRequest(
                        channel: channel, purpose: purpose,
                        method: random.index(below: 4) == 0 ? .automated : .manual,
                        at: now.addingTimeInterval(-hoursAgo * 3_600))))
        }
        checks.sort { $0.request.at < $1.request.at }
        for chunk in checks.chunked(into: 60) {
            _ = try await service.decide(Array(chunk), record: true)
        }
    }

    /// Eight numbers in the demo's busiest area codes with a week of calls: one resting at its
    /// cap today, one flagged for answering far less than the rest.
    private static func seedCallerIDs(
        context: ComplianceContext, now: Date, random: inout SeededRandom
    ) async throws {
        let pool = CallerIDPoolService(context: context)
        let numbers = [
            ("3055550140", 120), ("7865550141", 120), ("2145550142", 150), ("7135550143", 150),
            ("2125550144", 100), ("4045550145", 100), ("6025550146", 80), ("3125550147", 100),
        ]
        var created: [CallerIDNumber] = []
        for (phone, cap) in numbers {
            created.append(try await pool.add(phone: phone, dailyCap: cap))
        }
        for (index, number) in created.enumerated() {
            for daysAgo in 0..<7 {
                let day = CallerIDDay()
                day.organizationID = context.organizationID
                day.callerID = try number.requireID()
                day.day = CallerIDPoolService.day(now.addingTimeInterval(-Double(daysAgo) * 86_400))
                // Number 1 is at its cap today; number 6 is answered about 5% of the time.
                day.calls =
                    daysAgo == 0 && index == 1
                    ? number.dailyCap : 40 + random.index(below: 40)
                let rate = index == 6 ? 0.05 : 0.24 + Double(random.index(below: 12)) / 100
                day.answered = Int(Double(day.calls) * rate)
                try await day.create(on: context.database)
            }
        }
        try await pool.review()
    }
}

extension DNCParseResult {
    /// Adds a whole number, as a file line would.
    mutating func add(_ phone: PhoneNumber) {
        let digits = phone.nationalDigits
        add(areaCode: Int(digits.prefix(3))!, subscriber: UInt32(digits.suffix(7))!)
    }

    mutating func add(areaCode: Int, subscriber: UInt32) {
        additions[areaCode, default: []].append(subscriber)
        linesRead += 1
    }
}
