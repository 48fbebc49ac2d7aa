import Fluent
import ReliefCore
import Vapor

/// `/app/leads`: the list with search and filters, saved views, bulk changes and the CSV
/// export, the lead page, the lead form and the actions on a lead (status, notes, debts,
/// consent, reveal).
struct LeadsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let leads = routes.grouped("leads")
        leads.get(use: list).access(.requires(.leadsRead))
        leads.get("export.csv", use: export).access(.requires(.leadsExport))
        leads.post("views", use: saveView).access(.requires(.leadsRead))
        leads.post("views", ":view", "delete", use: deleteView).access(.requires(.leadsRead))
        leads.post("bulk", use: bulk).access(.requires(.leadsWrite))
        leads.get("new", use: newForm).access(.requires(.leadsWrite))
        leads.post(use: create).access(.requires(.leadsWrite))
        leads.get(":id", use: show).access(.requires(.leadsRead))
        leads.get(":id", "edit", use: edit).access(.requires(.leadsWrite))
        leads.post(":id", use: update).access(.requires(.leadsWrite))
        leads.post(":id", "delete", use: delete).access(.requires(.leadsWrite))
        leads.post(":id", "status", use: changeStatus).access(.requires(.leadsWrite))
        leads.post(":id", "notes", use: addNote).access(.requires(.leadsWrite))
        leads.post(":id", "debts", use: addDebt).access(.requires(.leadsWrite))
        leads.post(":id", "debts", ":debt", "enroll", use: enrollDebt)
            .access(.requires(.leadsWrite))
        leads.post(":id", "debts", ":debt", "delete", use: deleteDebt)
            .access(.requires(.leadsWrite))
        leads.post(":id", "consents", use: recordConsent).access(.requires(.leadsWrite))
        leads.post(":id", "reveal", use: reveal).access(.requires(.sensitiveRead))
    }

    // MARK: - list

    func list(req: Request) async throws -> View {
        let principal = try req.principal
        let query = try req.query.decode(LeadListQuery.self)
        let search = try await req.leadSearch()
        let (leads, next) = try await search.page(query, limit: 50)
        let totals = try await search.stageTotals(query)
        let directory = try await LeadDirectoryNames.load(principal.organizationID, on: req.db)
        let zone = principal.organization.timeZone
        let halfLife = try await EngagementSettings.values(
            in: principal.organizationID, on: req.db
        ).halfLife
        let now = req.now
        let rows = leads.map { lead in
            let heat = lead.heat(at: now, halfLife: halfLife)
            return LeadRow(
                id: lead.id?.uuidString ?? "", name: lead.fullName,
                email: lead.primaryEmail ?? "",
                phone: lead.primaryPhone.flatMap { try? PhoneNumber.parse($0).formatted } ?? "",
                status: lead.status.rawValue, statusLabel: lead.status.label,
                owner: lead.ownerID.flatMap { directory.users[$0] } ?? "Unassigned",
                state: lead.state,
                source: lead.sourceID.flatMap { directory.sources[$0] } ?? "",
                debt: lead.statedUnsecuredDebtCents.map {
                    MoneyFormat.dollars($0, wholeDollars: true)
                }
                    ?? "",
                heat: heat >= 0.05 ? String(format: "%.1f", heat) : "",
                created: DisplayDate.string(lead.createdAt, timeZone: zone))
        }
        let selected = Set(query.statuses)
        var stages: [StageChip] = []
        var allQuery = query
        allQuery.status = nil
        allQuery.cursor = nil
        let allCount = totals.values.reduce(0) { $0 + $1.count }
        stages.append(
            StageChip(
                label: "All", count: allCount, debt: "",
                href: "/app/leads?" + allQuery.queryString, active: selected.isEmpty))
        for status in LeadStatus.allCases.sorted() {
            let total = totals[status]
            if total == nil && !LeadStatus.mainPath.contains(status) { continue }
            var stageQuery = allQuery
            stageQuery.status = [status.rawValue]
            stages.append(
                StageChip(
                    label: status.label, count: total?.count ?? 0,
                    debt: StageChip.debtLabel(total?.debt ?? 0),
                    href: "/app/leads?" + stageQuery.queryString,
                    active: selected == [status]))
        }
        let enrolledDebt = totals.values.reduce(Int64(0)) { $0 + $1.debt }
        var nextQuery = query
        nextQuery.cursor = next
        var firstQuery = query
        firstQuery.cursor = nil
        let current = firstQuery.queryString
        let views = try await SavedViews(req: req).all().map { view in
            SavedViewLink(
                id: view.id?.uuidString ?? "", name: view.name,
                href: "/app/leads" + (view.query.isEmpty ? "" : "?" + view.query),
                active: view.query == current)
        }
        return try await req.view.render(
            "leads/list",
            LeadsListPage(
                page: req.pageContext(title: "Leads", section: "leads"),
                summary: "\(allCount) lead\(allCount == 1 ? "" : "s") · "
                    + "\(MoneyFormat.dollars(enrolledDebt, wholeDollars: true)) enrolled debt",
                stages: stages, filters: LeadFilters(query, directory: directory), rows: rows,
                isFiltered: query.isFiltered, isPaged: query.cursor != nil,
                nextURL: next.map { _ in "/app/leads?" + nextQuery.pageQueryString },
                firstURL: "/app/leads?" + current, views: views, currentQuery: current,
                pageQuery: query.pageQueryString, boardURL: "/app/pipeline?" + allQuery.queryString,
                exportURL: principal.can(.leadsExport)
                    ? "/app/leads/export.csv?" + current : nil,
                bulk: principal.can(.leadsWrite)
                    ? try await bulkForm(req, canAssign: principal.can(.leadsAssign)) : nil,
                canWrite: principal.can(.leadsWrite)))
    }

    /// The bulk bar's menus; assigning appears only with `leads.assign`.
    private func bulkForm(_ req: Request, canAssign: Bool) async throws -> LeadBulkForm {
        var owners: [SelectOption] = []
        if canAssign {
            owners =
                [SelectOption(value: "", label: "Choose an owner", selected: true)]
                + (try await User.query(in: req.principal.organizationID, on: req.db)
                .filter(\.$isActive == true).sort(\.$name).all()).map {
                    SelectOption(value: $0.id?.uuidString ?? "", label: $0.name, selected: false)
                }
        }
        let actions = LeadBulkAction.allCases.filter {
            canAssign || $0.permission != .leadsAssign
        }
        return LeadBulkForm(
            actions: actions.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: false)
            },
            owners: owners,
            statuses: LeadStatus.allCases.sorted().map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: false)
            })
    }

    // MARK: - saved views, bulk changes, export

    struct SaveViewForm: Content {
        var name: String
        var query: String?
    }

    func saveView(req: Request) async throws -> Response {
        let form = try req.content.decode(SaveViewForm.self)
        let back = Self.listPath((try? LeadListQuery.parse(form.query ?? ""))?.queryString)
        do {
            let view = try await SavedViews(req: req).create(
                name: form.name, query: form.query ?? "")
            return req.redirectAfterPost(
                to: back, flash: (.success, "Saved the view \(view.name)."))
        } catch let failure as ValidationFailure {
            return req.redirectAfterPost(to: back, flash: (.error, failure.summary))
        }
    }

    func deleteView(req: Request) async throws -> Response {
        let views = SavedViews(req: req)
        let view = try await views.find(req.parameters.get("view", as: UUID.self))
        try await views.delete(view)
        return req.redirectAfterPost(
            to: "/app/leads", flash: (.success, "Deleted the view \(view.name)."))
    }

    /// The bulk bar: the checked rows, or every row of the page with "select all on this
    /// page"; the summary comes back as a flash message on the same page.
    struct BulkForm: Content {
        var leadIDs: [String]?
        var pageIDs: [String]?
        var allOnPage: String?
        var action: String
        var ownerID: String?
        var tag: String?
        var status: String?
        var reason: String?
        var view: String?

        enum CodingKeys: String, CodingKey {
            case action, tag, status, reason, view
            case leadIDs = "lead_ids"
            case pageIDs = "page_ids"
            case allOnPage = "all_on_page"
            case ownerID = "owner_id"
        }
    }

    func bulk(req: Request) async throws -> Response {
        let form = try req.content.decode(BulkForm.self)
        let back = Self.listPath((try? LeadListQuery.parse(form.view ?? ""))?.pageQueryString)
        let chosen = form.allOnPage == "yes" ? form.pageIDs : form.leadIDs
        let request = LeadBulkRequest(
            leadIDs: (chosen ?? []).compactMap(UUID.init(uuidString:)), action: form.action,
            ownerID: form.ownerID.flatMap(UUID.init(uuidString:)), tag: form.tag,
            status: form.status, reason: form.reason)
        do {
            let (report, names) = try await LeadBulkRunner(req: req).run(request)
            return req.redirectAfterPost(
                to: back,
                flash: (
                    report.refused + report.notFound == 0 ? .success : .error,
                    LeadBulkRunner.summary(report, names: names)
                ))
        } catch let failure as ValidationFailure {
            return req.redirectAfterPost(to: back, flash: (.error, failure.summary))
        }
    }

    func export(req: Request) async throws -> Response {
        try await LeadExport.response(for: req)
    }

    /// The list at `query` (a query string without `?`), for redirects back to it.
    private static func listPath(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "/app/leads" }
        return "/app/leads?" + query
    }

    // MARK: - lead page

    func show(req: Request) async throws -> View {
        try await renderLead(req, lead: req.visibleLead())
    }

    /// The lead page; the other lead controllers call it to show a refused form again.
    func renderLead(
        _ req: Request, lead: Lead, statusErrors: FieldMessages = [:],
        debtErrors: FieldMessages = [:], noteError: String = "",
        revealed: (ssn: String?, dateOfBirth: String?)? = nil,
        workspaceErrors: LeadWorkspace.Errors = LeadWorkspace.Errors(),
        complianceErrors: FieldMessages = [:], complianceValues: [String: String] = [:]
    ) async throws -> View {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let leadID = try lead.requireID()
        let directory = try await LeadDirectoryNames.load(organizationID, on: req.db)
        let details = try await LeadDetails.load(
            [lead], organizationID: organizationID, on: req.db)
        let zone = principal.organization.timeZone
        let debts = try await Debt.query(in: organizationID, on: req.db)
            .filter(\.$leadID == leadID).sort(\.$createdAt).all()
        let activities = try await Activity.query(in: organizationID, on: req.db)
            .filter(\.$leadID == leadID).sort(\.$occurredAt, .descending).sort(\.$id, .descending)
            .limit(200).all()
        let consents = try await Consent.query(in: organizationID, on: req.db)
            .filter(\.$leadID == leadID).sort(\.$capturedAt, .descending).all()
        let service = try req.leads
        let duplicates = try await service.duplicates(
            of: LeadDrafts.contacts(of: leadID, in: details), excluding: leadID)
        let localTime = DisplayDate.localTime(req.now, zone: lead.timeZone)
        let addressLine = [
            lead.address, lead.address2,
            [lead.city, [lead.state, lead.zip].filter { !$0.isEmpty }.joined(separator: " ")]
                .filter { !$0.isEmpty }.joined(separator: ", "),
        ].filter { !$0.isEmpty }.joined(separator: ", ")
        let phoneZones = lead.phoneTimeZones.split(separator: " ").map(String.init)
        let engagement = try await LeadEngagementPanel.load(req, lead: leadID, zone: zone)
        let header = LeadHeader(
            id: leadID.uuidString, status: lead.status.rawValue, statusLabel: lead.status.label,
            phone: lead.primaryPhone.flatMap { try? PhoneNumber.parse($0).formatted } ?? "",
            phoneE164: lead.primaryPhone ?? "", email: lead.primaryEmail ?? "",
            localTime: localTime, timeZone: lead.timeZone ?? "Unknown",
            zipTimeZone: lead.zipTimeZone ?? "",
            phoneTimeZones: phoneZones.joined(separator: " / "),
            zonesDiffer: lead.zipTimeZone != nil && !phoneZones.isEmpty
                && !phoneZones.contains(lead.zipTimeZone ?? ""),
            owner: lead.ownerID.flatMap { directory.users[$0] } ?? "Unassigned",
            team: lead.teamID.flatMap { directory.teams[$0] } ?? "—",
            source: lead.sourceID.flatMap { directory.sources[$0] } ?? "—",
            address: addressLine.isEmpty ? "—" : addressLine,
            language: Locale(identifier: "en").localizedString(forLanguageCode: lead.language)
                ?? lead.language,
            statedDebt: lead.statedUnsecuredDebtCents.map { MoneyFormat.dollars($0) } ?? "—",
            enrolledDebt: MoneyFormat.dollars(lead.enrolledDebtCents),
            income: lead.monthlyIncomeCents.map { MoneyFormat.dollars($0) + " / month" } ?? "—",
            employment: lead.employment.isEmpty ? "—" : lead.employment,
            heat: String(format: "%.1f", engagement.score),
            ssn: revealed?.ssn ?? lead.ssnLast4.map { "***-**-\($0)" } ?? "—",
            dateOfBirth: revealed?.dateOfBirth ?? "",
            hasSensitive: lead.ssn != nil || lead.dateOfBirth != nil,
            tags: details.tags[leadID] ?? [], hardship: lead.hardshipNotes,
            created: DisplayDate.string(lead.createdAt, timeZone: zone),
            assignmentRule: lead.assignmentRule ?? (lead.ownerID == nil ? "—" : "Manual"))
        let targets = (PipelineRules.transitions[lead.status] ?? []).sorted()
        return try await req.view.render(
            "leads/show",
            LeadPage(
                page: req.pageContext(title: lead.fullName, section: "leads"), lead: header,
                duplicates: duplicates.map {
                    LeadLink(id: $0.id?.uuidString ?? "", name: $0.fullName)
                },
                debts: debts.map { debt in
                    DebtRow(
                        id: debt.id?.uuidString ?? "", creditor: debt.creditor,
                        type: DebtAccountType(rawValue: debt.accountType)?.label
                            ?? debt.accountType,
                        last4: debt.accountLast4, balance: MoneyFormat.dollars(debt.balanceCents),
                        payment: debt.monthlyPaymentCents.map { MoneyFormat.dollars($0) } ?? "—",
                        monthsDelinquent: debt.monthsDelinquent.map { String($0) } ?? "—",
                        secured: debt.isSecured,
                        origin: debt.origin == .stated ? "Stated" : "Credit report",
                        enrolled: debt.isEnrolled)
                },
                debtTotal: MoneyFormat.dollars(debts.reduce(0) { $0 + $1.balanceCents }),
                debtTypes: DebtAccountType.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: false)
                },
                consents: consents.map { consent in
                    ConsentRow(
                        kind: consent.kind.label, granted: consent.granted,
                        capturedAt: DisplayDate.string(consent.capturedAt, timeZone: zone),
                        source: consent.source.label, detail: consent.sourceDetail,
                        contact: consent.contact, ip: consent.ip,
                        disclosure: consent.disclosureText)
                },
                consentKinds: ConsentKind.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: false)
                },
                transitions: targets.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: false)
                },
                timeline: activities.map { activity in
                    TimelineItem(
                        kind: activity.kind.rawValue, summary: activity.summary,
                        actor: activity.actorLabel,
                        when: DisplayDate.string(activity.occurredAt, timeZone: zone),
                        iso: activity.occurredAt.formatted(.iso8601),
                        reason: activity.reason ?? "",
                        body: [.note, .created, .merged, .task, .compliance].contains(
                            activity.kind)
                            ? activity.body : "",
                        tone: TimelineItem.tone(activity.summary, kind: activity.kind.rawValue))
                },
                workspace: LeadWorkspace.load(req, lead: lead, errors: workspaceErrors),
                compliance: LeadCompliancePanel.load(
                    req, lead: lead, errors: complianceErrors, values: complianceValues),
                engagement: engagement,
                statusErrors: statusErrors, debtErrors: debtErrors, noteError: noteError,
                canWrite: principal.can(.leadsWrite), canReveal: principal.can(.sensitiveRead)))
    }

    // MARK: - form

    func newForm(req: Request) async throws -> View {
        try await renderForm(req, lead: nil, values: [:], errors: [:], duplicates: [])
    }

    func edit(req: Request) async throws -> View {
        let lead = try await req.visibleLead()
        let values = try await LeadDrafts.formValues(of: lead, service: req.leads)
        return try await renderForm(req, lead: lead, values: values, errors: [:], duplicates: [])
    }

    private func formValues(_ req: Request) throws -> [String: String] {
        guard let body = req.body.string else { return [:] }
        var values: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first else { continue }
            values[key] = parts.count > 1 ? parts[1] : ""
        }
        return values
    }

    func create(req: Request) async throws -> Response {
        let principal = try req.principal
        let values = try formValues(req)
        let service = try req.leads
        do {
            let draft = try LeadDrafts.fromForm(values, base: nil, today: req.today)
            if values["allow_duplicate"] != "yes" {
                let duplicates = try await service.duplicates(of: draft)
                if !duplicates.isEmpty {
                    return try await renderForm(
                        req, lead: nil, values: values, errors: [:], duplicates: duplicates
                    ).encodeResponse(status: .conflict, for: req)
                }
            }
            var placement = LeadService.Placement(origin: "Created by \(principal.user.name)")
            if principal.can(.leadsAssign) {
                placement.ownerID = values["owner_id"].flatMap(UUID.init(uuidString:))
                placement.useRules = (values["owner_id"] ?? "").isEmpty
            } else {
                placement.ownerID = principal.userID
            }
            if values["tcpa_consent"] == "yes" {
                placement.consents = [
                    ConsentCapture(
                        kind: .tcpaCallsTexts, contact: draft.phones.first?.number.e164 ?? "",
                        disclosureText: LeadForm.disclosure(for: principal.organization),
                        capturedAt: req.now, source: .agent, sourceDetail: principal.user.name,
                        ip: req.clientIP,
                        userAgent: req.headers.first(name: .userAgent) ?? "")
                ]
            }
            let lead = try await service.create(draft, placement: placement)
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())",
                flash: (.success, "Lead \(lead.fullName) created."))
        } catch let failure as ValidationFailure {
            return try await renderForm(
                req, lead: nil, values: values, errors: failure.fields, duplicates: []
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func update(req: Request) async throws -> Response {
        let principal = try req.principal
        let lead = try await req.visibleLead()
        let values = try formValues(req)
        let service = try req.leads
        do {
            let current = try await LeadDrafts.current(of: lead, service: service)
            let draft = try LeadDrafts.fromForm(values, base: current, today: req.today)
            if values["allow_duplicate"] != "yes" {
                let duplicates = try await service.duplicates(
                    of: draft, excluding: try lead.requireID())
                if !duplicates.isEmpty {
                    return try await renderForm(
                        req, lead: lead, values: values, errors: [:], duplicates: duplicates
                    ).encodeResponse(status: .conflict, for: req)
                }
            }
            try await service.update(lead, with: draft)
            if principal.can(.leadsAssign), let owner = values["owner_id"] {
                let ownerID = UUID(uuidString: owner)
                if owner == "rules" {
                    try await service.assignByRules([lead])
                } else if ownerID != lead.ownerID {
                    try await service.assign(lead, ownerID: ownerID, teamID: lead.teamID, rule: nil)
                }
            }
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())", flash: (.success, "Lead saved."))
        } catch let failure as ValidationFailure {
            return try await renderForm(
                req, lead: lead, values: values, errors: failure.fields, duplicates: []
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    private func renderForm(
        _ req: Request, lead: Lead?, values: [String: String], errors: FieldMessages,
        duplicates: [Lead]
    ) async throws -> View {
        let principal = try req.principal
        var owners: [SelectOption] = []
        if principal.can(.leadsAssign) {
            let users = try await User.query(in: principal.organizationID, on: req.db)
                .filter(\.$isActive == true).sort(\.$name).all()
            let selected =
                values["owner_id"] ?? lead?.ownerID?.uuidString ?? (lead == nil ? "" : "none")
            owners =
                (lead == nil
                    ? [
                        SelectOption(
                            value: "", label: "By assignment rules", selected: selected.isEmpty)
                    ]
                    : [SelectOption(value: "rules", label: "Reassign by rules", selected: false)])
                + [SelectOption(value: "none", label: "Unassigned", selected: selected == "none")]
                + users.map {
                    SelectOption(
                        value: $0.id?.uuidString ?? "", label: $0.name,
                        selected: $0.id?.uuidString == selected)
                }
        }
        let isNew = lead == nil
        return try await req.view.render(
            "leads/form",
            LeadFormPage(
                page: req.pageContext(
                    title: isNew ? "New lead" : "Edit \(lead?.fullName ?? "")", section: "leads"),
                isNew: isNew, id: lead?.id?.uuidString ?? "", name: lead?.fullName ?? "",
                sections: LeadForm.sections(
                    values: values, errors: errors, owners: owners, isNew: isNew),
                errors: errors,
                duplicates: duplicates.map {
                    LeadLink(id: $0.id?.uuidString ?? "", name: $0.fullName)
                },
                tcpaConsent: values["tcpa_consent"] == "yes",
                disclosure: LeadForm.disclosure(for: principal.organization)))
    }

    // MARK: - actions

    func delete(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        try await req.leads.delete(lead)
        return req.redirectAfterPost(
            to: "/app/leads", flash: (.success, "Lead \(lead.fullName) deleted."))
    }

    struct StatusForm: Content {
        var status: String
        var reason: String?
    }

    func changeStatus(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let form = try req.content.decode(StatusForm.self)
        do {
            guard let status = LeadStatus(rawValue: form.status) else {
                throw ValidationFailure(fields: ["status": "Choose a status."])
            }
            try await req.leads.changeStatus(lead, to: status, reason: form.reason)
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())",
                flash: (.success, "Status changed to \(status.label)."))
        } catch let failure as ValidationFailure {
            return try await renderLead(req, lead: lead, statusErrors: failure.fields)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct NoteForm: Content {
        var body: String
    }

    func addNote(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let form = try req.content.decode(NoteForm.self)
        do {
            try await req.leads.addNote(lead, body: form.body)
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())", flash: (.success, "Note saved."))
        } catch let failure as ValidationFailure {
            return try await renderLead(req, lead: lead, noteError: failure.fields["body"] ?? "")
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct DebtForm: Content {
        var creditor: String?
        var accountType: String?
        var balance: String?
        var monthlyPayment: String?
        var monthsDelinquent: String?
        var accountLast4: String?

        enum CodingKeys: String, CodingKey {
            case creditor, balance
            case accountType = "account_type"
            case monthlyPayment = "monthly_payment"
            case monthsDelinquent = "months_delinquent"
            case accountLast4 = "account_last4"
        }
    }

    func addDebt(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let form = try req.content.decode(DebtForm.self)
        do {
            var check = FieldCheck()
            var balance: Int64?
            do {
                balance = try MoneyAmount.nonNegativeCents(form.balance ?? "")
            } catch {
                check.fail("balance_cents", error.message)
            }
            var payment: Int64?
            if let text = form.monthlyPayment, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                do {
                    payment = try MoneyAmount.nonNegativeCents(text)
                } catch {
                    check.fail("monthly_payment_cents", error.message)
                }
            }
            try check.throwIfFailed()
            let months = form.monthsDelinquent.flatMap { Int($0) }
            let debt = Debt(
                organizationID: try req.principal.organizationID, leadID: try lead.requireID())
            try await req.leads.saveDebt(
                debt,
                LeadService.DebtInput(
                    creditor: form.creditor ?? "",
                    accountType: form.accountType ?? DebtAccountType.creditCard.rawValue,
                    accountLast4: form.accountLast4, balanceCents: balance,
                    monthlyPaymentCents: .some(payment), monthsDelinquent: .some(months)),
                lead: lead)
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())",
                flash: (.success, "Debt \(debt.creditor) added."))
        } catch let failure as ValidationFailure {
            var fields = failure.fields
            fields["any"] = "yes"
            return try await renderLead(req, lead: lead, debtErrors: fields)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct EnrollForm: Content {
        var enrolled: String
    }

    func enrollDebt(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let debt = try await req.visibleDebt(of: lead)
        let form = try req.content.decode(EnrollForm.self)
        do {
            try await req.leads.saveDebt(
                debt, LeadService.DebtInput(isEnrolled: form.enrolled == "true"), lead: lead)
            return req.redirectAfterPost(to: "/app/leads/\(try lead.requireID())")
        } catch let failure as ValidationFailure {
            var fields = failure.fields
            fields["any"] = "yes"
            return try await renderLead(req, lead: lead, debtErrors: fields)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func deleteDebt(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        try await req.leads.deleteDebt(req.visibleDebt(of: lead), lead: lead)
        return req.redirectAfterPost(
            to: "/app/leads/\(try lead.requireID())", flash: (.success, "Debt removed."))
    }

    struct ConsentForm: Content {
        var kind: String
        var granted: String
        var disclosureText: String

        enum CodingKeys: String, CodingKey {
            case kind, granted
            case disclosureText = "disclosure_text"
        }
    }

    func recordConsent(req: Request) async throws -> Response {
        let principal = try req.principal
        let lead = try await req.visibleLead()
        let form = try req.content.decode(ConsentForm.self)
        guard let kind = ConsentKind(rawValue: form.kind) else {
            throw Abort(.badRequest, reason: "Unknown consent kind \(form.kind).")
        }
        let text = form.disclosureText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            return req.redirectAfterPost(
                to: "/app/leads/\(try lead.requireID())",
                flash: (.error, "Write the consumer's words or the disclosure they agreed to."))
        }
        try await req.leads.recordConsent(
            ConsentCapture(
                kind: kind, granted: form.granted != "false",
                contact: kind == .emailMarketing
                    ? lead.primaryEmail ?? "" : lead.primaryPhone ?? "",
                disclosureText: text, capturedAt: req.now, source: .agent,
                sourceDetail: principal.user.name, ip: req.clientIP,
                userAgent: req.headers.first(name: .userAgent) ?? ""),
            for: lead)
        return req.redirectAfterPost(
            to: "/app/leads/\(try lead.requireID())", flash: (.success, "Consent recorded."))
    }

    func reveal(req: Request) async throws -> View {
        let lead = try await req.visibleLead()
        let revealed = try await LeadPresenter(req: req).reveal(lead)
        return try await renderLead(req, lead: lead, revealed: revealed)
    }
}

/// Names of the org's users, teams and sources for list cells and filter menus.
struct LeadDirectoryNames: Sendable {
    var users: [UUID: String] = [:]
    var teams: [UUID: String] = [:]
    var sources: [UUID: String] = [:]

    static func load(_ organizationID: UUID, on database: any Database) async throws
        -> LeadDirectoryNames
    {
        var names = LeadDirectoryNames()
        for user in try await User.query(in: organizationID, on: database).all() {
            if let id = user.id { names.users[id] = user.name }
        }
        for team in try await Team.query(in: organizationID, on: database).all() {
            if let id = team.id { names.teams[id] = team.name }
        }
        for source in try await LeadSource.query(in: organizationID, on: database).all() {
            if let id = source.id { names.sources[id] = source.name }
        }
        return names
    }
}
