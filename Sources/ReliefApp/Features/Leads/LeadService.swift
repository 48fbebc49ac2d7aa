import Fluent
import Foundation
import ReliefCore
import Vapor

/// Who is changing leads and from where: a signed-in user, an API key or an import run
/// started by a user. Every change made through ``LeadService`` is attributed to it in the
/// lead's timeline and the audit log.
struct LeadActor: Sendable {
    var organizationID: UUID
    var userID: UUID?
    var audit: AuditActor
    var origin: AuditOrigin

    /// The name the timeline shows.
    var label: String { audit.label }
}

extension Request {
    /// The signed-in principal as a lead actor.
    var leadActor: LeadActor {
        get throws {
            let principal = try principal
            return LeadActor(
                organizationID: principal.organizationID, userID: principal.userID,
                audit: principal.auditActor, origin: auditOrigin)
        }
    }

    /// Lead operations for the signed-in principal.
    var leads: LeadService {
        get throws { LeadService(services: relief, database: db, actor: try leadActor) }
    }
}

/// Tag spelling: trimmed, lower case, inner spaces as single dashes, at most 40 characters.
enum LeadTags {
    static func normalize(_ tag: String) -> String {
        String(
            tag.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
                .split(whereSeparator: \.isWhitespace).joined(separator: "-").prefix(40))
    }
}

/// A consent captured together with a lead (web form, import, agent, API).
struct ConsentCapture: Sendable {
    var kind: ConsentKind
    var granted: Bool = true
    var contact: String = ""
    var disclosureText: String
    var capturedAt: Date
    var source: ConsentSource
    var sourceDetail: String
    var ip: String = ""
    var userAgent: String = ""
}

/// Creating and changing leads, shared by the web pages, the API, the importer and the demo
/// seeder: validation beyond the draft (ZIP exists, owner and team belong to the org),
/// normalization, sealing of SSN and date of birth, time zones, contacts, tags, consents, the
/// timeline and the audit trail.
struct LeadService: Sendable {
    let services: ReliefServices
    let database: any Database
    let actor: LeadActor

    var organizationID: UUID { actor.organizationID }

    /// The compliance flags (the bankruptcy detector reads every note and intake text).
    var complianceFlags: ComplianceFlags {
        ComplianceFlags(
            context: ComplianceContext(database: database, actor: actor, services: services))
    }

    /// Everything about ownership and origin that is not in the draft.
    struct Placement: Sendable {
        var ownerID: UUID?
        var teamID: UUID?
        var assignmentRule: String?
        /// Let the organization's assignment rules choose the owner when none is given.
        var useRules = false
        var consents: [ConsentCapture] = []
        /// The first timeline entry's text ("Created by Alicia", "Imported from leads.csv").
        var origin: String?
        /// Custom field values by key (checked against the organization's definitions).
        var customFields: [String: String] = [:]
    }

    // MARK: - create and update

    /// Creates a lead from a validated draft. Throws ``ValidationFailure`` naming every field
    /// that is wrong (unknown ZIP, owner outside the org, ...), writing nothing.
    @discardableResult
    func create(_ draft: LeadDraft, placement: Placement = Placement()) async throws -> Lead {
        let now = services.now()
        let lead = Lead(organizationID: organizationID, now: now)
        try await checkPlacement(placement)
        try apply(draft, to: lead, isNew: true, now: now)
        lead.customFields = CustomFieldValues.encode(
            try await checkedCustomFields(placement.customFields, current: [:]))
        lead.ownerID = placement.ownerID
        lead.teamID = placement.teamID
        lead.assignmentRule = placement.assignmentRule
        lead.sourceID = try await sourceID(named: draft.source)
        if placement.useRules && placement.ownerID == nil && placement.teamID == nil {
            let decision = try await assigner.decide([
                LeadAssigner.facts(of: lead, source: draft.source)
            ])[0]
            apply(decision, to: lead)
        }
        try await database.transaction { database in
            try await lead.create(on: database)
            let leadID = try lead.requireID()
            try await writeContacts(draft, leadID: leadID, replacing: false, on: database)
            try await writeTags(draft.tags, leadID: leadID, on: database)
            try await Activity(
                organizationID: organizationID, leadID: leadID, kind: .created, occurredAt: now,
                actorID: actor.userID, actorLabel: actor.label,
                summary: placement.origin ?? "Lead created by \(actor.label)",
                body: draft.notes ?? ""
            ).create(on: database)
            if lead.ownerID != nil || lead.teamID != nil {
                try await assignmentActivity(
                    lead, rule: lead.assignmentRule, now: now, on: database)
            }
            for consent in placement.consents {
                try await record(consent, leadID: leadID, now: now, on: database)
            }
            let statedText = [draft.notes ?? "", draft.hardship ?? ""].joined(separator: "\n")
            try await complianceFlags.scanForBankruptcy(statedText, leadID: leadID, on: database)
        }
        try await services.audit.record(
            auditEntry(
                "lead.created", lead,
                changes: AuditDiff.between(
                    [:], snapshot(lead, draft: draft).filter { !$0.value.isEmpty }
                ).json),
            on: database)
        return lead
    }

