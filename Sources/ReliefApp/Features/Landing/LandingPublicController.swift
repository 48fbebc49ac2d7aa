import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

extension LandingPage {
    /// The published page at `/p/{slug}`, whichever organization owns it (slugs are unique
    /// across organizations; this public lookup is the one query not narrowed to a tenant).
    static func published(slug: String, on database: any Database) async throws -> LandingPage? {
        guard LandingSlug.problem(slug) == nil else { return nil }
        return try await query(on: database).filter(\.$slug == slug)
            .filter(\.$isPublished == true).first()
    }
}

/// Who a landing page visitor is: the lead of the signed reference cookie a tracked click set
/// (when it is of the page's organization), else the lead the visitor was tied to by a form,
/// else nobody (the events keep the visitor id).
enum LandingAttribution {
    static func lead(
        organizationID: UUID, visitorID: String?, request: Request, signer: LandingSigner
    ) async throws -> UUID? {
        if let cookie = request.cookies[LandingSigner.cookieName]?.string,
            let reference = signer.verifyLeadReference(cookie, now: request.now),
            reference.organizationID == organizationID
        {
            return reference.leadID
        }
        guard let visitorID, isVisitorID(visitorID) else { return nil }
        return try await LandingVisitor.query(in: organizationID, on: request.db)
            .filter(\.$visitorID == visitorID).first()?.leadID
    }

    /// The script's visitor id format (as ``TrackingBeacon`` checks it).
    static func isVisitorID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
    }

    /// Ties `visitorID` to `leadID`: remembers it for later beacons, gives the visitor's
    /// earlier anonymous events to the lead and rebuilds the lead's heat score from its
    /// history so they count.
    static func tie(
        visitorID: String, to leadID: UUID, organizationID: UUID, application: Application
    ) async throws {
        // Events still in the ingest buffer are written first, so none is left anonymous.
        await application.engagement.flush()
        let now = application.relief.now()
        try await application.db.transaction { database in
            if let existing = try await LandingVisitor.query(in: organizationID, on: database)
                .filter(\.$visitorID == visitorID).first()
            {
                existing.leadID = leadID
                try await existing.save(on: database)
            } else {
                try await LandingVisitor(
                    organizationID: organizationID, visitorID: visitorID, leadID: leadID, now: now
                ).create(on: database)
            }
            try await EngagementEventRecord.query(in: organizationID, on: database)
                .filter(\.$visitorID == visitorID).filter(\.$leadID == nil)
                .set(\.$leadID, to: leadID).update()
            try await HeatScores(database: database, now: now).rebuild(
                organizationID: organizationID, leadIDs: [leadID])
        }
    }
}

/// The public landing pages (no sign-in, no ReliefCRM chrome): `GET /p/{slug}` shows a
/// published page in its organization's branding, `POST /p/{slug}` takes its lead form. The
/// form carries a signed per-page token (``LandingSigner/formToken(pageID:issuedAt:)``)
/// instead of the session-bound CSRF token of the app.
struct LandingPublicController: RouteCollection {
    let signer: LandingSigner

    func boot(routes: any RoutesBuilder) throws {
        routes.get("p", ":slug", use: show)
        routes.post("p", ":slug", use: submit)
    }

    /// The lead form's fields.
    struct LeadForm: Content {
        var firstName: String?
        var lastName: String?
        var email: String?
        var phone: String?
        var zip: String?
        var consent: String?
        var utmSource: String?
        var utmMedium: String?
        var utmCampaign: String?
        var visitorID: String?
        var form: String?

        enum CodingKeys: String, CodingKey {
            case email, phone, zip, consent
            case firstName = "first_name"
            case lastName = "last_name"
            case utmSource = "utm_source"
            case utmMedium = "utm_medium"
            case utmCampaign = "utm_campaign"
            case visitorID = "visitor_id"
            case form = "_form"
        }
    }

    private func publishedPage(_ req: Request) async throws -> (LandingPage, Organization) {
        guard
            let page = try await LandingPage.published(
                slug: req.parameters.get("slug") ?? "", on: req.db),
            let organization = try await Organization.find(page.organizationID, on: req.db)
        else {
            throw Abort(.notFound, reason: "There is no page at this address.")
        }
        return (page, organization)
    }

    func show(req: Request) async throws -> Response {
        let (page, organization) = try await publishedPage(req)
        let query = req.url.query.flatMap { URLComponents(string: "?" + $0)?.queryItems } ?? []
        func utm(_ name: String) -> String {
            String((query.first { $0.name == name }?.value ?? "").prefix(120))
        }
        let form = LeadForm(
            utmSource: utm("utm_source"), utmMedium: utm("utm_medium"),
            utmCampaign: utm("utm_campaign"))
        return try await render(req, page, organization, form: form, errors: [:])
    }

