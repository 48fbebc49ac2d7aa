import Fluent
import ReliefCore
import Vapor

/// The lead as the API returns it (snake_case). `ssn` and `date_of_birth` are present only
/// when the caller holds `sensitive.read` and asked for them with `?include=sensitive`; such
/// reads are audited.
struct LeadDTO: Content {
    struct Phone: Content {
        var number: String
        var type: String
        var isPrimary: Bool

        enum CodingKeys: String, CodingKey {
            case number, type
            case isPrimary = "is_primary"
        }
    }

    var id: UUID
    var status: String
    var firstName: String
    var middleName: String
    var lastName: String
    var email: String?
    var emails: [String]
    var phone: String?
    var phones: [Phone]
    var address: String
    var address2: String
    var city: String
    var state: String
    var zip: String
    var timeZone: String?
    var zipTimeZone: String?
    var phoneTimeZones: [String]
    var language: String
    var ssnLast4: String?
    var ssn: String?
    var dateOfBirth: String?
    var totalUnsecuredDebtCents: Int64?
    var monthlyIncomeCents: Int64?
    var enrolledDebtCents: Int64
    var employment: String
    var hardshipNotes: String
    var ownerID: UUID?
    var teamID: UUID?
    var source: String?
    var assignmentRule: String?
    var tags: [String]
    /// Custom field values by key, as forms and request bodies carry them.
    var customFields: [String: String]
    var externalID: String?
    var heatScore: Double
    var enrollmentProbability: Double?
    var lastContactedAt: Date?
    var nextFollowUpAt: Date?
    var createdAt: Date?
    var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, status, email, emails, phone, phones, address, city, state, zip, language
        case employment, source, tags, ssn
        case customFields = "custom_fields"
        case firstName = "first_name"
        case middleName = "middle_name"
        case lastName = "last_name"
        case address2 = "address_2"
        case timeZone = "time_zone"
        case zipTimeZone = "zip_time_zone"
        case phoneTimeZones = "phone_time_zones"
        case ssnLast4 = "ssn_last4"
        case dateOfBirth = "date_of_birth"
        case totalUnsecuredDebtCents = "total_unsecured_debt_cents"
        case monthlyIncomeCents = "monthly_income_cents"
        case enrolledDebtCents = "enrolled_debt_cents"
        case hardshipNotes = "hardship_notes"
        case ownerID = "owner_id"
        case teamID = "team_id"
        case assignmentRule = "assignment_rule"
        case externalID = "external_id"
        case heatScore = "heat_score"
        case enrollmentProbability = "enrollment_probability"
        case lastContactedAt = "last_contacted_at"
        case nextFollowUpAt = "next_follow_up_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A debt as the API returns it.
struct DebtDTO: Content {
    var id: UUID
    var creditor: String
    var accountType: String
    var accountLast4: String
    var balanceCents: Int64
    var monthlyPaymentCents: Int64?
    var monthsDelinquent: Int?
    var isSecured: Bool
    var isEnrolled: Bool
    var origin: String

    enum CodingKeys: String, CodingKey {
        case id, creditor, origin
        case accountType = "account_type"
        case accountLast4 = "account_last4"
        case balanceCents = "balance_cents"
        case monthlyPaymentCents = "monthly_payment_cents"
        case monthsDelinquent = "months_delinquent"
        case isSecured = "is_secured"
        case isEnrolled = "is_enrolled"
    }

    init(_ debt: Debt) {
        id = debt.id ?? UUID()
        creditor = debt.creditor
        accountType = debt.accountType
        accountLast4 = debt.accountLast4
        balanceCents = debt.balanceCents
        monthlyPaymentCents = debt.monthlyPaymentCents
        monthsDelinquent = debt.monthsDelinquent
        isSecured = debt.isSecured
        isEnrolled = debt.isEnrolled
        origin = debt.origin.rawValue
    }
}

/// A timeline entry as the API returns it.
struct ActivityDTO: Content {
    var id: UUID
    var kind: String
    var occurredAt: Date
    var actor: String
    var summary: String
    var body: String
    var fromStatus: String?
    var toStatus: String?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, actor, summary, body, reason
        case occurredAt = "occurred_at"
        case fromStatus = "from_status"
        case toStatus = "to_status"
    }

    init(_ activity: Activity) {
        id = activity.id ?? UUID()
        kind = activity.kind.rawValue
        occurredAt = activity.occurredAt
        actor = activity.actorLabel
        summary = activity.summary
        body = activity.body
        fromStatus = activity.fromStatus
        toStatus = activity.toStatus
        reason = activity.reason
    }
}

