import Fluent
import Foundation
import ReliefCore
import Vapor

/// Who changes compliance records, on which database: shared by the internal DNC list, the
/// flags and the inbound-message handling, from a request or a command.
struct ComplianceContext: Sendable {
    let database: any Database
    let actor: LeadActor
    let services: ReliefServices

    init(database: any Database, actor: LeadActor, services: ReliefServices) {
        self.database = database
        self.actor = actor
        self.services = services
    }

    init(req: Request) throws {
        self.init(database: req.db, actor: try req.leadActor, services: req.relief)
    }

    var organizationID: UUID { actor.organizationID }
    var now: Date { services.now() }

    func audit(
        _ action: String, entityType: String, entityID: UUID?,
        details: KeyValuePairs<String, String>, on database: (any Database)? = nil
    )
        async throws
    {
        try await services.audit.record(
            AuditEntry(
                organizationID: organizationID, actor: actor.audit, action: action,
                entityType: entityType, entityID: entityID?.uuidString,
                changes: AuditDiff.details(details), origin: actor.origin),
            on: database ?? self.database)
    }

    /// A timeline entry on the lead.
    func timeline(_ leadID: UUID, _ summary: String, body: String = "", on database: any Database)
        async throws
    {
        try await Activity(
            organizationID: organizationID, leadID: leadID, kind: .compliance, occurredAt: now,
            actorID: actor.userID, actorLabel: actor.label, summary: summary, body: body
        ).create(on: database)
    }

    /// The leads of the organization with this phone (E.164) among their numbers.
    func leads(withPhone e164: String, on database: (any Database)? = nil) async throws -> [UUID] {
        try await LeadPhoneRecord.query(in: organizationID, on: database ?? self.database)
            .filter(\.$e164 == e164).all().map(\.leadID)
    }
}

/// The organization's internal do-not-call list: agents add numbers; only a compliance user
/// removes one, and the entry stays with its removal recorded.
struct InternalDNCList {
    let context: ComplianceContext

    init(req: Request) throws { context = try ComplianceContext(req: req) }
    init(context: ComplianceContext) { self.context = context }

    func entries(includeRemoved: Bool) async throws -> [InternalDNCEntry] {
        var query = InternalDNCEntry.query(in: context.organizationID, on: context.database)
        if !includeRemoved { query = query.filter(\.$removedAt == nil) }
        return try await query.sort(\.$addedAt, .descending).all()
    }

    /// Adds the number (any format); an active entry is returned as it is (`created` false).
    func add(phone: String, reason: String, leadID: UUID?) async throws -> (InternalDNCEntry, Bool)
    {
        let e164 = try Self.e164(phone)
        let trimmedReason = String(
            reason.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        if let leadID {
            guard
                try await Lead.find(leadID, in: context.organizationID, on: context.database) != nil
            else { throw ValidationFailure(fields: ["lead_id": "No such lead."]) }
        }
        if let active = try await InternalDNCEntry.query(
            in: context.organizationID, on: context.database
        ).filter(\.$e164 == e164).filter(\.$removedAt == nil).first() {
            return (active, false)
        }
        let entry = InternalDNCEntry()
        entry.organizationID = context.organizationID
        entry.e164 = e164
        entry.reason = trimmedReason.isEmpty ? "Consumer asked not to be called" : trimmedReason
        entry.leadID = leadID
        entry.addedBy = context.actor.userID
        entry.addedByLabel = context.actor.label
        entry.addedAt = context.now
        try await context.database.transaction { database in
            try await entry.create(on: database)
            var leads = try await context.leads(withPhone: e164, on: database)
            if let leadID, !leads.contains(leadID) { leads.append(leadID) }
            for lead in leads {
                try await context.timeline(
                    lead, "Added \(Self.display(e164)) to the internal do-not-call list",
                    body: entry.reason, on: database)
            }
        }
        try await context.audit(
            "compliance.internal_dnc_added", entityType: "internal_dnc_number", entityID: entry.id,
            details: ["phone_last4": String(e164.suffix(4)), "reason": entry.reason])
        return (entry, true)
    }

    /// Removes the number's active entry (404 when none).
    func remove(phone: String, reason: String) async throws -> InternalDNCEntry {
        let e164 = try Self.e164(phone)
        guard
            let entry = try await InternalDNCEntry.query(
                in: context.organizationID, on: context.database
            ).filter(\.$e164 == e164).filter(\.$removedAt == nil).first()
        else {
            throw Abort(.notFound, reason: "\(Self.display(e164)) is not on the internal list.")
        }
        entry.removedAt = context.now
        entry.removedBy = context.actor.userID
        entry.removalReason = String(reason.prefix(500))
        try await context.database.transaction { database in
            try await entry.save(on: database)
            for lead in try await context.leads(withPhone: e164, on: database) {
                try await context.timeline(
                    lead, "Removed \(Self.display(e164)) from the internal do-not-call list",
                    body: reason, on: database)
            }
        }
        try await context.audit(
            "compliance.internal_dnc_removed", entityType: "internal_dnc_number",
            entityID: entry.id,
            details: ["phone_last4": String(e164.suffix(4)), "reason": reason])
        return entry
    }

    static func e164(_ phone: String) throws -> String {
        do {
            return try PhoneNumber.parse(phone).e164
        } catch {
            throw ValidationFailure(fields: [
                "phone": "'\(phone)' is not a valid phone number: \(error)."
            ])
        }
    }

    /// "(212) 555-0100" (``PhoneNumber/formatted``), or the text itself when it is no number.
    static func display(_ e164: String) -> String {
        (try? PhoneNumber.parse(e164))?.formatted ?? e164
    }
}

/// Flags that stop contact (bankruptcy, attorney, cease communication, deceased): raised by the
/// bankruptcy detector or by people, reviewed by compliance users.
struct ComplianceFlags {
    let context: ComplianceContext