    /// Replaces the lead's contact details and profile with `draft` (the caller merged what
    /// did not change) and sets the custom field values in `customFields` (an empty value
    /// clears one). The timeline and audit log get the changed fields; SSN and date of birth
    /// appear as "changed", never with their values.
    func update(_ lead: Lead, with draft: LeadDraft, customFields: [String: String] = [:])
        async throws
    {
        let now = services.now()
        let before = try await currentSnapshot(lead)
        let values = try await checkedCustomFields(
            customFields, current: CustomFieldValues.decode(lead.customFields))
        try apply(draft, to: lead, isNew: false, now: now)
        lead.customFields = CustomFieldValues.encode(values)
        lead.sourceID = try await sourceID(named: draft.source)
        var after = snapshot(lead, draft: draft)
        // A cleared custom field leaves the snapshot; record it as emptied.
        for key in before.keys where after[key] == nil { after[key] = "" }
        let diff = AuditDiff.between(before, after)
        guard !diff.isEmpty else { return }
        lead.updatedAt = now
        try await database.transaction { database in
            try await lead.save(on: database)
            let leadID = try lead.requireID()
            try await writeContacts(draft, leadID: leadID, replacing: true, on: database)
            try await LeadTag.query(in: organizationID, on: database).filter(\.$leadID == leadID)
                .delete()
            try await writeTags(draft.tags, leadID: leadID, on: database)
            try await Activity(
                organizationID: organizationID, leadID: leadID, kind: .updated, occurredAt: now,
                actorID: actor.userID, actorLabel: actor.label,
                summary: "Changed " + diff.fieldNames.joined(separator: ", "),
                data: diff.json
            ).create(on: database)
        }
        try await services.audit.record(
            auditEntry("lead.updated", lead, changes: diff.json), on: database)
    }

