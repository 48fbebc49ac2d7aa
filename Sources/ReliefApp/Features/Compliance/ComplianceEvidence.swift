import Fluent
import Foundation
import ReliefCore
import Vapor

/// Everything that shows how a lead was contacted and why it was allowed: consent records
/// (grants and withdrawals), recorded gate decisions with their reasons and rules version,
/// opt-outs of its phones and e-mail addresses, internal do-not-call entries of its phones,
/// flags with their reviews, and the lead's timeline. The printable page
/// (`/app/leads/{id}/evidence`) and the JSON (`GET /api/v1/leads/{id}/compliance-evidence`)
/// show the same document; every view of it is audited as a sensitive read.
struct ComplianceEvidence: Content {
    struct LeadFacts: Content {
        var id: UUID
        var name: String
        var status: String
        var phones: [String]
        var emails: [String]
        var state: String
        var zip: String
        var timeZone: String?
        var createdAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, status, phones, emails, state, zip
            case timeZone = "time_zone"
            case createdAt = "created_at"
        }
    }

    struct ConsentRecord: Content {
        var id: UUID
        var kind: String
        var granted: Bool
        /// The phone or e-mail covered; empty for all of the lead's.
        var contact: String
        var disclosureText: String
        var capturedAt: Date
        var source: String
        var sourceDetail: String
        var ip: String
        var userAgent: String
        var recordedBy: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, granted, contact, source, ip
            case disclosureText = "disclosure_text"
            case capturedAt = "captured_at"
            case sourceDetail = "source_detail"
            case userAgent = "user_agent"
            case recordedBy = "recorded_by"
        }
    }

    struct Reason: Content {
        var code: String
        var message: String
    }

    struct Obligation: Content {
        var code: String
        var message: String
        var seconds: Int?
    }

    struct Decision: Content {
        var id: UUID
        var decidedAt: Date
        var channel: String
        var purpose: String
        var method: String
        var contact: String
        var callerID: String?
        var verdict: String
        var reasons: [Reason]
        var obligations: [Obligation]
        var nextAllowedAt: Date?
        var timeZone: String?
        var localTime: String?
        var rulesVersion: String
        var actor: String

        enum CodingKeys: String, CodingKey {
            case id, channel, purpose, method, contact, verdict, reasons, obligations, actor
            case decidedAt = "decided_at"
            case callerID = "caller_id"
            case nextAllowedAt = "next_allowed_at"
            case timeZone = "time_zone"
            case localTime = "local_time"
            case rulesVersion = "rules_version"
        }
    }

    struct OptOut: Content {
        var id: UUID
        var channel: String
        var contact: String
        var source: String
        var detail: String
        var optedOutAt: Date
        var optedInAt: Date?
        var optedInDetail: String?

        enum CodingKeys: String, CodingKey {
            case id, channel, contact, source, detail
            case optedOutAt = "opted_out_at"
            case optedInAt = "opted_in_at"
            case optedInDetail = "opted_in_detail"
        }
    }

    struct InternalEntry: Content {
        var id: UUID
        var phone: String
        var reason: String
        var addedBy: String
        var addedAt: Date
        var removedAt: Date?
        var removedBy: String?
        var removalReason: String?

        enum CodingKeys: String, CodingKey {
            case id, phone, reason
            case addedBy = "added_by"
            case addedAt = "added_at"
            case removedAt = "removed_at"
            case removedBy = "removed_by"
            case removalReason = "removal_reason"
        }
    }

    struct Flag: Content {
        var id: UUID
        var kind: String
        var status: String
        var origin: String
        var evidence: String
        var raisedAt: Date
        var raisedBy: String
        var reviewedAt: Date?
        var reviewedBy: String?
        var reviewNote: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, status, origin, evidence
            case raisedAt = "raised_at"
            case raisedBy = "raised_by"
            case reviewedAt = "reviewed_at"
            case reviewedBy = "reviewed_by"
            case reviewNote = "review_note"
        }
    }

    struct TimelineEntry: Content {
        var id: UUID
        var kind: String
        var occurredAt: Date
        var actor: String
        var summary: String
        var body: String

        enum CodingKeys: String, CodingKey {
            case id, kind, actor, summary, body
            case occurredAt = "occurred_at"
        }
    }

    var lead: LeadFacts
    var generatedAt: Date
    var generatedBy: String
    /// The state rules data in use now (each decision carries the version that decided it).
    var currentRulesVersion: String
    var consents: [ConsentRecord]
    var decisions: [Decision]
    var optOuts: [OptOut]
    var internalDNC: [InternalEntry]
    var flags: [Flag]
    var timeline: [TimelineEntry]

    enum CodingKeys: String, CodingKey {
        case lead, consents, decisions, flags, timeline
        case generatedAt = "generated_at"
        case generatedBy = "generated_by"
        case currentRulesVersion = "current_rules_version"
        case optOuts = "opt_outs"
        case internalDNC = "internal_dnc"
    }

    /// Loads the evidence of `lead` (a lead the principal may see) and records the view in the
    /// audit log (`lead.evidence_viewed`, with the format).
    static func load(_ lead: Lead, format: String, on req: Request) async throws
        -> ComplianceEvidence
    {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let leadID = try lead.requireID()
        let database = req.db
        let phones = try await LeadPhoneRecord.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).all().map(\.e164)
        let emails = try await LeadEmailRecord.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).all().map(\.email)
        var allPhones = phones
        if let primary = lead.primaryPhone.flatMap({ try? PhoneNumber.parse($0) }) {
            let e164 = primary.e164
            if !allPhones.contains(e164) { allPhones.insert(e164, at: 0) }
        }
        var allEmails = emails
        if let primary = lead.primaryEmail, !allEmails.contains(primary) {
            allEmails.insert(primary, at: 0)
        }
        let names = try await LeadDirectoryNames.load(organizationID, on: database).users

        let consents = try await Consent.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).sort(\.$capturedAt).sort(\.$id).all()
        let decisions = try await ContactDecisionRecord.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).sort(\.$decidedAt).sort(\.$id).all()
        let contacts = allPhones + allEmails
        let optOuts = try await ContactOptOut.query(in: organizationID, on: database)
            .group(.or) { group in
                group.filter(\.$leadID == leadID)
                if !contacts.isEmpty { group.filter(\.$contact ~~ contacts) }
            }
            .sort(\.$optedOutAt).all()
        let internalEntries = try await InternalDNCEntry.query(in: organizationID, on: database)
            .group(.or) { group in
                group.filter(\.$leadID == leadID)
                if !allPhones.isEmpty { group.filter(\.$e164 ~~ allPhones) }
            }
            .sort(\.$addedAt).all()
        let flags = try await ComplianceFlag.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).sort(\.$raisedAt).all()
        let activities = try await Activity.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).sort(\.$occurredAt).sort(\.$id).all()

        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let evidence = ComplianceEvidence(
            lead: LeadFacts(
                id: leadID, name: lead.fullName, status: lead.status.rawValue, phones: allPhones,
                emails: allEmails, state: lead.state, zip: lead.zip, timeZone: lead.timeZone,
                createdAt: lead.createdAt),
            generatedAt: req.now, generatedBy: principal.user.name,
            currentRulesVersion: req.relief.compliance.gate.rules.version,
            consents: consents.map { consent in
                ConsentRecord(
                    id: consent.id!, kind: consent.kind.rawValue, granted: consent.granted,
                    contact: consent.contact, disclosureText: consent.disclosureText,
                    capturedAt: consent.capturedAt, source: consent.source.rawValue,
                    sourceDetail: consent.sourceDetail, ip: consent.ip,
                    userAgent: consent.userAgent,
                    recordedBy: consent.recordedBy.flatMap { names[$0] })
            },
            decisions: decisions.map { record in
                let reasons =
                    (try? decoder.decode([GateReason].self, from: Data(record.reasons.utf8))) ?? []
                let obligations =
                    (try? decoder.decode(
                        [GateObligation].self, from: Data(record.obligations.utf8))) ?? []
                return Decision(
                    id: record.id!, decidedAt: record.decidedAt, channel: record.channel.rawValue,
                    purpose: record.purpose.rawValue, method: record.method.rawValue,
                    contact: record.contact, callerID: record.callerID,
                    verdict: record.verdict.rawValue,
                    reasons: reasons.map { Reason(code: $0.code.rawValue, message: $0.message) },
                    obligations: obligations.map {
                        Obligation(code: $0.code.rawValue, message: $0.message, seconds: $0.seconds)
                    },
                    nextAllowedAt: record.nextAllowedAt, timeZone: record.timeZone,
                    localTime: record.localTime, rulesVersion: record.rulesVersion,
                    actor: record.actorLabel)
            },
            optOuts: optOuts.map { optOut in
                OptOut(
                    id: optOut.id!, channel: optOut.channel.rawValue, contact: optOut.contact,
                    source: optOut.source.rawValue, detail: optOut.detail,
                    optedOutAt: optOut.optedOutAt, optedInAt: optOut.optedInAt,
                    optedInDetail: optOut.optedInDetail)
            },
            internalDNC: internalEntries.map { entry in
                InternalEntry(
                    id: entry.id!, phone: entry.e164, reason: entry.reason,
                    addedBy: entry.addedByLabel, addedAt: entry.addedAt,
                    removedAt: entry.removedAt,
                    removedBy: entry.removedBy.map { names[$0] ?? "A former user" },
                    removalReason: entry.removalReason)
            },
            flags: flags.map { flag in
                Flag(
                    id: flag.id!, kind: flag.kind.rawValue, status: flag.status.rawValue,
                    origin: flag.origin.rawValue, evidence: flag.evidence,
                    raisedAt: flag.raisedAt, raisedBy: flag.raisedByLabel,
                    reviewedAt: flag.reviewedAt,
                    reviewedBy: flag.reviewedBy.map { names[$0] ?? "A former user" },
                    reviewNote: flag.reviewNote)
            },
            timeline: activities.map { activity in
                TimelineEntry(
                    id: activity.id!, kind: activity.kind.rawValue,
                    occurredAt: activity.occurredAt, actor: activity.actorLabel,
                    summary: activity.summary, body: activity.body)
            })
        try await req.audit(
            "lead.evidence_viewed", entityType: "lead", entityID: leadID.uuidString,
            changes: AuditDiff.details([
                "format": format, "decisions": String(decisions.count),
                "consents": String(consents.count),
            ]))
        return evidence
    }
}

