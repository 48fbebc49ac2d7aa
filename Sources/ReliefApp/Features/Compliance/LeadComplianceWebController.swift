import Fluent
import Foundation
import ReliefCore
import Vapor

/// The lead page's compliance panel: what the gate would answer right now for a marketing
/// call, text and e-mail (not recorded), the open flags, and the forms to put the lead's number
/// on the internal do-not-call list or mark a flag by hand.
struct LeadCompliancePanel: Encodable, Sendable {
    struct Answer: Encodable, Sendable {
        var channel: String
        var verdict: String
        var verdictLabel: String
        var reasons: [String]
        var nextAllowed: String
        var localTime: String
        var obligations: [String]
    }

    struct PhoneChoice: Encodable, Sendable {
        var e164: String
        var label: String
        var onList: Bool
    }

    var answers: [Answer]
    var flags: [FlagRow]
    var phones: [PhoneChoice]
    var kinds: [SelectOption]
    var errors: FieldMessages
    var values: [String: String]
    var canWrite: Bool
    var canSeeEvidence: Bool

    /// The panel for `lead`, as the signed-in principal sees it.
    static func load(
        _ req: Request, lead: Lead, errors: FieldMessages = [:], values: [String: String] = [:]
    )
        async throws -> LeadCompliancePanel
    {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let leadID = try lead.requireID()
        let channels: [ContactChannel] = [.call, .sms, .email]
        let checks = channels.map { channel in
            GateCheck(
                subject: .lead(leadID),
                request: ContactGateRequest(
                    channel: channel, purpose: .marketing, method: .manual, at: req.now))
        }
        let results = try await ComplianceService(req: req).decide(checks, record: false)
        let answers = results.compactMap { result -> Answer? in
            guard let decision = result.decision else { return nil }
            let zone = decision.timeZone.flatMap(TimeZone.init(identifier:))
            return Answer(
                channel: "Marketing \(result.check.request.channel.label.lowercased())",
                verdict: decision.verdict.rawValue,
                verdictLabel: Self.verdictLabel(decision.verdict),
                reasons: decision.reasons.map(\.message),
                nextAllowed: decision.nextAllowedAt.map { Self.localTime($0, zone: zone) } ?? "",
                localTime: decision.localTime.flatMap { Self.parseLocal($0) }.map {
                    Self.localTime($0, zone: zone)
                } ?? "",
                obligations: decision.verdict == .allow ? decision.obligations.map(\.message) : [])
        }
        let flags = try await ComplianceFlag.query(in: organizationID, on: req.db)
            .filter(\.$leadID == leadID).filter(\.$status != .cleared).sort(\.$raisedAt).all()
        let presenter = try await CompliancePresenter.load(
            organizationID: organizationID, timeZone: principal.organization.timeZone,
            leadIDs: [leadID], on: req.db)
        let phones = try await LeadPhoneRecord.query(in: organizationID, on: req.db)
            .filter(\.$leadID == leadID).sort(\.$isPrimary, .descending).all()
        let listed = Set(
            try await InternalDNCEntry.query(in: organizationID, on: req.db)
                .filter(\.$removedAt == nil).filter(\.$e164 ~~ phones.map(\.e164)).all()
                .map(\.e164))
        return LeadCompliancePanel(
            answers: answers, flags: flags.map { presenter.flag($0) },
            phones: phones.map { phone in
                PhoneChoice(
                    e164: phone.e164,
                    label: InternalDNCList.display(phone.e164) + " (\(phone.type))",
                    onList: listed.contains(phone.e164))
            },
            kinds: ComplianceFlag.Kind.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
            },
            errors: errors, values: values, canWrite: principal.can(.leadsWrite),
            canSeeEvidence: principal.can(.complianceRead))
    }

    static func verdictLabel(_ verdict: GateVerdict) -> String {
        switch verdict {
        case .allow: "Allowed now"
        case .deny: "Not allowed"
        case .defer: "Not now"
        }
    }

    /// "Wed 9:00 AM EST" in the consumer's zone (or UTC when unknown).
    static func localTime(_ date: Date, zone: TimeZone?) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone ?? .gmt
        formatter.dateFormat = "EEE MMM d, h:mm a zzz"
        return formatter.string(from: date)
    }

    private static func parseLocal(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text)
    }
}