    init(req: Request) throws { context = try ComplianceContext(req: req) }
    init(context: ComplianceContext) { self.context = context }

    /// Raises a bankruptcy flag for review when `text` mentions a filing and the lead has no
    /// open bankruptcy flag. Returns the new flag, if any.
    @discardableResult
    func scanForBankruptcy(_ text: String, leadID: UUID, on database: any Database) async throws
        -> ComplianceFlag?
    {
        guard Self.mightMentionBankruptcy(text) else { return nil }
        let mentions = BankruptcyMentionDetector.mentions(in: text).filter(\.kind.indicatesFiling)
        guard let first = mentions.first else { return nil }
        let open = try await ComplianceFlag.query(in: context.organizationID, on: database)
            .filter(\.$leadID == leadID).filter(\.$kind == .bankruptcy)
            .filter(\.$status != .cleared).first()
        guard open == nil else { return nil }
        let evidence = mentions.map { "“\($0.phrase)”" }.joined(separator: ", ")
        let flag = try await raise(
            .bankruptcy, leadID: leadID, origin: .detector, status: .pendingReview,
            evidence: "Mentioned \(evidence): " + String(Self.excerpt(text, around: first.range)),
            on: database)
        return flag
    }

    /// Sets a flag by hand (confirmed at once: a person decided it).
    func mark(_ kind: ComplianceFlag.Kind, leadID: UUID, note: String) async throws
        -> ComplianceFlag
    {
        guard try await Lead.find(leadID, in: context.organizationID, on: context.database) != nil
        else { throw Abort(.notFound, reason: "No such lead.") }
        return try await context.database.transaction { database in
            try await raise(
                kind, leadID: leadID, origin: .agent, status: .confirmed,
                evidence: note.isEmpty
                    ? "Marked by \(context.actor.label)" : String(note.prefix(2_000)),
                on: database)
        }
    }

    /// A compliance user's review: confirm keeps the flag, clear lifts it.
    func review(_ flagID: UUID, confirm: Bool, note: String) async throws -> ComplianceFlag {
        guard
            let flag = try await ComplianceFlag.find(
                flagID, in: context.organizationID, on: context.database)
        else { throw Abort(.notFound, reason: "No such flag.") }
        guard flag.status != .cleared else {
            throw ValidationFailure(fields: ["flag": "The flag was already cleared."])
        }
        flag.status = confirm ? .confirmed : .cleared
        flag.reviewedAt = context.now
        flag.reviewedBy = context.actor.userID
        flag.reviewNote = String(note.prefix(2_000))
        try await context.database.transaction { database in
            try await flag.save(on: database)
            try await context.timeline(
                flag.leadID,
                "\(flag.kind.label) flag \(confirm ? "confirmed" : "cleared") by \(context.actor.label)",
                body: note, on: database)
        }
        try await context.audit(
            confirm ? "compliance.flag_confirmed" : "compliance.flag_cleared",
            entityType: "compliance_flag", entityID: flag.id,
            details: ["kind": flag.kind.rawValue, "lead_id": flag.leadID.uuidString])
        return flag
    }

