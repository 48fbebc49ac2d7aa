import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// Who or what a gate check is about: a stored lead, or a bare phone/e-mail with a place.
enum GateSubject: Sendable, Equatable {
    case lead(UUID)
    case contact(phone: String?, email: String?, zip: String?, state: String?)
}

/// One contact to decide.
struct GateCheck: Sendable {
    var subject: GateSubject
    var request: ContactGateRequest
}

/// The gate's answer for one check, with the lead it concerned (nil when not found).
struct GateCheckResult: Sendable {
    var check: GateCheck
    /// Nil when the lead does not exist in the organization.
    var decision: GateDecision?
    /// The stored decision, when the check was recorded.
    var recordID: UUID?
}

/// Runs contacts through the ``ContactGate``: loads every fact in a few set queries (leads,
/// consents, opt-outs, flags, the internal list, recent contacts), looks numbers up in the
/// in-memory DNC registries, decides, and stores the decisions of real sends with an entry in
/// each lead's timeline.
struct ComplianceService {
    let database: any Database
    let organizationID: UUID
    let runtime: ComplianceRuntime
    let actorLabel: String
    /// The same database on the other event loops (on SQLite each its own connection): a large
    /// batch's leads and consents are looked up on all of them side by side.
    var otherLoopDatabases: [any Database] = []

    init(req: Request) throws {
        self.database = req.db
        self.organizationID = try req.principal.organizationID
        self.runtime = req.relief.compliance
        self.actorLabel = try req.principal.auditActor.label
        self.otherLoopDatabases = req.application.eventLoopGroup.makeIterator()
            .filter { $0 !== req.eventLoop }
            .compactMap { req.application.databases.database(logger: req.logger, on: $0) }
    }

    init(
        database: any Database, organizationID: UUID, runtime: ComplianceRuntime,
        actorLabel: String
    ) {
        self.database = database
        self.organizationID = organizationID
        self.runtime = runtime
        self.actorLabel = actorLabel
    }

    /// Decides every check. With `record`, each decision for a lead or a contact is stored
    /// (and a lead's timeline gets an entry).
    func decide(_ checks: [GateCheck], record: Bool) async throws -> [GateCheckResult] {
        guard !checks.isEmpty else { return [] }
        let facts = try await loadFacts(for: checks)
        // The decisions are pure: large batches are decided in slices on every core.
        let gate = runtime.gate
        var results = try await checks.mapOnEveryCore { Self.decide($0, facts: facts, gate: gate) }
        if record { try await store(&results, facts: facts) }
        return results
    }

    private static func decide(_ check: GateCheck, facts: Facts, gate: ContactGate)
        -> GateCheckResult
    {
        guard let consumer = facts.consumer(for: check) else {
            return GateCheckResult(check: check, decision: nil)
        }
        return GateCheckResult(
            check: check, decision: gate.decide(check.request, for: consumer, caps: facts.caps))
    }

    // MARK: - Facts

    /// What the checks need, loaded once for the whole batch.
    struct Facts: Sendable {
        var leads: [UUID: LeadRow] = [:]
        var consents: [UUID: [ConsentRow]] = [:]
        var optOuts: [String: Set<ContactChannel>] = [:]
        var flags: [UUID: ConsumerFlags] = [:]
        var internalList: Set<String> = []
        var recent: [UUID: [PastContact]] = [:]
        /// Recent contacts by number or address, with the lead they were recorded for.
        var recentByContact: [String: [(lead: UUID?, contact: PastContact)]] = [:]
        var registries = LoadedDNCLists(lists: [:])
        var caps = OrgFrequencyCaps()