    /// Moves the lead along the pipeline under ``PipelineRules``; the change, its reason and
    /// who made it go to the timeline.
    func changeStatus(_ lead: Lead, to status: LeadStatus, reason: String?) async throws {
        let leadID = try lead.requireID()
        let enrolled = try await Debt.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).filter(\.$isEnrolled == true).count()
        let problems = PipelineRules.problems(
            from: lead.status, to: status,
            facts: TransitionFacts(reason: reason, enrolledDebtCount: enrolled))
        if !problems.isEmpty {
            throw ValidationFailure(
                fields: Dictionary(problems.map { ($0.field, $0.message) }) { first, _ in first })
        }
        let now = services.now()
        let from = lead.status
        let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        lead.status = status
        lead.statusChangedAt = now
        lead.updatedAt = now
        try await database.transaction { database in
            try await lead.save(on: database)
            let activity = Activity(
                organizationID: organizationID, leadID: leadID, kind: .statusChange,
                occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
                summary: "\(from.label) → \(status.label)")
            activity.fromStatus = from.rawValue
            activity.toStatus = status.rawValue
            activity.reason = (trimmedReason ?? "").isEmpty ? nil : trimmedReason
            try await activity.create(on: database)
        }
        var diff = AuditDiff()
        diff.field("status", from: from.rawValue, to: status.rawValue)
        if let trimmedReason, !trimmedReason.isEmpty {
            diff.field("reason", from: nil, to: trimmedReason)
        }
        try await services.audit.record(
            auditEntry("lead.status_changed", lead, changes: diff.json), on: database)
    }

    /// Adds a note to the timeline.
    @discardableResult
    func addNote(_ lead: Lead, body: String) async throws -> Activity {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        var check = FieldCheck()
        check.require(!text.isEmpty, "body", "Write the note first.")
        check.require(text.count <= 10_000, "body", "Keep a note under 10,000 characters.")
        try check.throwIfFailed()
        let now = services.now()
        let note = Activity(
            organizationID: organizationID, leadID: try lead.requireID(), kind: .note,
            occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
            summary: String(text.prefix(120)), body: text)
        try await note.create(on: database)
        try await complianceFlags.scanForBankruptcy(
            text, leadID: try lead.requireID(), on: database)
        try await services.audit.record(
            auditEntry(
                "lead.note_added", lead,
                changes: AuditDiff.details(["note_id": note.id?.uuidString ?? ""])),
            on: database)
        return note
    }

    /// Adds one tag to the lead, with a timeline entry and an audit entry like an edit of the
    /// tags field; false (and nothing written) when the lead already has the tag.
    @discardableResult
    func addTag(_ lead: Lead, _ tag: String) async throws -> Bool {
        let normalized = LeadTags.normalize(tag)
        var check = FieldCheck()
        check.require(!normalized.isEmpty, "tag", "Enter a tag.")
        try check.throwIfFailed()
        let leadID = try lead.requireID()
        let current = try await LeadTag.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).all(\.$tag)
        guard !current.contains(normalized) else { return false }
        var diff = AuditDiff()
        diff.field(
            "tags", from: current.sorted().joined(separator: ", "),
            to: (current + [normalized]).sorted().joined(separator: ", "))
        let changes = diff.json
        let now = services.now()
        lead.updatedAt = now
        try await database.transaction { database in
            try await LeadTag(organizationID: organizationID, leadID: leadID, tag: normalized)
                .create(on: database)
            try await lead.save(on: database)
            try await Activity(
                organizationID: organizationID, leadID: leadID, kind: .updated, occurredAt: now,
                actorID: actor.userID, actorLabel: actor.label, summary: "Tagged \(normalized)",
                data: changes
            ).create(on: database)
        }
        try await services.audit.record(
            auditEntry("lead.updated", lead, changes: changes), on: database)
        return true
    }

    /// Gives the lead to `ownerID` (and `teamID`), recording which rule decided it.
    func assign(_ lead: Lead, ownerID: UUID?, teamID: UUID?, rule: String?) async throws {
        try await checkPlacement(Placement(ownerID: ownerID, teamID: teamID))
        guard lead.ownerID != ownerID || lead.teamID != teamID else { return }
        var diff = AuditDiff()
        diff.field("owner_id", from: lead.ownerID?.uuidString, to: ownerID?.uuidString)
        diff.field("team_id", from: lead.teamID?.uuidString, to: teamID?.uuidString)
        let now = services.now()
        lead.ownerID = ownerID
        lead.teamID = teamID
        lead.assignmentRule = rule
        lead.updatedAt = now
        try await database.transaction { database in
            try await lead.save(on: database)
            try await assignmentActivity(lead, rule: rule, now: now, on: database)
        }
        try await services.audit.record(
            auditEntry("lead.assigned", lead, changes: diff.json), on: database)
    }

    /// Runs the assignment rules on leads that exist (on demand, for a selection) and records
    /// each outcome; leads the rules leave unassigned keep their owner.
    @discardableResult
    func assignByRules(_ leads: [Lead]) async throws -> [AssignmentDecision] {
        let details = try await LeadDetails.load(
            leads, organizationID: organizationID, on: database)
        let decisions = try await assigner.decide(
            leads.map {
                LeadAssigner.facts(of: $0, source: $0.sourceID.flatMap { details.sources[$0] })
            })
        for (lead, decision) in zip(leads, decisions) where decision.ownerID != nil {
            try await assign(
                lead, ownerID: decision.ownerID.flatMap(UUID.init(uuidString:)),
                teamID: decision.teamID.flatMap(UUID.init(uuidString:)) ?? lead.teamID,
                rule: decision.ruleName ?? "fallback owner")
        }
        return decisions
    }

    var assigner: LeadAssigner {
        LeadAssigner(organizationID: organizationID, database: database, locks: services.locks)
    }

    /// Sets owner, team and the rule that decided from an assignment decision.
    func apply(_ decision: AssignmentDecision, to lead: some LeadFields) {
        lead.ownerID = decision.ownerID.flatMap(UUID.init(uuidString:))
        lead.teamID = decision.teamID.flatMap(UUID.init(uuidString:))
        if lead.ownerID != nil {
            lead.assignmentRule = decision.ruleName ?? "fallback owner"
        }
    }

    /// Soft-deletes the lead (kept for record keeping, hidden everywhere).
    func delete(_ lead: Lead) async throws {
        try await lead.delete(on: database)
        try await services.audit.record(
            auditEntry("lead.deleted", lead, changes: AuditDiff.details(["name": lead.fullName])),
            on: database)
    }

    // MARK: - debts

    /// What a debt form or API body sets.
    struct DebtInput: Sendable {
        var creditor: String?
        var accountType: String?
        var accountLast4: String?
        var balanceCents: Int64?
        var monthlyPaymentCents: Int64??
        var monthsDelinquent: Int??
        var isSecured: Bool?
        var isEnrolled: Bool?
    }

    /// Creates or changes a debt and keeps the lead's enrolled total.
    func saveDebt(_ debt: Debt, _ input: DebtInput, lead: Lead) async throws {
        let isNew = debt.id == nil
        let before = isNew ? [:] : Self.snapshot(debt)
        var check = FieldCheck()
        if let creditor = input.creditor?.trimmingCharacters(in: .whitespaces) {
            check.require(
                !creditor.isEmpty && creditor.count <= 120, "creditor",
                "Enter the creditor (up to 120 characters).")
            debt.creditor = creditor
        } else if isNew {
            check.fail("creditor", "Enter the creditor.")
        }
        if let type = input.accountType {
            if let accountType = DebtAccountType(rawValue: type) {
                if debt.accountType != accountType.rawValue || isNew {
                    debt.isSecured = input.isSecured ?? accountType.isSecuredByDefault
                }
                debt.accountType = accountType.rawValue
            } else {
                check.fail(
                    "account_type",
                    "Choose one of: "
                        + DebtAccountType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
        }
        if let last4 = input.accountLast4 {
            let digits = last4.filter(\.isNumber)
            check.require(
                digits.isEmpty || digits.count == 4, "account_last4",
                "Enter the last four digits of the account number.")
            debt.accountLast4 = digits
        }
        if let balance = input.balanceCents {
            check.require(balance >= 0, "balance_cents", "The balance must not be negative.")
            check.require(
                balance <= 100_000_000_00, "balance_cents", "The balance looks too large.")
            debt.balanceCents = balance
        } else if isNew {
            check.fail("balance_cents", "Enter the balance.")
        }
        if let payment = input.monthlyPaymentCents {
            check.require(
                (payment ?? 0) >= 0, "monthly_payment_cents",
                "The monthly payment must not be negative.")
            debt.monthlyPaymentCents = payment
        }
        if let months = input.monthsDelinquent {
            check.require(
                (0...240).contains(months ?? 0), "months_delinquent",
                "Months delinquent must be between 0 and 240.")
            debt.monthsDelinquent = months
        }
        if let secured = input.isSecured { debt.isSecured = secured }
        if let enrolled = input.isEnrolled { debt.isEnrolled = enrolled }
        if debt.isEnrolled && debt.isSecured {
            check.fail("is_enrolled", "Secured debts cannot be enrolled in a settlement program.")
        }
        try check.throwIfFailed()
        let after = Self.snapshot(debt)
        let diff = AuditDiff.between(before, after)
        let now = services.now()
        try await database.transaction { database in
            try await debt.save(on: database)
            try await refreshEnrolledTotal(lead, on: database)
            try await Activity(
                organizationID: organizationID, leadID: try lead.requireID(), kind: .debt,
                occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
                summary: (isNew ? "Added debt " : "Changed debt ") + debt.creditor,
                data: diff.isEmpty ? "{}" : diff.json
            ).create(on: database)
        }
        try await services.audit.record(
            AuditEntry(
                organizationID: organizationID, actor: actor.audit,
                action: isNew ? "debt.created" : "debt.updated", entityType: "debt",
                entityID: debt.id?.uuidString, changes: diff.json, origin: actor.origin),
            on: database)
    }

    /// Removes a debt and keeps the lead's enrolled total.
    func deleteDebt(_ debt: Debt, lead: Lead) async throws {
        let now = services.now()
        try await database.transaction { database in
            try await debt.delete(on: database)
            try await refreshEnrolledTotal(lead, on: database)
            try await Activity(
                organizationID: organizationID, leadID: try lead.requireID(), kind: .debt,
                occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
                summary: "Removed debt \(debt.creditor)"
            ).create(on: database)
        }
        try await services.audit.record(
            AuditEntry(
                organizationID: organizationID, actor: actor.audit, action: "debt.deleted",
                entityType: "debt", entityID: debt.id?.uuidString,
                changes: AuditDiff.details(["creditor": debt.creditor]), origin: actor.origin),
            on: database)
    }

    func refreshEnrolledTotal(_ lead: Lead, on database: any Database) async throws {
        let total =
            try await Debt.query(in: organizationID, on: database)
            .filter(\.$leadID == lead.requireID()).filter(\.$isEnrolled == true)
            .sumOfCents(\.$balanceCents)
        lead.enrolledDebtCents = total
        lead.updatedAt = services.now()
        try await lead.save(on: database)
    }

    static func snapshot(_ debt: Debt) -> [String: String] {
        [
            "creditor": debt.creditor, "account_type": debt.accountType,
            "account_last4": debt.accountLast4, "balance_cents": String(debt.balanceCents),
            "monthly_payment_cents": debt.monthlyPaymentCents.map { String($0) } ?? "",
            "months_delinquent": debt.monthsDelinquent.map { String($0) } ?? "",
            "is_secured": String(debt.isSecured), "is_enrolled": String(debt.isEnrolled),
        ]
    }

    // MARK: - consent

    /// Appends a consent record (never updates one) and notes it in the timeline.
    func recordConsent(_ consent: ConsentCapture, for lead: Lead) async throws {
        let now = services.now()
        try await database.transaction { database in
            try await record(consent, leadID: try lead.requireID(), now: now, on: database)
        }
        try await services.audit.record(
            auditEntry(
                consent.granted ? "consent.granted" : "consent.withdrawn", lead,
                changes: AuditDiff.details([
                    "kind": consent.kind.rawValue, "source": consent.source.rawValue,
                ])),
            on: database)
    }

    private func record(
        _ consent: ConsentCapture, leadID: UUID, now: Date, on database: any Database
    ) async throws {
        let row = Consent()
        row.organizationID = organizationID
        row.leadID = leadID
        row.kind = consent.kind
        row.granted = consent.granted
        row.contact = consent.contact
        row.disclosureText = consent.disclosureText
        row.capturedAt = consent.capturedAt
        row.source = consent.source
        row.sourceDetail = consent.sourceDetail
        row.ip = consent.ip
        row.userAgent = consent.userAgent
        row.recordedBy = actor.userID
        row.createdAt = now
        try await row.create(on: database)
        try await Activity(
            organizationID: organizationID, leadID: leadID, kind: .consent, occurredAt: now,
            actorID: actor.userID, actorLabel: actor.label,
            summary: (consent.granted ? "Consent given: " : "Consent withdrawn: ")
                + consent.kind.label,
            body: consent.disclosureText
        ).create(on: database)
    }

    // MARK: - duplicates

    /// Leads of the organization that share a normalized phone or e-mail with `draft`.
    func duplicates(of draft: LeadDraft, excluding leadID: UUID? = nil) async throws -> [Lead] {
        let phones = draft.phones.map(\.number.e164)
        var ids = Set<UUID>()
        if !phones.isEmpty {
            ids.formUnion(
                try await LeadPhoneRecord.query(in: organizationID, on: database)
                    .filter(\.$e164 ~~ phones).all(\.$leadID))
        }
        if !draft.emails.isEmpty {
            ids.formUnion(
                try await LeadEmailRecord.query(in: organizationID, on: database)
                    .filter(\.$email ~~ draft.emails).all(\.$leadID))
        }
        if let leadID { ids.remove(leadID) }
        guard !ids.isEmpty else { return [] }
        return try await Lead.query(in: organizationID, on: database).filter(\.$id ~~ Array(ids))
            .sort(\.$createdAt).all()
    }

    // MARK: - internals

    private func checkPlacement(_ placement: Placement) async throws {
        var check = FieldCheck()
        if let ownerID = placement.ownerID {
            let owner = try await User.find(ownerID, in: organizationID, on: database)
            check.require(
                owner?.isActive == true, "owner_id",
                "The owner must be an active user of this organization.")
        }
        if let teamID = placement.teamID {
            let team = try await Team.find(teamID, in: organizationID, on: database)
            check.require(team != nil, "team_id", "The team must belong to this organization.")
        }
        try check.throwIfFailed()
    }

    /// Copies the draft onto the lead, checking what only the app can check (the ZIP exists).
    func apply(_ draft: LeadDraft, to lead: some LeadFields, isNew: Bool, now: Date) throws {
        var check = FieldCheck()
        let geo = services.geo
        if let zip = draft.zip, !zip.isEmpty {
            if let entry = geo.zips.entry(zip) {
                if draft.state == nil || draft.state?.isEmpty == true {
                    lead.state = entry.state
                }
                if draft.city?.isEmpty ?? true { lead.city = entry.city }
            } else {
                check.fail("zip", "ZIP \(zip) does not exist.")
            }
        }
        try check.throwIfFailed()
        lead.firstName = draft.firstName ?? ""
        lead.middleName = draft.middleName ?? ""
        lead.lastName = draft.lastName ?? ""
        lead.firstNameKey = Lead.nameKey(lead.firstName)
        lead.lastNameKey = Lead.nameKey(lead.lastName)
        lead.primaryEmail = draft.emails.first
        lead.primaryPhone = draft.phones.first?.number.e164
        lead.address = draft.address ?? ""
        lead.address2 = draft.address2 ?? ""
        if let city = draft.city, !city.isEmpty { lead.city = city }
        if let state = draft.state, !state.isEmpty { lead.state = state }
        if draft.zip == nil || draft.zip?.isEmpty == true, draft.state == nil {
            lead.state = ""
        }
        lead.zip = draft.zip ?? ""
        let zones = geo.timeZones(
            zip: draft.zip, areaCode: draft.phones.first?.number.areaCode)
        lead.timeZone = zones.primary
        lead.zipTimeZone = zones.zipTimeZone
        lead.phoneTimeZones = zones.phoneTimeZones.joined(separator: " ")
        lead.language = draft.language ?? "en"
        if let dateOfBirth = draft.dateOfBirth {
            lead.dateOfBirth = try services.cipher.seal(
                dateOfBirth.description, context: "leads.date_of_birth")
        } else {
            lead.dateOfBirth = nil
        }
        if let ssn = draft.ssn {
            lead.ssn = try services.cipher.seal(ssn.digits, context: "leads.ssn")
            lead.ssnLast4 = ssn.last4
            let index = services.blindIndex.compute(ssn.digits, kind: .ssn)
            lead.ssnIndex = index?.value
            lead.ssnIndexKeyID = index?.keyID
        } else {
            lead.ssn = nil
            lead.ssnLast4 = nil
            lead.ssnIndex = nil
            lead.ssnIndexKeyID = nil
        }
        lead.statedUnsecuredDebtCents = draft.totalUnsecuredDebtCents
        lead.monthlyIncomeCents = draft.monthlyIncomeCents
        lead.employment = draft.employment ?? ""
        lead.hardshipNotes = draft.hardship ?? ""
        lead.externalID = draft.externalID
        let touch = MarketingTouch(
            source: draft.utmSource, medium: draft.utmMedium, campaign: draft.utmCampaign,
            at: now.formatted(.iso8601))
        if !touch.isEmpty {
            let json = String(decoding: try JSONEncoder().encode(touch), as: UTF8.self)
            if isNew || lead.firstTouch == "{}" { lead.firstTouch = json }
            lead.lastTouch = json
        }
    }

    func writeContacts(
        _ draft: LeadDraft, leadID: UUID, replacing: Bool, on database: any Database
    ) async throws {
        if replacing {
            try await LeadPhoneRecord.query(in: organizationID, on: database)
                .filter(\.$leadID == leadID).delete()
            try await LeadEmailRecord.query(in: organizationID, on: database)
                .filter(\.$leadID == leadID).delete()
        }
        for (index, phone) in draft.phones.enumerated() {
            try await LeadPhoneRecord(
                organizationID: organizationID, leadID: leadID, e164: phone.number.e164,
                type: phone.type, isPrimary: index == 0
            ).create(on: database)
        }
        for (index, email) in draft.emails.enumerated() {
            try await LeadEmailRecord(
                organizationID: organizationID, leadID: leadID, email: email,
                isPrimary: index == 0
            ).create(on: database)
        }
    }

    func writeTags(_ tags: [String], leadID: UUID, on database: any Database)
        async throws
    {
        var seen = Set<String>()
        for tag in tags.map(LeadTags.normalize) where !tag.isEmpty && seen.insert(tag).inserted {
            try await LeadTag(organizationID: organizationID, leadID: leadID, tag: tag)
                .create(on: database)
        }
    }

    private func assignmentActivity(
        _ lead: Lead, rule: String?, now: Date, on database: any Database
    ) async throws {
        var owner = "nobody"
        if let ownerID = lead.ownerID,
            let user = try await User.find(ownerID, in: organizationID, on: database)
        {
            owner = user.name
        }
        try await Activity(
            organizationID: organizationID, leadID: try lead.requireID(), kind: .assignment,
            occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
            summary: "Assigned to \(owner)" + (rule.map { " by rule \($0)" } ?? ""),
            data: AuditDiff.details([
                "owner_id": lead.ownerID?.uuidString ?? "",
                "team_id": lead.teamID?.uuidString ?? "",
                "rule": rule ?? "",
            ])
        ).create(on: database)
    }

    /// The source row for a source name, created on first use.
    func sourceID(named name: String?) async throws -> UUID? {
        guard let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            return nil
        }
        let key = LeadSource.key(name)
        if let existing = try await LeadSource.query(in: organizationID, on: database)
            .filter(\.$nameKey == key).first()
        {
            return existing.id
        }
        let source = LeadSource(organizationID: organizationID, name: String(name.prefix(80)))
        do {
            try await source.create(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Created meanwhile by a concurrent request or import.
            return try await LeadSource.query(in: organizationID, on: database)
                .filter(\.$nameKey == key).first()?.id
        }
        return source.id
    }

    func auditEntry(_ action: String, _ lead: Lead, changes: String) -> AuditEntry {
        AuditEntry(
            organizationID: organizationID, actor: actor.audit, action: action,
            entityType: "lead", entityID: lead.id?.uuidString, changes: changes,
            origin: actor.origin)
    }

    /// The audited view of a lead: sensitive values appear as "set" / "", never in clear;
    /// custom field values appear as `custom_fields.<key>`.
    func snapshot(_ lead: Lead, draft: LeadDraft) -> [String: String] {
        var values: [String: String] = [
            "first_name": lead.firstName, "middle_name": lead.middleName,
            "last_name": lead.lastName,
            "emails": draft.emails.joined(separator: ", "),
            "phones": draft.phones.map { "\($0.number.e164) (\($0.type.rawValue))" }
                .joined(separator: ", "),
            "address": lead.address, "address_2": lead.address2, "city": lead.city,
            "state": lead.state, "zip": lead.zip, "language": lead.language,
            "date_of_birth": lead.dateOfBirth == nil ? "" : "set",
            "ssn": lead.ssnLast4.map { "***-**-\($0)" } ?? "",
            "stated_unsecured_debt_cents": lead.statedUnsecuredDebtCents.map { String($0) } ?? "",
            "monthly_income_cents": lead.monthlyIncomeCents.map { String($0) } ?? "",
            "employment": lead.employment, "hardship_notes": lead.hardshipNotes,
            "source": draft.source ?? "",
            "tags": draft.tags.map(LeadTags.normalize).sorted()
                .joined(separator: ", "),
            "external_id": lead.externalID ?? "",
        ]
        for (key, value) in CustomFieldValues.decode(lead.customFields) {
            values["custom_fields.\(key)"] = value
        }
        return values
    }

    func currentSnapshot(_ lead: Lead) async throws -> [String: String] {
        let draft = try await LeadDrafts.current(of: lead, service: self)
        return snapshot(lead, draft: draft)
    }
}