    private func raise(
        _ kind: ComplianceFlag.Kind, leadID: UUID, origin: ComplianceFlag.Origin,
        status: ComplianceFlag.Status, evidence: String, on database: any Database
    ) async throws -> ComplianceFlag {
        let flag = ComplianceFlag()
        flag.organizationID = context.organizationID
        flag.leadID = leadID
        flag.kind = kind
        flag.status = status
        flag.origin = origin
        flag.evidence = evidence
        flag.raisedAt = context.now
        flag.raisedBy = origin == .agent ? context.actor.userID : nil
        flag.raisedByLabel = origin == .detector ? "Bankruptcy detector" : context.actor.label
        try await flag.create(on: database)
        try await context.timeline(
            leadID,
            "\(kind.label) flag raised"
                + (status == .pendingReview ? " for compliance review" : "")
                + " (\(flag.raisedByLabel))",
            body: evidence, on: database)
        try await context.audit(
            "compliance.flag_raised", entityType: "compliance_flag", entityID: flag.id,
            details: [
                "kind": kind.rawValue, "origin": origin.rawValue, "lead_id": leadID.uuidString,
            ], on: database)
        return flag
    }

    /// A cheap first look before the detector: whether the text holds any word the detector
    /// starts from ("bankrupt…", "chap…", "ch" with a chapter number, "BK", "stay", "trustee",
    /// "wage earner"), so imports and notes without one skip it.
    static func mightMentionBankruptcy(_ text: String) -> Bool {
        let lower = text.lowercased()
        for word in ["bankrupt", "chap", "bk", "stay", "trustee", "wage earner"]
        where lower.contains(word) {
            return true
        }
        let bytes = Array(lower.utf8)
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "c"), bytes[index + 1] == UInt8(ascii: "h") {
                var next = index + 2
                while next < bytes.count,
                    bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: ".")
                {
                    next += 1
                }
                if next < bytes.count, (0x30...0x39).contains(bytes[next]) { return true }
            }
            index += 1
        }
        return false
    }

    /// Up to 80 characters either side of the match.
    static func excerpt(_ text: String, around range: Range<Int>) -> Substring {
        let characters = Array(text)
        let start = max(0, range.lowerBound - 80)
        let end = min(characters.count, range.upperBound + 80)
        return Substring(String(characters[start..<end]))
    }
}

/// What an inbound message did.
struct InboundMessageOutcome: Content {
    /// opt_out, opt_in, help or none.
    var intent: String
    var keyword: String?
    /// The one reply to send (the STOP confirmation or the HELP text), if any.
    var reply: String?
    var leadIDs: [UUID]
    var flagsRaised: Int

    enum CodingKeys: String, CodingKey {
        case intent, keyword, reply
        case leadIDs = "lead_ids"
        case flagsRaised = "flags_raised"
    }
}

/// Inbound texts: STOP-family keywords and plain requests opt the number out of texts at once
/// (with a consent withdrawal on every lead with the number), START/UNSTOP/YES opt back in,
/// HELP/INFO get the organization's help text, and any message is scanned for bankruptcy.
struct InboundMessages {
    let context: ComplianceContext

    init(req: Request) throws { context = try ComplianceContext(req: req) }
    init(context: ComplianceContext) { self.context = context }

    func receive(from: String, text: String) async throws -> InboundMessageOutcome {
        let e164 = try InternalDNCList.e164(from)
        let leads = try await context.leads(withPhone: e164)
        let organization = try await Organization.find(context.organizationID, on: context.database)
        let name =
            organization.map { $0.displayName.isEmpty ? $0.name : $0.displayName } ?? "Our program"
        let intent = InboundMessageClassifier.classify(text)
        let quoted = String(text.prefix(500))
        let outcome = try await context.database.transaction { database in
            var outcome = InboundMessageOutcome(intent: "none", leadIDs: leads, flagsRaised: 0)
            switch intent {
            case .optOut(let keyword):
                outcome.intent = "opt_out"
                outcome.keyword = keyword
                outcome.reply = InboundMessageClassifier.stopConfirmation(organizationName: name)
                let active = try await ContactOptOut.query(in: context.organizationID, on: database)
                    .filter(\.$contact == e164).filter(\.$channel == .sms)
                    .filter(\.$optedInAt == nil).first()
                if active == nil {
                    let optOut = ContactOptOut()
                    optOut.organizationID = context.organizationID
                    optOut.leadID = leads.first
                    optOut.channel = .sms
                    optOut.contact = e164
                    optOut.source = .inboundMessage
                    optOut.detail = quoted
                    optOut.optedOutAt = context.now
                    try await optOut.create(on: database)
                }
                for lead in leads {
                    try await consent(lead, granted: false, e164: e164, text: quoted, on: database)
                    try await context.timeline(
                        lead, "Opted out of texts (“\(keyword)”)", body: quoted, on: database)
                }
            case .optIn(let keyword):
                outcome.intent = "opt_in"
                outcome.keyword = keyword
                let active = try await ContactOptOut.query(in: context.organizationID, on: database)
                    .filter(\.$contact == e164).filter(\.$channel == .sms)
                    .filter(\.$optedInAt == nil).all()
                for optOut in active {
                    optOut.optedInAt = context.now
                    optOut.optedInDetail = quoted
                    try await optOut.save(on: database)
                }
                if !active.isEmpty {
                    outcome.reply =
                        "\(name): you are subscribed to our messages again. Reply STOP to opt out."
                    for lead in leads {
                        try await consent(
                            lead, granted: true, e164: e164, text: quoted, on: database)
                        try await context.timeline(
                            lead, "Opted back in to texts (“\(keyword)”)", body: quoted,
                            on: database)
                    }
                }
            case .help(let keyword):
                outcome.intent = "help"
                outcome.keyword = keyword
                let settings = try await ComplianceSettings.query(
                    in: context.organizationID, on: database
                ).first()
                let custom =
                    settings?.smsHelpText.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                outcome.reply =
                    custom.isEmpty
                    ? Self.defaultHelpText(
                        organizationName: name, customHost: organization?.customHost,
                        baseURL: context.services.config.baseURL)
                    : custom
            case .none:
                break
            }
            for lead in leads {
                let flags = ComplianceFlags(context: context)
                if try await flags.scanForBankruptcy(text, leadID: lead, on: database) != nil {
                    outcome.flagsRaised += 1
                }
            }
            return outcome
        }
        try await context.audit(
            "compliance.inbound_message", entityType: "contact_opt_out", entityID: nil,
            details: [
                "intent": outcome.intent, "phone_last4": String(e164.suffix(4)),
                "leads": String(leads.count),
            ])
        return outcome
    }