    func submit(req: Request) async throws -> Response {
        let (page, organization) = try await publishedPage(req)
        guard page.hasForm else { throw Abort(.notFound, reason: "This page has no form.") }
        let form = (try? req.content.decode(LeadForm.self)) ?? LeadForm()
        guard
            signer.verifyFormToken(
                form.form ?? "", pageID: try page.requireID(), now: req.now)
        else {
            return try await render(
                req, page, organization, form: form,
                errors: [
                    "form": "This form has expired. Please check your details and send it again."
                ],
                status: .unprocessableEntity)
        }
        do {
            try await LandingLeads(req: req, page: page).submit(form)
            return try await render(
                req, page, organization, form: LeadForm(), errors: [:], thanked: true)
        } catch let failure as ValidationFailure {
            return try await render(
                req, page, organization, form: form, errors: failure.fields,
                status: .unprocessableEntity)
        }
    }

    private func render(
        _ req: Request, _ page: LandingPage, _ organization: Organization, form: LeadForm,
        errors: FieldMessages, status: HTTPStatus = .ok, thanked: Bool = false
    ) async throws -> Response {
        let brand = organization.brand
        let response = try await req.render(
            "landing/public",
            PublicLandingPage(
                title: page.title, path: page.path, bodyHTML: LandingMarkup.html(page.body),
                brand: brand, hasForm: page.hasForm && !thanked, thanked: thanked,
                consentText: page.consentText, hasConsent: !page.consentText.isEmpty,
                hasFieldErrors: !errors.isEmpty && errors["form"] == nil,
                formToken: signer.formToken(pageID: try page.requireID(), issuedAt: req.now),
                values: PublicLandingValues(
                    firstName: form.firstName ?? "", lastName: form.lastName ?? "",
                    email: form.email ?? "", phone: form.phone ?? "", zip: form.zip ?? "",
                    consent: form.consent == "yes", utmSource: form.utmSource ?? "",
                    utmMedium: form.utmMedium ?? "", utmCampaign: form.utmCampaign ?? ""),
                errors: errors,
                year: Calendar(identifier: .gregorian).component(
                    .year, from: req.now)),
            status: status)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

/// A landing page form submission: the lead (created, or an existing one of the organization
/// with the same phone or e-mail with its empty fields filled), the consent with the exact text
/// shown, the `form_submit` event, and the visitor tied to the lead.
struct LandingLeads {
    let req: Request
    let page: LandingPage

    @discardableResult
    func submit(_ form: LandingPublicController.LeadForm) async throws -> Lead {
        let organizationID = page.organizationID
        let now = req.now
        let draft = try draft(from: form)
        let service = LeadService(
            services: req.relief, database: req.db,
            actor: LeadActor(
                organizationID: organizationID, userID: nil,
                audit: AuditActor(kind: .consumer, id: nil, label: "Landing page \(page.path)"),
                origin: req.auditOrigin))
        let userAgent = String((req.headers.first(name: .userAgent) ?? "").prefix(512))
        let consent: ConsentCapture? =
            page.consentText.isEmpty
            ? nil
            : ConsentCapture(
                kind: .tcpaCallsTexts, disclosureText: page.consentText, capturedAt: now,
                source: .webForm, sourceDetail: req.relief.config.baseURL + page.path,
                ip: req.clientIP, userAgent: userAgent)
        let lead: Lead
        if let existing = try await service.duplicates(of: draft).first {
            lead = existing
            var current = try await LeadDrafts.current(of: existing, service: service)
            if current.firstName == nil { current.firstName = draft.firstName }
            if current.lastName == nil { current.lastName = draft.lastName }
            if current.emails.isEmpty { current.emails = draft.emails }
            if current.phones.isEmpty { current.phones = draft.phones }
            if current.zip == nil || current.zip?.isEmpty == true { current.zip = draft.zip }
            if current.source == nil { current.source = draft.source }
            try await service.update(existing, with: current)
            let touch = MarketingTouch(
                source: draft.utmSource, medium: draft.utmMedium, campaign: draft.utmCampaign,
                landingPage: page.path, at: now.formatted(.iso8601))
            let json = String(decoding: try JSONEncoder().encode(touch), as: UTF8.self)
            if existing.firstTouch == "{}" { existing.firstTouch = json }
            existing.lastTouch = json
            try await existing.save(on: req.db)
            if let consent { try await service.recordConsent(consent, for: existing) }
        } else {
            let placement = LeadService.Placement(
                useRules: true, consents: consent.map { [$0] } ?? [],
                origin: "Sent the form on \(page.path)")
            lead = try await service.create(draft, placement: placement)
            let touch = MarketingTouch(
                source: draft.utmSource, medium: draft.utmMedium, campaign: draft.utmCampaign,
                landingPage: page.path, at: now.formatted(.iso8601))
            let json = String(decoding: try JSONEncoder().encode(touch), as: UTF8.self)
            lead.firstTouch = json
            lead.lastTouch = json
            try await lead.save(on: req.db)
        }
        let leadID = try lead.requireID()
        let visitor = form.visitorID.flatMap { LandingAttribution.isVisitorID($0) ? $0 : nil }
        let address = req.clientIP
        await req.application.engagement.record(
            NewEngagementEvent(
                organizationID: organizationID, leadID: leadID, visitorID: visitor,
                event: EngagementEvent(type: .formSubmit, occurredAt: now, pageSlug: page.path),
                ipSealed: address.isEmpty
                    ? nil : try? req.relief.cipher.seal(address, context: "engagement_events.ip"),
                userAgent: userAgent, reasons: []))
        if let visitor {
            try await LandingAttribution.tie(
                visitorID: visitor, to: leadID, organizationID: organizationID,
                application: req.application)
        }
        return lead
    }

    /// The lead draft from the form, or every field's problem.
    private func draft(from form: LandingPublicController.LeadForm) throws -> LeadDraft {
        var problems: FieldMessages = [:]
        func clean(_ value: String?, limit: Int = 100) -> String {
            String((value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
        }
        var draft = LeadDraft()
        let first = PersonName.normalize(clean(form.firstName))
        let last = PersonName.normalize(clean(form.lastName))
        draft.firstName = first.isEmpty ? nil : first
        draft.lastName = last.isEmpty ? nil : last
        if draft.firstName == nil { problems["first_name"] = "Enter your first name." }
        if draft.lastName == nil { problems["last_name"] = "Enter your last name." }
        let email = clean(form.email, limit: 254)
        if !email.isEmpty {
            do {
                draft.emails = [try EmailAddress.normalize(email)]
            } catch {
                problems["email"] = error.message
            }
        }
        let phone = clean(form.phone, limit: 40)
        if !phone.isEmpty {
            do {
                draft.phones = [
                    LeadPhone(number: try PhoneNumber.parse(phone), type: .mobile, isPrimary: true)
                ]
            } catch {
                problems["phone"] = error.message
            }
        }
        if email.isEmpty && phone.isEmpty {
            problems["phone"] = "Enter a phone number or an e-mail address."
        }
        let zip = clean(form.zip, limit: 20)
        if !zip.isEmpty {
            do {
                draft.zip = try ZIPCode.parse(zip)
            } catch {
                problems["zip"] = error.message
            }
        }
        if !page.consentText.isEmpty, form.consent != "yes" {
            problems["consent"] = "Tick the box to agree, so that we may call or text you."
        }
        let source = clean(form.utmSource, limit: 80)
        draft.source = source.isEmpty ? nil : source
        draft.utmSource = draft.source
        let medium = clean(form.utmMedium, limit: 80)
        draft.utmMedium = medium.isEmpty ? nil : medium
        let campaign = clean(form.utmCampaign, limit: 80)
        draft.utmCampaign = campaign.isEmpty ? nil : campaign
        if !problems.isEmpty { throw ValidationFailure(fields: problems) }
        return draft
    }
}

/// `landing/public`: a published page, standalone (no ReliefCRM chrome).
struct PublicLandingPage: Encodable, Sendable {
    var title: String
    var path: String
    /// ``LandingMarkup`` output: escaped text and the few tags it makes.
    var bodyHTML: String
    var brand: Brand
    var hasForm: Bool
    var thanked: Bool
    var consentText: String
    var hasConsent: Bool
    var hasFieldErrors: Bool
    var formToken: String
    var values: PublicLandingValues
    var errors: FieldMessages
    var year: Int
}

/// What the visitor typed (shown again with the errors).
struct PublicLandingValues: Encodable, Sendable {
    var firstName: String
    var lastName: String
    var email: String
    var phone: String
    var zip: String
    var consent: Bool
    var utmSource: String
    var utmMedium: String
    var utmCampaign: String
}