/// `leads/evidence`: the evidence as a printable page.
struct EvidencePage: Encodable, Sendable {
    var page: PageContext
    var lead: ComplianceEvidence.LeadFacts
    var leadID: String
    var statusLabel: String
    var generatedAt: String
    var generatedBy: String
    var timeZone: String
    var rulesVersion: String
    var consents: [EvidenceConsentRow]
    var decisions: [DecisionRow]
    var optOuts: [OptOutRow]
    var internalDNC: [InternalDNCRow]
    var flags: [FlagRow]
    var timeline: [TimelineItem]

    init(_ evidence: ComplianceEvidence, page: PageContext, timeZone: String) {
        func when(_ date: Date?) -> String { DisplayDate.string(date, timeZone: timeZone) }
        self.page = page
        lead = evidence.lead
        leadID = evidence.lead.id.uuidString
        statusLabel = LeadStatus(rawValue: evidence.lead.status)?.label ?? evidence.lead.status
        generatedAt = when(evidence.generatedAt)
        generatedBy = evidence.generatedBy
        self.timeZone = timeZone
        rulesVersion = evidence.currentRulesVersion
        consents = evidence.consents.map { consent in
            EvidenceConsentRow(
                kind: ConsentKind(rawValue: consent.kind)?.label ?? consent.kind,
                granted: consent.granted,
                contact: consent.contact.isEmpty ? "All" : consent.contact,
                disclosure: consent.disclosureText, capturedAt: when(consent.capturedAt),
                source: ConsentSource(rawValue: consent.source)?.label ?? consent.source,
                sourceDetail: consent.sourceDetail, ip: consent.ip, userAgent: consent.userAgent,
                recordedBy: consent.recordedBy ?? "")
        }
        decisions = evidence.decisions.map { decision in
            DecisionRow(
                id: decision.id.uuidString, at: when(decision.decidedAt),
                iso: decision.decidedAt.formatted(.iso8601),
                channel: ContactChannel(rawValue: decision.channel)?.label ?? decision.channel,
                purpose: decision.purpose.capitalized, method: decision.method.capitalized,
                contact: decision.contact, verdict: decision.verdict,
                reasons: decision.reasons.map(\.message),
                reasonCodes: decision.reasons.map(\.code),
                nextAllowed: decision.nextAllowedAt.map(when) ?? "",
                localTime: decision.localTime ?? "", timeZone: decision.timeZone ?? "",
                rulesVersion: decision.rulesVersion, actor: decision.actor, leadID: "",
                leadName: "")
        }
        optOuts = evidence.optOuts.map { optOut in
            OptOutRow(
                channel: ContactChannel(rawValue: optOut.channel)?.label ?? optOut.channel,
                contact: optOut.contact,
                source: ContactOptOut.Source(rawValue: optOut.source)?.label ?? optOut.source,
                detail: optOut.detail, at: when(optOut.optedOutAt),
                optedInAt: optOut.optedInAt.map(when) ?? "", leadID: "", leadName: "")
        }
        internalDNC = evidence.internalDNC.map { entry in
            InternalDNCRow(
                id: entry.id.uuidString, phone: InternalDNCList.display(entry.phone),
                e164: entry.phone, reason: entry.reason, addedBy: entry.addedBy,
                addedAt: when(entry.addedAt), removedAt: entry.removedAt.map(when) ?? "",
                removedBy: entry.removedBy ?? "", removalReason: entry.removalReason ?? "",
                leadID: "", leadName: "")
        }
        flags = evidence.flags.map { flag in
            let kind = ComplianceFlag.Kind(rawValue: flag.kind)
            let status = ComplianceFlag.Status(rawValue: flag.status)
            return FlagRow(
                id: flag.id.uuidString, kind: flag.kind, kindLabel: kind?.label ?? flag.kind,
                status: flag.status, statusLabel: status?.label ?? flag.status,
                origin: flag.origin, evidence: flag.evidence, raisedAt: when(flag.raisedAt),
                raisedBy: flag.raisedBy, reviewedAt: flag.reviewedAt.map(when) ?? "",
                reviewedBy: flag.reviewedBy ?? "", reviewNote: flag.reviewNote ?? "", leadID: "",
                leadName: "", error: "", note: "")
        }
        timeline = evidence.timeline.map { entry in
            TimelineItem(
                kind: entry.kind, summary: entry.summary, actor: entry.actor,
                when: when(entry.occurredAt), iso: entry.occurredAt.formatted(.iso8601),
                reason: "", body: entry.body,
                tone: TimelineItem.tone(entry.summary, kind: entry.kind))
        }
    }
}

struct EvidenceConsentRow: Encodable, Sendable {
    var kind: String
    var granted: Bool
    var contact: String
    var disclosure: String
    var capturedAt: String
    var source: String
    var sourceDetail: String
    var ip: String
    var userAgent: String
    var recordedBy: String
}