/// Routes of the lead page's compliance panel and the lead's evidence export.
struct LeadComplianceWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let leads = routes.grouped("leads")
        leads.post(":id", "internal-dnc", use: addToInternalList).access(.requires(.leadsWrite))
        leads.post(":id", "compliance-flags", use: markFlag).access(.requires(.leadsWrite))
        leads.get(":id", "evidence", use: evidencePage).access(.requires(.complianceRead))
        leads.get(":id", "evidence.json", use: evidenceJSON).access(.requires(.complianceRead))
    }

    struct InternalForm: Content {
        var phone: String?
        var reason: String?
    }

    func addToInternalList(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let leadID = try lead.requireID()
        let form = try req.content.decode(InternalForm.self)
        let values = ["dnc_phone": form.phone ?? "", "dnc_reason": form.reason ?? ""]
        do {
            let organizationID = try req.principal.organizationID
            let phones = try await LeadPhoneRecord.query(in: organizationID, on: req.db)
                .filter(\.$leadID == leadID).all().map(\.e164)
            let chosen = form.phone ?? phones.first ?? ""
            guard phones.contains(chosen) else {
                throw ValidationFailure(fields: ["dnc_phone": "Choose one of the lead's numbers."])
            }
            let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else {
                throw ValidationFailure(fields: [
                    "dnc_reason": "Say why: the consumer's words, or who asked."
                ])
            }
            let (entry, created) = try await InternalDNCList(req: req).add(
                phone: chosen, reason: reason, leadID: leadID)
            let phone = InternalDNCList.display(entry.e164)
            return req.redirectAfterPost(
                to: "/app/leads/\(leadID)",
                flash: created
                    ? (.success, "Added \(phone) to the internal do-not-call list.")
                    : (.info, "\(phone) is already on the internal do-not-call list."))
        } catch let failure as ValidationFailure {
            return try await LeadsWebController().renderLead(
                req, lead: lead,
                complianceErrors: failure.fields.mapKeys {
                    $0.hasPrefix("dnc_") ? $0 : "dnc_" + $0
                },
                complianceValues: values
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct FlagForm: Content {
        var kind: String?
        var note: String?
    }

    func markFlag(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let leadID = try lead.requireID()
        let form = try req.content.decode(FlagForm.self)
        let values = ["kind": form.kind ?? "", "flag_note": form.note ?? ""]
        do {
            var check = FieldCheck()
            let kind = form.kind.flatMap(ComplianceFlag.Kind.init(rawValue:))
            check.require(kind != nil, "kind", "Choose what to mark.")
            let note = (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            check.require(
                !note.isEmpty, "flag_note",
                "Say what you learned and from whom (e.g. the attorney's name).")
            try check.throwIfFailed()
            let flag = try await ComplianceFlags(req: req).mark(kind!, leadID: leadID, note: note)
            return req.redirectAfterPost(
                to: "/app/leads/\(leadID)",
                flash: (
                    .success,
                    "Marked \(flag.kind.label.lowercased()): contact is limited until compliance clears it."
                ))
        } catch let failure as ValidationFailure {
            return try await LeadsWebController().renderLead(
                req, lead: lead, complianceErrors: failure.fields, complianceValues: values
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func evidencePage(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let evidence = try await ComplianceEvidence.load(lead, format: "html", on: req)
        let zone = try req.principal.organization.timeZone
        return try await req.render(
            "leads/evidence",
            EvidencePage(
                evidence,
                page: req.pageContext(
                    title: "Compliance evidence: \(lead.fullName)", section: "leads"),
                timeZone: zone))
    }

    func evidenceJSON(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let evidence = try await ComplianceEvidence.load(lead, format: "json", on: req)
        let response = try await evidence.encodeResponse(for: req)
        response.headers.contentDisposition = .init(
            .attachment, filename: "evidence-\(try lead.requireID()).json")
        return response
    }
}

extension Dictionary where Key == String {
    /// The dictionary with every key transformed (later duplicates win).
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        var result: [String: Value] = [:]
        for (key, value) in self { result[transform(key)] = value }
        return result
    }
}