    /// The HELP reply when the organization wrote none: the CTIA items, with the organization's
    /// own address (its custom host, else the deployment's base URL) as the help contact.
    static func defaultHelpText(organizationName: String, customHost: String?, baseURL: String)
        -> String
    {
        InboundMessageClassifier.helpReply(
            organizationName: organizationName,
            helpContact: customHost.map { "https://\($0)" } ?? baseURL)
    }

    /// A consent record for the text channel: a withdrawal on STOP, a grant on START.
    private func consent(
        _ leadID: UUID, granted: Bool, e164: String, text: String, on database: any Database
    ) async throws {
        let row = Consent()
        row.organizationID = context.organizationID
        row.leadID = leadID
        row.kind = .smsMarketing
        row.granted = granted
        row.contact = e164
        row.disclosureText = "Inbound text: \(text)"
        row.capturedAt = context.now
        row.source = .inboundMessage
        row.sourceDetail = e164
        row.ip = ""
        row.userAgent = ""
        row.recordedBy = nil
        row.createdAt = context.now
        try await row.create(on: database)
    }
}

/// The organization's compliance settings: frequency caps and the SMS HELP reply.
struct ComplianceSettingsStore {
    let context: ComplianceContext

    init(req: Request) throws { context = try ComplianceContext(req: req) }

    /// Validates and stores the settings (caps 1...50 a day, help text at most 320 characters).
    func save(_ caps: OrgFrequencyCaps, helpText: String) async throws -> ComplianceSettings {
        var check = FieldCheck()
        let limits: [(String, Int?)] = [
            ("calls_per_24h", caps.callsPer24h), ("texts_per_24h", caps.textsPer24h),
            ("emails_per_24h", caps.emailsPer24h), ("voicemails_per_24h", caps.voicemailsPer24h),
        ]
        for (field, value) in limits {
            if let value, !(1...50).contains(value) {
                check.fail(field, "Between 1 and 50 a day, or empty for no cap.")
            }
        }
        let text = helpText.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > 320 { check.fail("sms_help_text", "At most 320 characters (two texts).") }
        try check.throwIfFailed()
        let settings =
            try await ComplianceSettings.query(in: context.organizationID, on: context.database)
            .first() ?? ComplianceSettings()
        settings.organizationID = context.organizationID
        settings.callsPer24h = caps.callsPer24h
        settings.textsPer24h = caps.textsPer24h
        settings.emailsPer24h = caps.emailsPer24h
        settings.voicemailsPer24h = caps.voicemailsPer24h
        settings.smsHelpText = text
        try await settings.save(on: context.database)
        try await context.audit(
            "compliance.settings_changed", entityType: "compliance_settings", entityID: settings.id,
            details: [
                "calls_per_24h": caps.callsPer24h.map(String.init) ?? "none",
                "texts_per_24h": caps.textsPer24h.map(String.init) ?? "none",
                "emails_per_24h": caps.emailsPer24h.map(String.init) ?? "none",
                "voicemails_per_24h": caps.voicemailsPer24h.map(String.init) ?? "none",
            ])
        return settings
    }
}
