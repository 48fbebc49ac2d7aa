import Fluent
import Foundation
import ReliefCore
import Vapor

/// Creating, changing, publishing and unpublishing an organization's landing pages; every
/// change is audited.
struct LandingPageDirectory {
    let req: Request

    var organizationID: UUID { get throws { try req.principal.organizationID } }

    /// What the page form sets.
    struct Input: Sendable {
        var slug: String
        var title: String
        var body: String
        var hasForm: Bool
        var consentText: String
    }

    func all() async throws -> [LandingPage] {
        try await LandingPage.query(in: organizationID, on: req.db).sort(\.$title).all()
    }

    /// Creates the page (unpublished) or saves the changes to `page`.
    @discardableResult
    func save(_ input: Input, to existing: LandingPage?) async throws -> LandingPage {
        let now = req.relief.now()
        let organizationID = try organizationID
        let page = existing ?? LandingPage(organizationID: organizationID, now: now)
        let slug = input.slug.trimmingCharacters(in: .whitespaces).lowercased()
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let consent = input.consentText.trimmingCharacters(in: .whitespacesAndNewlines)
        var check = FieldCheck()
        if let problem = LandingSlug.problem(slug) { check.fail("slug", problem) }
        check.require(
            !title.isEmpty && title.count <= 160, "title", "Enter a title (up to 160 characters).")
        check.require(
            input.body.count <= 20_000, "body", "Keep the text under 20,000 characters.")
        check.require(
            consent.count <= 4_000, "consent_text",
            "Keep the consent text under 4,000 characters.")
        if LandingSlug.problem(slug) == nil,
            let other = try await LandingPage.query(on: req.db).filter(\.$slug == slug).first(),
            other.id != page.id
        {
            check.fail("slug", "Another page already uses this address.")
        }
        try check.throwIfFailed()
        let before = existing.map(Self.snapshot) ?? [:]
        page.slug = slug
        page.title = title
        page.body = input.body
        page.hasForm = input.hasForm
        page.consentText = consent
        let diff = AuditDiff.between(before, Self.snapshot(page))
        guard existing == nil || !diff.isEmpty else { return page }
        page.updatedAt = now
        do {
            try await page.save(on: req.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ValidationFailure(fields: ["slug": "Another page already uses this address."])
        }
        try await req.audit(
            existing == nil ? "landing_page.created" : "landing_page.updated",
            entityType: "landing_page", entityID: page.id?.uuidString, changes: diff.json)
        return page
    }

    /// Shows or hides the page at its public address.
    func setPublished(_ page: LandingPage, _ published: Bool) async throws {
        guard page.isPublished != published else { return }
        let now = req.relief.now()
        page.isPublished = published
        if published { page.publishedAt = now }
        page.updatedAt = now
        try await page.save(on: req.db)
        try await req.audit(
            published ? "landing_page.published" : "landing_page.unpublished",
            entityType: "landing_page", entityID: page.id?.uuidString,
            changes: AuditDiff.details(["slug": page.slug]))
    }

    static func snapshot(_ page: LandingPage) -> [String: String] {
        [
            "slug": page.slug, "title": page.title, "body": page.body,
            "has_form": String(page.hasForm), "consent_text": page.consentText,
        ]
    }
}

/// `/app/landing-pages`: the organization's landing pages (read with `organization.read`,
/// changed with `organization.manage`).
struct LandingPagesWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped("landing-pages")
        pages.get(use: index).access(.requires(.organizationRead))
        pages.get("new", use: new).access(.requires(.organizationManage))
        pages.post(use: create).access(.requires(.organizationManage))
        pages.get(":id", use: edit).access(.requires(.organizationRead))
        pages.post(":id", use: update).access(.requires(.organizationManage))
        pages.post(":id", "publish", use: publish).access(.requires(.organizationManage))
    }

    struct PageForm: Content {
        var slug: String?
        var title: String?
        var body: String?
        var hasForm: String?
        var consentText: String?

        enum CodingKeys: String, CodingKey {
            case slug, title, body
            case hasForm = "has_form"
            case consentText = "consent_text"
        }

        var input: LandingPageDirectory.Input {
            LandingPageDirectory.Input(
                slug: slug ?? "", title: title ?? "", body: body ?? "",
                hasForm: ["on", "true", "yes", "1"].contains(hasForm ?? ""),
                consentText: consentText ?? "")
        }
    }

    func index(req: Request) async throws -> View {
        let principal = try req.principal
        let pages = try await LandingPageDirectory(req: req).all()
        let zone = principal.organization.timeZone
        return try await req.view.render(
            "landing/index",
            LandingPagesPage(
                page: req.pageContext(title: "Landing pages", section: "landing-pages"),
                pages: pages.map {
                    LandingPageRow(
                        id: $0.id?.uuidString ?? "", title: $0.title, path: $0.path,
                        isPublished: $0.isPublished, hasForm: $0.hasForm,
                        updatedAt: DisplayDate.string($0.updatedAt, timeZone: zone))
                },
                canManage: principal.can(.organizationManage)))
    }

    func new(req: Request) async throws -> Response {
        try await renderForm(
            req, page: nil,
            values: PageForm(
                slug: "", title: "", body: "", hasForm: "yes", consentText: Self.defaultConsent(req)
            ),
            errors: [:])
    }

    /// A starting consent text naming the organization (edited by the organization).
    static func defaultConsent(_ req: Request) -> String {
        let name = (try? req.principal.organization.displayName) ?? ""
        return
            "By checking this box I agree that \(name) may call and text me at the number above, "
            + "including by automated means, about debt relief. Consent is not a condition of "
            + "purchase. Message and data rates may apply. Reply STOP to opt out."
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(PageForm.self)
        do {
            let page = try await LandingPageDirectory(req: req).save(form.input, to: nil)
            return req.redirectAfterPost(
                to: "/app/landing-pages/\(page.id?.uuidString ?? "")",
                flash: (.success, "Landing page \(page.title) created. Publish it when ready."))
        } catch let failure as ValidationFailure {
            return try await renderForm(
                req, page: nil, values: form, errors: failure.fields, status: .unprocessableEntity)
        }
    }

    private func find(_ req: Request) async throws -> LandingPage {
        try await LandingPage.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
    }

    func edit(req: Request) async throws -> Response {
        let page = try await find(req)
        return try await renderForm(
            req, page: page,
            values: PageForm(
                slug: page.slug, title: page.title, body: page.body,
                hasForm: page.hasForm ? "yes" : "", consentText: page.consentText),
            errors: [:])
    }

    func update(req: Request) async throws -> Response {
        let page = try await find(req)
        let form = try req.content.decode(PageForm.self)
        do {
            try await LandingPageDirectory(req: req).save(form.input, to: page)
            return req.redirectAfterPost(
                to: "/app/landing-pages/\(page.id?.uuidString ?? "")",
                flash: (.success, "Landing page saved."))
        } catch let failure as ValidationFailure {
            return try await renderForm(
                req, page: page, values: form, errors: failure.fields,
                status: .unprocessableEntity)
        }
    }

    struct PublishForm: Content {
        var published: String
    }

    func publish(req: Request) async throws -> Response {
        let page = try await find(req)
        let published = try req.content.decode(PublishForm.self).published == "true"
        try await LandingPageDirectory(req: req).setPublished(page, published)
        return req.redirectAfterPost(
            to: "/app/landing-pages/\(page.id?.uuidString ?? "")",
            flash: (
                .success,
                published
                    ? "Published at \(page.path)." : "Unpublished: \(page.path) no longer answers."
            ))
    }

    private func renderForm(
        _ req: Request, page: LandingPage?, values: PageForm, errors: FieldMessages,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        return try await req.render(
            "landing/form",
            LandingPageFormPage(
                page: req.pageContext(
                    title: page.map { "Landing page \($0.title)" } ?? "New landing page",
                    section: "landing-pages"),
                id: page?.id?.uuidString ?? "", isNew: page == nil,
                isPublished: page?.isPublished ?? false, path: page?.path ?? "",
                publicURL: page.map { req.relief.config.baseURL + $0.path } ?? "",
                slug: values.slug ?? "", titleValue: values.title ?? "", body: values.body ?? "",
                hasForm: values.input.hasForm, consentText: values.consentText ?? "",
                errors: errors, canManage: principal.can(.organizationManage)),
            status: status)
    }
}

/// `landing/index`.
struct LandingPagesPage: Encodable, Sendable {
    var page: PageContext
    var pages: [LandingPageRow]
    var canManage: Bool
}

/// One page in the list.
struct LandingPageRow: Encodable, Sendable {
    var id: String
    var title: String
    var path: String
    var isPublished: Bool
    var hasForm: Bool
    var updatedAt: String
}

/// `landing/form`: a new page or an existing one.
struct LandingPageFormPage: Encodable, Sendable {
    var page: PageContext
    var id: String
    var isNew: Bool
    var isPublished: Bool
    var path: String
    var publicURL: String
    var slug: String
    var titleValue: String
    var body: String
    var hasForm: Bool
    var consentText: String
    var errors: FieldMessages
    var canManage: Bool
}