        /// The consumer facts for one check, nil for an unknown lead.
        func consumer(for check: GateCheck) -> ConsumerContactFacts? {
            switch check.subject {
            case .lead(let id):
                guard let lead = leads[id] else { return nil }
                let phone = lead.parsedPhone
                let e164 = phone?.e164
                var channels = Set<ContactChannel>()
                if let e164 { channels.formUnion(optOuts[e164] ?? []) }
                if let email = lead.email {
                    channels.formUnion((optOuts[email] ?? []).filter { $0 == .email })
                }
                if lead.status == .doNotContact { channels = Set(ContactChannel.allCases) }
                let consents = self.consents[id] ?? []
                let inquiry =
                    consents.filter { $0.granted && $0.isFormSubmission }.map(\.capturedAt).max()
                var facts = ConsumerContactFacts(
                    phone: lead.phone, email: lead.email, zip: lead.zip, state: lead.state,
                    isEnrolledClient: lead.status == .enrolled || lead.status == .settled,
                    consents: consents.map(\.fact), optedOutChannels: channels,
                    flags: flags[id] ?? ConsumerFlags(),
                    lastTransactionAt: lead.transactionAt, lastInquiryAt: inquiry,
                    dnc: registries.listing(
                        nationalDigits: phone?.nationalDigits,
                        internalList: e164.map(internalList.contains) ?? false),
                    recentContacts: (recent[id] ?? [])
                        + [e164, lead.email].compactMap { $0 }.flatMap { address in
                            (recentByContact[address] ?? []).filter { $0.lead != id }.map(\.contact)
                        })
                facts.parsedPhone = phone
                return facts
            case .contact(let rawPhone, let email, let zip, let state):
                let phone = rawPhone.flatMap { try? PhoneNumber.parse($0) }
                let e164 = phone?.e164
                var channels = Set<ContactChannel>()
                if let e164 { channels.formUnion(optOuts[e164] ?? []) }
                let normalized = email.flatMap { try? EmailAddress.normalize($0) }
                if let normalized {
                    channels.formUnion((optOuts[normalized] ?? []).filter { $0 == .email })
                }
                return ConsumerContactFacts(
                    phone: rawPhone, email: email, zip: zip, state: state,
                    optedOutChannels: channels,
                    dnc: registries.listing(
                        nationalDigits: phone?.nationalDigits,
                        internalList: e164.map(internalList.contains) ?? false),
                    recentContacts: [e164, normalized].compactMap { $0 }.flatMap { address in
                        (recentByContact[address] ?? []).map(\.contact)
                    })
            }
        }
    }

    /// A lead's columns the gate needs.
    struct LeadRow: Sendable {
        var id: UUID
        var phone: String?
        var email: String?
        var zip: String
        var state: String
        var status: LeadStatus
        /// The enrollment (a purchase) or the latest status change of a client.
        var transactionAt: Date?
        /// ``phone`` parsed once for the batch.
        var parsedPhone: PhoneNumber?

        /// A row of the facts query on `leads`.
        init(row: any SQLRow, uuids: SQLUUIDs) throws {
            id = try uuids.decode(row, column: "id")
            phone = try row.decode(column: "primary_phone", as: String?.self)
            email = try row.decode(column: "primary_email", as: String?.self)
            zip = try row.decode(column: "zip", as: String.self)
            state = try row.decode(column: "state", as: String.self)
            status = LeadStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new
            let changed = try row.decode(column: "status_changed_at", as: Date.self)
            transactionAt = [.enrolled, .settled, .cancelled].contains(status) ? changed : nil
            parsedPhone = phone.flatMap { try? PhoneNumber.parse($0) }
        }
    }

    /// Lead ids per facts query: one query for a full batch (SQLite allows 32,766 binds).
    static let leadsPerQuery = 10_000

    /// A consent with its source, for the inquiry date of the business relationship.
    struct ConsentRow: Sendable {
        var fact: ConsentFact
        var source: ConsentSource
        /// A form the consumer filled in (an inquiry under the TSR).
        var isFormSubmission: Bool { source == .webForm }
        var capturedAt: Date { fact.capturedAt }
        var granted: Bool { fact.granted }
    }