/// `/api/v1/leads`.
struct LeadsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let leads = routes.grouped("leads")
        leads.get(use: list).access(.requires(.leadsRead))
        leads.post(use: create).access(.requires(.leadsWrite))
        leads.get("export.csv", use: export).access(.requires(.leadsExport))
        leads.post("bulk", use: bulk).access(.requires(.leadsWrite))
        leads.get(":id", use: read).access(.requires(.leadsRead))
        leads.patch(":id", use: update).access(.requires(.leadsWrite))
        leads.delete(":id", use: delete).access(.requires(.leadsWrite))
        leads.post(":id", "status", use: changeStatus).access(.requires(.leadsWrite))
        leads.get(":id", "notes", use: notes).access(.requires(.leadsRead))
        leads.post(":id", "notes", use: addNote).access(.requires(.leadsWrite))
        leads.get(":id", "timeline", use: timeline).access(.requires(.leadsRead))
        leads.get(":id", "debts", use: debts).access(.requires(.leadsRead))
        leads.post(":id", "debts", use: addDebt).access(.requires(.leadsWrite))
        leads.patch(":id", "debts", ":debt", use: updateDebt).access(.requires(.leadsWrite))
        leads.delete(":id", "debts", ":debt", use: deleteDebt).access(.requires(.leadsWrite))
    }

    struct Page: Content {
        var data: [LeadDTO]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case data
            case nextCursor = "next_cursor"
        }
    }

    func list(req: Request) async throws -> Page {
        let query = try req.query.decode(LeadListQuery.self)
        let limit = min(max(query.limit ?? 50, 1), 200)
        let search = try await req.leadSearch()
        let (leads, next) = try await search.page(query, limit: limit)
        return Page(
            data: try await LeadPresenter(req: req).dtos(leads, sensitive: false),
            nextCursor: next)
    }

    /// The leads of `GET /api/v1/leads` with the same query, as a streamed CSV file.
    func export(req: Request) async throws -> Response {
        try await LeadExport.response(for: req)
    }

    /// `{"lead_ids","action","owner_id"?,"tag"?,"status"?,"reason"?}`: every lead's outcome.
    func bulk(req: Request) async throws -> LeadBulkReport {
        try await LeadBulkRunner(req: req).run(req.content.decode(LeadBulkRequest.self)).report
    }

    func create(req: Request) async throws -> Response {
        let body = try req.content.decode(LeadRequest.self)
        let draft = try LeadDrafts.fromRequest(body, base: nil, today: req.today)
        let service = try req.leads
        if body.allowDuplicate != true {
            let duplicates = try await service.duplicates(of: draft)
            if !duplicates.isEmpty { throw DuplicateLeads(leads: duplicates) }
        }
        let principal = try req.principal
        var placement = LeadService.Placement(
            ownerID: body.ownerID, teamID: body.teamID, useRules: true,
            origin: "Created through the API")
        if !principal.can(.leadsAssign) {
            // Agents create leads for themselves.
            guard body.ownerID == nil || body.ownerID == principal.userID, body.teamID == nil
            else {
                throw ValidationFailure(fields: [
                    "owner_id": "You may not assign leads to others."
                ])
            }
            placement.ownerID = principal.userID
        }
        placement.consents = try (body.consents ?? []).enumerated().map { index, consent in
            try consent.capture(index: index, request: req)
        }
        placement.customFields = body.customFieldValues
        let lead = try await service.create(draft, placement: placement)
        return try await LeadPresenter(req: req).dto(lead, sensitive: false)
            .encodeResponse(status: .created, for: req)
    }

    func read(req: Request) async throws -> LeadDTO {
        let lead = try await req.visibleLead()
        return try await LeadPresenter(req: req).dto(lead, sensitive: wantsSensitive(req))
    }

    func update(req: Request) async throws -> LeadDTO {
        let lead = try await req.visibleLead()
        let body = try req.content.decode(LeadRequest.self)
        let service = try req.leads
        let current = try await LeadDrafts.current(of: lead, service: service)
        let draft = try LeadDrafts.fromRequest(body, base: current, today: req.today)
        if body.allowDuplicate != true {
            let duplicates = try await service.duplicates(
                of: draft, excluding: try lead.requireID())
            if !duplicates.isEmpty { throw DuplicateLeads(leads: duplicates) }
        }
        try await service.update(lead, with: draft, customFields: body.customFieldValues)
        if body.ownerID != nil || body.teamID != nil {
            guard try req.principal.can(.leadsAssign) else {
                throw Abort(
                    .forbidden, reason: "Assigning leads needs the leads.assign permission.")
            }
            try await service.assign(
                lead, ownerID: body.ownerID ?? lead.ownerID, teamID: body.teamID ?? lead.teamID,
                rule: nil)
        }
        return try await LeadPresenter(req: req).dto(lead, sensitive: false)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.leads.delete(req.visibleLead())
        return .noContent
    }

    struct StatusRequest: Content {
        var status: String
        var reason: String?
    }

    func changeStatus(req: Request) async throws -> LeadDTO {
        let lead = try await req.visibleLead()
        let body = try req.content.decode(StatusRequest.self)
        guard let status = LeadStatus(rawValue: body.status) else {
            throw ValidationFailure(fields: [
                "status": "Use one of: "
                    + LeadStatus.allCases.map(\.rawValue).joined(separator: ", ") + "."
            ])
        }
        try await req.leads.changeStatus(lead, to: status, reason: body.reason)
        return try await LeadPresenter(req: req).dto(lead, sensitive: false)
    }

    struct NoteRequest: Content {
        var body: String
    }

    func notes(req: Request) async throws -> [ActivityDTO] {
        let lead = try await req.visibleLead()
        return try await Activity.query(in: req.principal.organizationID, on: req.db)
            .filter(\.$leadID == lead.requireID()).filter(\.$kind == .note)
            .sort(\.$occurredAt, .descending).all().map(ActivityDTO.init)
    }

    func addNote(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let body = try req.content.decode(NoteRequest.self)
        let note = try await req.leads.addNote(lead, body: body.body)
        return try await ActivityDTO(note).encodeResponse(status: .created, for: req)
    }

    func timeline(req: Request) async throws -> [ActivityDTO] {
        let lead = try await req.visibleLead()
        return try await Activity.query(in: req.principal.organizationID, on: req.db)
            .filter(\.$leadID == lead.requireID()).sort(\.$occurredAt, .descending)
            .limit(500).all().map(ActivityDTO.init)
    }

    struct DebtRequest: Content {
        var creditor: String?
        var accountType: String?
        var accountLast4: String?
        var balanceCents: Int64?
        var monthlyPaymentCents: Int64?
        var monthsDelinquent: Int?
        var isSecured: Bool?
        var isEnrolled: Bool?

        enum CodingKeys: String, CodingKey {
            case creditor
            case accountType = "account_type"
            case accountLast4 = "account_last4"
            case balanceCents = "balance_cents"
            case monthlyPaymentCents = "monthly_payment_cents"
            case monthsDelinquent = "months_delinquent"
            case isSecured = "is_secured"
            case isEnrolled = "is_enrolled"
        }

        var input: LeadService.DebtInput {
            LeadService.DebtInput(
                creditor: creditor, accountType: accountType, accountLast4: accountLast4,
                balanceCents: balanceCents,
                monthlyPaymentCents: monthlyPaymentCents.map { .some($0) },
                monthsDelinquent: monthsDelinquent.map { .some($0) }, isSecured: isSecured,
                isEnrolled: isEnrolled)
        }
    }

    func debts(req: Request) async throws -> [DebtDTO] {
        let lead = try await req.visibleLead()
        return try await Debt.query(in: req.principal.organizationID, on: req.db)
            .filter(\.$leadID == lead.requireID()).sort(\.$createdAt).all().map(DebtDTO.init)
    }

    func addDebt(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let body = try req.content.decode(DebtRequest.self)
        var input = body.input
        input.accountType = input.accountType ?? DebtAccountType.creditCard.rawValue
        let debt = Debt(
            organizationID: try req.principal.organizationID, leadID: try lead.requireID())
        try await req.leads.saveDebt(debt, input, lead: lead)
        return try await DebtDTO(debt).encodeResponse(status: .created, for: req)
    }

    func updateDebt(req: Request) async throws -> DebtDTO {
        let lead = try await req.visibleLead()
        let debt = try await req.visibleDebt(of: lead)
        try await req.leads.saveDebt(debt, req.content.decode(DebtRequest.self).input, lead: lead)
        return DebtDTO(debt)
    }

    func deleteDebt(req: Request) async throws -> HTTPStatus {
        let lead = try await req.visibleLead()
        try await req.leads.deleteDebt(req.visibleDebt(of: lead), lead: lead)
        return .noContent
    }

    private func wantsSensitive(_ req: Request) throws -> Bool {
        let include = (try? req.query.get(String.self, at: "include")) ?? ""
        let permitted = try req.principal.can(.sensitiveRead)
        return include.split(separator: ",").contains("sensitive") && permitted
    }
}

/// 409 with the ids of the leads that share a phone or e-mail with the input.
struct DuplicateLeads: AbortError {
    var leads: [Lead]
    var status: HTTPResponseStatus { .conflict }
    var reason: String {
        "A lead with the same phone or e-mail exists: "
            + leads.map { "\($0.fullName) (\($0.id?.uuidString ?? ""))" }.joined(separator: ", ")
            + ". Send \"allow_duplicate\": true to create it anyway, or merge the leads."
    }
}

extension Request {
    /// Today's date in the organization's time zone (dates of birth are checked against it).
    var today: CalendarDate {
        let zone =
            (try? principal.organization.timeZone).flatMap(TimeZone.init(identifier:))
            ?? TimeZone(identifier: "America/New_York")!
        return CalendarDate(now, in: zone)
    }
}
