import Fluent
import ReliefCore
import Vapor

/// Turns leads into API and page values, loading their contacts, tags and source in one query
/// each per page. Revealing SSN and date of birth needs `sensitive.read` and is audited.
struct LeadPresenter {
    let req: Request

    func dto(_ lead: Lead, sensitive: Bool) async throws -> LeadDTO {
        try await dtos([lead], sensitive: sensitive)[0]
    }

    func dtos(_ leads: [Lead], sensitive: Bool) async throws -> [LeadDTO] {
        let organizationID = try req.principal.organizationID
        let details = try await LeadDetails.load(leads, organizationID: organizationID, on: req.db)
        let kinds = try await CustomFieldDefinition.query(in: organizationID, on: req.db).all()
            .reduce(into: [String: CustomFieldKind]()) { $0[$1.key] = $1.kind }
        let halfLife = try await EngagementSettings.values(in: organizationID, on: req.db).halfLife
        var result: [LeadDTO] = []
        for lead in leads {
            let id = try lead.requireID()
            var dto = LeadDTO(
                id: id, status: lead.status.rawValue, firstName: lead.firstName,
                middleName: lead.middleName, lastName: lead.lastName, email: lead.primaryEmail,
                emails: details.emails[id] ?? [], phone: lead.primaryPhone,
                phones: (details.phones[id] ?? []).map {
                    LeadDTO.Phone(number: $0.e164, type: $0.type, isPrimary: $0.isPrimary)
                },
                address: lead.address, address2: lead.address2, city: lead.city,
                state: lead.state, zip: lead.zip, timeZone: lead.timeZone,
                zipTimeZone: lead.zipTimeZone,
                phoneTimeZones: lead.phoneTimeZones.split(separator: " ").map(String.init),
                language: lead.language, ssnLast4: lead.ssnLast4, ssn: nil, dateOfBirth: nil,
                totalUnsecuredDebtCents: lead.statedUnsecuredDebtCents,
                monthlyIncomeCents: lead.monthlyIncomeCents,
                enrolledDebtCents: lead.enrolledDebtCents, employment: lead.employment,
                hardshipNotes: lead.hardshipNotes, ownerID: lead.ownerID, teamID: lead.teamID,
                source: lead.sourceID.flatMap { details.sources[$0] },
                assignmentRule: lead.assignmentRule, tags: details.tags[id] ?? [],
                customFields: CustomFieldValues.decode(lead.customFields).reduce(into: [:]) {
                    $0[$1.key] = kinds[$1.key]?.editable($1.value) ?? $1.value
                },
                externalID: lead.externalID, heatScore: lead.heat(at: req.now, halfLife: halfLife),
                enrollmentProbability: lead.enrollmentProbability,
                lastContactedAt: lead.lastContactedAt, nextFollowUpAt: lead.nextFollowUpAt,
                createdAt: lead.createdAt, updatedAt: lead.updatedAt)
            if sensitive {
                let revealed = try await reveal(lead)
                dto.ssn = revealed.ssn
                dto.dateOfBirth = revealed.dateOfBirth
            }
            result.append(dto)
        }
        return result
    }

    /// The lead's SSN and date of birth in clear, audited as `lead.sensitive_viewed`. The
    /// caller has checked `sensitive.read`.
    func reveal(_ lead: Lead) async throws -> (ssn: String?, dateOfBirth: String?) {
        guard try req.principal.can(.sensitiveRead) else {
            throw Abort(
                .forbidden, reason: "Seeing the full SSN needs the sensitive.read permission.")
        }
        let record = lead.id?.uuidString
        let ssn = try lead.ssn.map {
            try req.relief.cipher.open($0, context: "leads.ssn", record: record)
        }
        let dateOfBirth = try lead.dateOfBirth.map {
            try req.relief.cipher.open($0, context: "leads.date_of_birth", record: record)
        }
        try await req.audit(
            "lead.sensitive_viewed", entityType: "lead", entityID: record,
            changes: AuditDiff.details(["fields": "ssn, date_of_birth"]))
        return (ssn.map(Self.formatSSN), dateOfBirth)
    }

    static func formatSSN(_ digits: String) -> String {
        guard digits.count == 9 else { return digits }
        let characters = Array(digits)
        return String(characters[0..<3]) + "-" + String(characters[3..<5]) + "-"
            + String(characters[5...])
    }
}

/// Contacts, tags and source names of a set of leads, loaded with one query per kind. Each
/// query reads the leads' own rows through the `lead_id` indexes (SQLite picks them once it has
/// statistics, see ``DatabaseStatistics``), so a page costs the same in an organization of a
/// thousand leads or a million.
struct LeadDetails {
    var phones: [UUID: [LeadPhoneRecord]] = [:]
    var emails: [UUID: [String]] = [:]
    var tags: [UUID: [String]] = [:]
    var sources: [UUID: String] = [:]

    /// The details of `leads`, with the names of the sources they reference.
    static func load(_ leads: [Lead], organizationID: UUID, on database: any Database)
        async throws -> LeadDetails
    {
        let ids = leads.compactMap(\.id)
        let sourceIDs = Set(leads.compactMap(\.sourceID))
        var details = LeadDetails()
        guard !ids.isEmpty else { return details }
        for phone in try await phones(of: ids, organizationID: organizationID, on: database).all() {
            details.phones[phone.leadID, default: []].append(phone)
        }
        for email in try await emails(of: ids, organizationID: organizationID, on: database).all() {
            details.emails[email.leadID, default: []].append(email.email)
        }
        for tag in try await LeadTag.query(in: organizationID, on: database)
            .filter(\.$leadID ~~ ids).sort(\.$tag).all()
        {
            details.tags[tag.leadID, default: []].append(tag.tag)
        }
        guard !sourceIDs.isEmpty else { return details }
        for source in try await LeadSource.query(in: organizationID, on: database)
            .filter(\.$id ~~ Array(sourceIDs)).all()
        {
            if let id = source.id { details.sources[id] = source.name }
        }
        return details
    }

    /// The phones of the leads `ids`, primary first.
    static func phones(of ids: [UUID], organizationID: UUID, on database: any Database)
        -> QueryBuilder<LeadPhoneRecord>
    {
        LeadPhoneRecord.query(in: organizationID, on: database).filter(\.$leadID ~~ ids)
            .sort(\.$isPrimary, .descending).sort(\.$createdAt)
    }

    /// The e-mails of the leads `ids`, primary first.
    static func emails(of ids: [UUID], organizationID: UUID, on database: any Database)
        -> QueryBuilder<LeadEmailRecord>
    {
        LeadEmailRecord.query(in: organizationID, on: database).filter(\.$leadID ~~ ids)
            .sort(\.$isPrimary, .descending).sort(\.$createdAt)
    }
}
