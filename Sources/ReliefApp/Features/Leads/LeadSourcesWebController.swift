import Fluent
import Foundation
import ReliefCore
import Vapor

/// Changing lead sources (vendor, campaign, cost per lead); every change is audited. Sources
/// are also created on first use by ``LeadService/sourceID(named:)``.
struct LeadSourceDirectory {
    let req: Request

    var organizationID: UUID { get throws { try req.principal.organizationID } }

    /// What the sources page sets; nil leaves a value as it is.
    struct Input {
        var name: String?
        var vendor: String?
        var campaign: String?
        /// Dollars as typed ("12.50").
        var costPerLead: String?
        var isActive: Bool?
    }

    func all() async throws -> [LeadSource] {
        try await LeadSource.query(in: organizationID, on: req.db).sort(\.$nameKey).all()
    }

    /// Adds a source; its name must be new (ignoring case).
    @discardableResult
    func create(_ input: Input) async throws -> LeadSource {
        let name = input.name?.trimmingCharacters(in: .whitespaces) ?? ""
        var check = FieldCheck()
        check.require(
            !name.isEmpty && name.count <= 80, "name", "Enter a name (up to 80 characters).")
        let taken = try await LeadSource.query(in: organizationID, on: req.db)
            .filter(\.$nameKey == LeadSource.key(name)).first()
        check.require(taken == nil, "name", "A source named \(name) exists.")
        try check.throwIfFailed()
        let source = LeadSource(organizationID: try organizationID, name: name)
        try apply(input, to: source)
        try await source.create(on: req.db)
        try await req.audit(
            "lead_source.created", entityType: "lead_source", entityID: source.id?.uuidString,
            changes: AuditDiff.between([:], Self.snapshot(source)).json)
        return source
    }

    func update(_ source: LeadSource, _ input: Input) async throws {
        let before = Self.snapshot(source)
        try apply(input, to: source)
        let diff = AuditDiff.between(before, Self.snapshot(source))
        guard !diff.isEmpty else { return }
        try await source.save(on: req.db)
        try await req.audit(
            "lead_source.updated", entityType: "lead_source", entityID: source.id?.uuidString,
            changes: diff.json)
    }

    private func apply(_ input: Input, to source: LeadSource) throws {
        var check = FieldCheck()
        if let vendor = input.vendor?.trimmingCharacters(in: .whitespaces) {
            check.require(vendor.count <= 120, "vendor", "Keep the vendor under 120 characters.")
            source.vendor = vendor
        }
        if let campaign = input.campaign?.trimmingCharacters(in: .whitespaces) {
            check.require(
                campaign.count <= 120, "campaign", "Keep the campaign under 120 characters.")
            source.campaign = campaign
        }
        if let cost = input.costPerLead {
            if cost.trimmingCharacters(in: .whitespaces).isEmpty {
                source.costPerLeadCents = 0
            } else {
                do {
                    source.costPerLeadCents = try MoneyAmount.nonNegativeCents(cost)
                } catch {
                    check.fail("cost_per_lead", error.message)
                }
            }
        }
        if let active = input.isActive { source.isActive = active }
        try check.throwIfFailed()
    }

    static func snapshot(_ source: LeadSource) -> [String: String] {
        [
            "name": source.name, "vendor": source.vendor, "campaign": source.campaign,
            "cost_per_lead_cents": String(source.costPerLeadCents),
            "is_active": String(source.isActive),
        ]
    }
}

/// `/app/admin/sources`: vendor, campaign and cost per lead of each lead source (read by the
/// sources report).
///
/// The page needs `leads.assign`; owners and admins, who hold `organization.manage`, hold it
/// too (see ``PermissionMatrix``).
struct LeadSourcesWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let page = routes.grouped("admin", "sources")
        page.get(use: index).access(.requires(.leadsAssign))
        page.post(use: create).access(.requires(.leadsAssign))
        page.post(":id", use: update).access(.requires(.leadsAssign))
    }

    struct SourceForm: Content {
        var name: String?
        var vendor: String?
        var campaign: String?
        var costPerLead: String?
        var isActive: String?

        enum CodingKeys: String, CodingKey {
            case name, vendor, campaign
            case costPerLead = "cost_per_lead"
            case isActive = "is_active"
        }

        var input: LeadSourceDirectory.Input {
            LeadSourceDirectory.Input(
                name: name, vendor: vendor ?? "", campaign: campaign ?? "",
                costPerLead: costPerLead ?? "", isActive: isActive == "yes")
        }
    }

    func index(req: Request) async throws -> View {
        try await render(req)
    }

    /// The page; `failed` is the source whose form was refused (`new` for the add form).
    private func render(
        _ req: Request, failed: String? = nil, form: SourceForm? = nil, errors: FieldMessages = [:]
    ) async throws -> View {
        let sources = try await LeadSourceDirectory(req: req).all()
        let rows = sources.map { source in
            let id = source.id?.uuidString ?? ""
            let typed = failed == id ? form : nil
            return LeadSourceRow(
                id: id, name: source.name, vendor: typed?.vendor ?? source.vendor,
                campaign: typed?.campaign ?? source.campaign,
                costPerLead: typed?.costPerLead ?? MoneyFormat.plain(source.costPerLeadCents),
                isActive: typed.map { $0.isActive == "yes" } ?? source.isActive,
                errors: failed == id ? errors : [:])
        }
        let isNew = failed == "new"
        return try await req.view.render(
            "admin/sources",
            LeadSourcesPage(
                page: req.pageContext(title: "Lead sources", section: "sources"), sources: rows,
                newSource: LeadSourceRow(
                    id: "", name: isNew ? form?.name ?? "" : "",
                    vendor: isNew ? form?.vendor ?? "" : "",
                    campaign: isNew ? form?.campaign ?? "" : "",
                    costPerLead: isNew ? form?.costPerLead ?? "" : "", isActive: true,
                    errors: isNew ? errors : [:]),
                canReport: try req.principal.can(.reportsRead)))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(SourceForm.self)
        var input = form.input
        input.isActive = true
        do {
            let source = try await LeadSourceDirectory(req: req).create(input)
            return req.redirectAfterPost(
                to: "/app/admin/sources", flash: (.success, "Source \(source.name) added."))
        } catch let failure as ValidationFailure {
            return try await render(req, failed: "new", form: form, errors: failure.fields)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func update(req: Request) async throws -> Response {
        let source = try await LeadSource.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        let form = try req.content.decode(SourceForm.self)
        var input = form.input
        input.name = nil
        do {
            try await LeadSourceDirectory(req: req).update(source, input)
            return req.redirectAfterPost(
                to: "/app/admin/sources", flash: (.success, "Source \(source.name) saved."))
        } catch let failure as ValidationFailure {
            return try await render(
                req, failed: source.id?.uuidString, form: form, errors: failure.fields
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }
}

/// `admin/sources`.
struct LeadSourcesPage: Encodable, Sendable {
    var page: PageContext
    var sources: [LeadSourceRow]
    var newSource: LeadSourceRow
    var canReport: Bool
}

/// One source with its editable values.
struct LeadSourceRow: Encodable, Sendable {
    var id: String
    var name: String
    var vendor: String
    var campaign: String
    /// Plain dollars ("12.50").
    var costPerLead: String
    var isActive: Bool
    var errors: FieldMessages
}