    /// The rows of `ids`' leads and consents, on `database`: the consents are queried while the
    /// lead rows are decoded on every core (phone parsing costs as much as the query).
    private func leadsAndConsents(_ ids: ArraySlice<UUID>, on database: any Database)
        async throws -> (leads: [LeadRow], consents: [(UUID, ConsentRow)])
    {
        guard let sql = database as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "The compliance engine needs SQL.")
        }
        try await database.prepareForBulkReads()
        let uuids = SQLUUIDs(sql)
        let org = organizationID
        var leads: [LeadRow] = []
        var consents: [(UUID, ConsentRow)] = []
        for chunk in Array(ids).chunked(into: Self.leadsPerQuery) {
            let rows = try await sql.raw(
                """
                SELECT id, primary_phone, primary_email, zip, state, status, status_changed_at
                FROM leads WHERE organization_id = \(bind: org) AND deleted_at IS NULL
                AND id IN (\(binds: uuids.binds(chunk)))
                """
            ).all()
            async let consentRows = sql.raw(
                """
                SELECT lead_id, kind, granted, contact, captured_at, source FROM consents
                WHERE organization_id = \(bind: org) AND lead_id IN (\(binds: uuids.binds(chunk)))
                """
            ).all()
            leads += try await rows.mapOnEveryCore { try LeadRow(row: $0, uuids: uuids) }
            for row in try await consentRows {
                guard
                    let kind = ConsentKind(
                        rawValue: try row.decode(column: "kind", as: String.self)),
                    let source = ConsentSource(
                        rawValue: try row.decode(column: "source", as: String.self))
                else { continue }
                consents.append(
                    (
                        try uuids.decode(row, column: "lead_id"),
                        ConsentRow(
                            fact: ConsentFact(
                                kind: kind,
                                granted: try row.decode(column: "granted", as: Bool.self),
                                contact: try row.decode(column: "contact", as: String.self),
                                capturedAt: try row.decode(column: "captured_at", as: Date.self)),
                            source: source)
                    ))
            }
        }
        return (leads, consents)
    }

    /// Every fact the checks need. Each query stands alone (no connection is held while waiting
    /// for another), so batches on different event loops never wait on each other's connections.
    private func loadFacts(for checks: [GateCheck]) async throws -> Facts {
        var facts = Facts()
        guard let sql = database as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "The compliance engine needs SQL.")
        }
        var leadIDs: [UUID] = []
        var contacts: Set<String> = []
        /// The numbers and addresses of checks without a lead.
        var bareContacts: Set<String> = []
        for check in checks {
            switch check.subject {
            case .lead(let id): leadIDs.append(id)
            case .contact(let phone, let email, _, _):
                if let phone = phone.flatMap({ try? PhoneNumber.parse($0) }) {
                    bareContacts.insert(phone.e164)
                }
                if let email = email.flatMap({ try? EmailAddress.normalize($0) }) {
                    bareContacts.insert(email)
                }
            }
        }
        contacts.formUnion(bareContacts)
        let uniqueLeads = Array(Set(leadIDs))
        let org = organizationID
        let uuids = SQLUUIDs(sql)

        // Large batches: the leads split over every event loop's connection.
        let databases =
            uniqueLeads.count < splitLookupMinimum ? [database] : [database] + otherLoopDatabases
        let share = (uniqueLeads.count + databases.count - 1) / databases.count
        let parts = try await withThrowingTaskGroup(
            of: (leads: [LeadRow], consents: [(UUID, ConsentRow)]).self
        ) { group in
            for (part, database) in zip(uniqueLeads.chunked(into: max(1, share)), databases) {
                group.addTask { try await leadsAndConsents(part, on: database) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for part in parts {
            for lead in part.leads {
                facts.leads[lead.id] = lead
                if let phone = lead.parsedPhone { contacts.insert(phone.e164) }
                if let email = lead.email { contacts.insert(email) }
            }
            for (leadID, consent) in part.consents {
                facts.consents[leadID, default: []].append(consent)
            }
        }

        // Open flags: the whole organization's when there are few (one scan instead of a probe
        // per lead), else those of the batch's leads.
        let wantedLeads = Set(uniqueLeads)
        let flagRows = try await listRows(
            "lead_id, kind", from: "compliance_flags",
            where: "organization_id = \(bind: org) AND status <> 'cleared'",
            probing: [("lead_id", uuids.binds(uniqueLeads))], on: sql)
        for row in flagRows {
            let leadID = try uuids.decode(row, column: "lead_id")
            guard wantedLeads.contains(leadID) else { continue }
            var flags = facts.flags[leadID] ?? ConsumerFlags()
            switch ComplianceFlag.Kind(rawValue: try row.decode(column: "kind", as: String.self)) {
            case .bankruptcy: flags.bankruptcy = true
            case .attorneyRepresented: flags.attorneyRepresented = true
            case .ceaseCommunication: flags.ceaseCommunication = true
            case .deceased: flags.deceased = true
            case nil: break
            }
            facts.flags[leadID] = flags
        }

        // Recent contacts: recorded allowed decisions in the 24 hours before the checks.
        let instants = checks.map(\.request.at)
        if let earliest = instants.min(), let latest = instants.max() {
            let from = earliest.addingTimeInterval(-86_400)
            let window: SQLQueryString =
                "organization_id = \(bind: org) AND verdict = 'allow' AND decided_at > \(bind: from) AND decided_at <= \(bind: latest)"
            // A busy organization's are probed through the lead and the contact index.
            let recentRows = try await listRows(
                "id, lead_id, contact, channel, purpose, decided_at", from: "contact_decisions",
                where: window,
                probing: [("lead_id", uuids.binds(uniqueLeads)), ("contact", Array(contacts))],
                on: sql)
            let wanted = Set(uniqueLeads)
            var seen: Set<UUID> = []
            for row in recentRows {
                guard seen.insert(try uuids.decode(row, column: "id")).inserted else {
                    continue
                }
                guard
                    let channel = ContactChannel(
                        rawValue: try row.decode(column: "channel", as: String.self)),
                    let purpose = ContactPurpose(
                        rawValue: try row.decode(column: "purpose", as: String.self))
                else { continue }
                let contact = PastContact(
                    channel: channel, purpose: purpose,
                    at: try row.decode(column: "decided_at", as: Date.self))
                // A contact counts for its lead and for its number or address, whoever asks.
                let leadID = try uuids.decodeIfPresent(row, column: "lead_id")
                if let leadID, wanted.contains(leadID) {
                    facts.recent[leadID, default: []].append(contact)
                }
                let address = try row.decode(column: "contact", as: String.self)
                if contacts.contains(address) {
                    facts.recentByContact[address, default: []].append((leadID, contact))
                }
            }
        }

        // Opt-outs and the internal list: whole when small, else probed by contact.
        let optOutRows = try await listRows(
            "contact, channel", from: "contact_opt_outs",
            where: "organization_id = \(bind: org) AND opted_in_at IS NULL",
            probing: [("contact", Array(contacts))], on: sql)
        for row in optOutRows {
            let contact = try row.decode(column: "contact", as: String.self)
            guard contacts.contains(contact),
                let channel = ContactChannel(
                    rawValue: try row.decode(column: "channel", as: String.self))
            else { continue }
            facts.optOuts[contact, default: []].insert(channel)
        }
        let dncRows = try await listRows(
            "e164", from: "internal_dnc_numbers",
            where: "organization_id = \(bind: org) AND removed_at IS NULL",
            probing: [("e164", Array(contacts))], on: sql)
        for row in dncRows {
            let e164 = try row.decode(column: "e164", as: String.self)
            if contacts.contains(e164) { facts.internalList.insert(e164) }
        }
        // A text opt-out (STOP) also stops texts; a call opt-out stops calls and voicemails.
        for (contact, channels) in facts.optOuts where channels.contains(.call) {
            facts.optOuts[contact]?.insert(.voicemail)
        }

        facts.registries = try await runtime.registries.lists(for: org, on: database)
        if let settings = try await ComplianceSettings.query(in: org, on: database).first() {
            facts.caps = settings.caps
        }
        return facts
    }

    /// From this many leads on, a batch's lead and consent lookups are split over
    /// ``otherLoopDatabases`` as well.
    var splitLookupMinimum = 2_000

    /// Up to this many rows, a small per-organization list (open flags, opt-outs, the internal
    /// list) is read whole rather than probed once per lead or number of the batch.
    var wholeListLimit = 20_000

    /// The rows of `table` matching `condition`: all of them in one scan when there are at most
    /// ``wholeListLimit``, else only those whose column in `probing` holds one of its keys
    /// (through that column's index, 5,000 keys a query; a row may come back once per probe).
    private func listRows(
        _ columns: SQLQueryString, from table: String, where condition: SQLQueryString,
        probing: [(column: String, keys: [any Encodable & Sendable])], on sql: any SQLDatabase
    ) async throws -> [any SQLRow] {
        let count =
            try await sql.raw("SELECT count(*) AS n FROM \(ident: table) WHERE \(condition)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        if count <= wholeListLimit {
            return try await sql.raw("SELECT \(columns) FROM \(ident: table) WHERE \(condition)")
                .all()
        }
        var rows: [any SQLRow] = []
        for (column, keys) in probing {
            for chunk in keys.chunked(into: 5_000) {
                rows += try await sql.raw(
                    "SELECT \(columns) FROM \(ident: table) WHERE \(condition) AND \(ident: column) IN (\(binds: Array(chunk)))"
                ).all()
            }
        }
        return rows
    }

    // MARK: - Storage

    private func store(_ results: inout [GateCheckResult], facts: Facts) async throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        var records: [ContactDecisionRecord] = []
        var activities: [Activity] = []
        for index in results.indices {
            guard let decision = results[index].decision else { continue }
            let check = results[index].check
            var leadID: UUID?
            var contact = ""
            switch check.subject {
            case .lead(let id):
                leadID = id
                let lead = facts.leads[id]
                contact = (check.request.channel == .email ? lead?.email : lead?.phone) ?? ""
            case .contact(let phone, let email, _, _):
                contact = (check.request.channel == .email ? email : phone) ?? ""
            }
            if check.request.channel.usesPhone, let parsed = try? PhoneNumber.parse(contact) {
                contact = parsed.e164
            }
            let record = ContactDecisionRecord()
            record.id = UUID.timeOrdered()
            record.organizationID = organizationID
            record.leadID = leadID
            record.channel = check.request.channel
            record.purpose = check.request.purpose
            record.method = check.request.method
            record.contact = contact
            record.callerID = check.request.callerID
            record.verdict = decision.verdict
            record.reasonCodes =
                " " + decision.reasonCodes.map(\.rawValue).joined(separator: " ") + " "
            record.reasons = String(decoding: try encoder.encode(decision.reasons), as: UTF8.self)
            record.obligations = String(
                decoding: try encoder.encode(decision.obligations), as: UTF8.self)
            record.nextAllowedAt = decision.nextAllowedAt
            record.timeZone = decision.timeZone
            record.localTime = decision.localTime
            record.rulesVersion = decision.rulesVersion
            record.decidedAt = check.request.at
            record.actorLabel = actorLabel
            records.append(record)
            results[index].recordID = record.id
            if let leadID {
                activities.append(
                    Activity(
                        organizationID: organizationID, leadID: leadID, kind: .compliance,
                        occurredAt: check.request.at, actorID: nil, actorLabel: actorLabel,
                        summary: Self.summary(check.request, decision),
                        body: decision.reasons.map(\.message).joined(separator: "\n"),
                        data: #"{"decision_id":"\#(record.id!.uuidString)"}"#))
            }
        }
        let decisions = records
        let entries = activities
        try await database.transaction { transaction in
            try await transaction.insertInGroups(decisions)
            try await transaction.insertInGroups(entries)
        }
    }

    /// "Marketing call: deferred (outside calling hours)".
    static func summary(_ request: ContactGateRequest, _ decision: GateDecision) -> String {
        let what = "\(request.purpose.rawValue.capitalized) \(request.channel.label.lowercased())"
        let verdict: String
        switch decision.verdict {
        case .allow: verdict = "allowed"
        case .deny: verdict = "denied"
        case .defer: verdict = "deferred"
        }
        let reasons = decision.reasons.map { $0.code.label.lowercased() }
        return "\(what): \(verdict)"
            + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))")
    }

}

extension ContactChannel {
    /// "Call", "Text", "E-mail", "Voicemail".
    var label: String {
        switch self {
        case .call: "Call"
        case .sms: "Text"
        case .email: "E-mail"
        case .voicemail: "Voicemail"
        }
    }
}
