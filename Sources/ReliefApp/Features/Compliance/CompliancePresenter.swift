import Fluent
import Foundation
import ReliefCore

/// Turns compliance rows into what the pages show: lead names, people's names and dates in
/// the organization's time zone.
struct CompliancePresenter {
    let timeZone: String
    /// User id -> name (reviewers, removers).
    var users: [UUID: String] = [:]
    /// Lead id -> full name.
    var leads: [UUID: String] = [:]

    /// Loads the names of `leadIDs` (and every user of the organization).
    static func load(
        organizationID: UUID, timeZone: String, leadIDs: some Sequence<UUID>,
        on database: any Database
    ) async throws -> CompliancePresenter {
        var presenter = CompliancePresenter(timeZone: timeZone)
        for user in try await User.query(in: organizationID, on: database).all() {
            if let id = user.id { presenter.users[id] = user.name }
        }
        let ids = Array(Set(leadIDs))
        for chunk in ids.chunked(into: 500) where !chunk.isEmpty {
            for lead in try await Lead.query(in: organizationID, on: database)
                .filter(\.$id ~~ Array(chunk)).all()
            {
                if let id = lead.id { presenter.leads[id] = lead.fullName }
            }
        }
        return presenter
    }

    func when(_ date: Date?) -> String { DisplayDate.string(date, timeZone: timeZone) }

    func user(_ id: UUID?) -> String {
        guard let id else { return "" }
        return users[id] ?? "A former user"
    }

    func flag(_ flag: ComplianceFlag, error: String = "", note: String = "") -> FlagRow {
        FlagRow(
            id: flag.id?.uuidString ?? "", kind: flag.kind.rawValue, kindLabel: flag.kind.label,
            status: flag.status.rawValue, statusLabel: flag.status.label,
            origin: flag.origin.rawValue, evidence: flag.evidence, raisedAt: when(flag.raisedAt),
            raisedBy: flag.raisedByLabel,
            reviewedAt: flag.reviewedAt.map { when($0) } ?? "",
            reviewedBy: user(flag.reviewedBy), reviewNote: flag.reviewNote ?? "",
            leadID: flag.leadID.uuidString, leadName: leads[flag.leadID] ?? "Removed lead",
            error: error, note: note)
    }

    func decision(_ record: ContactDecisionRecord) -> DecisionRow {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let reasons =
            (try? decoder.decode([GateReason].self, from: Data(record.reasons.utf8))) ?? []
        let contact =
            record.channel.usesPhone ? InternalDNCList.display(record.contact) : record.contact
        return DecisionRow(
            id: record.id?.uuidString ?? "", at: when(record.decidedAt),
            iso: record.decidedAt.formatted(.iso8601), channel: record.channel.label,
            purpose: record.purpose.rawValue.capitalized,
            method: record.method.rawValue.capitalized, contact: contact,
            verdict: record.verdict.rawValue, reasons: reasons.map(\.message),
            reasonCodes: reasons.map { $0.code.label },
            nextAllowed: record.nextAllowedAt.map { when($0) } ?? "",
            localTime: record.localTime ?? "", timeZone: record.timeZone ?? "",
            rulesVersion: record.rulesVersion, actor: record.actorLabel,
            leadID: record.leadID?.uuidString ?? "",
            leadName: record.leadID.flatMap { leads[$0] } ?? "")
    }

    func optOut(_ optOut: ContactOptOut) -> OptOutRow {
        OptOutRow(
            channel: optOut.channel.label,
            contact: optOut.channel.usesPhone
                ? InternalDNCList.display(optOut.contact) : optOut.contact,
            source: optOut.source.label, detail: optOut.detail, at: when(optOut.optedOutAt),
            optedInAt: optOut.optedInAt.map { when($0) } ?? "",
            leadID: optOut.leadID?.uuidString ?? "",
            leadName: optOut.leadID.flatMap { leads[$0] } ?? "")
    }

    func internalEntry(_ entry: InternalDNCEntry) -> InternalDNCRow {
        InternalDNCRow(
            id: entry.id?.uuidString ?? "", phone: InternalDNCList.display(entry.e164),
            e164: entry.e164, reason: entry.reason, addedBy: entry.addedByLabel,
            addedAt: when(entry.addedAt), removedAt: entry.removedAt.map { when($0) } ?? "",
            removedBy: user(entry.removedBy), removalReason: entry.removalReason ?? "",
            leadID: entry.leadID?.uuidString ?? "",
            leadName: entry.leadID.flatMap { leads[$0] } ?? "")
    }
}

extension ContactOptOut.Source {
    var label: String {
        switch self {
        case .inboundMessage: "Inbound text"
        case .agent: "Agent"
        case .unsubscribeLink: "Unsubscribe link"
        case .api: "API"
        }
    }
}

extension CallerIDHealth {
    var label: String {
        switch self {
        case .healthy: "Healthy"
        case .resting: "Resting"
        case .flagged: "Flagged"
        }
    }
}

extension ComplianceFlag.Status {
    var label: String {
        switch self {
        case .pendingReview: "Awaiting review"
        case .confirmed: "Confirmed"
        case .cleared: "Cleared"
        }
    }
}
