import Fluent
import ReliefCore
import Vapor

/// Validating and saving organization settings, shared by the web page and the API.
enum OrganizationSettings {
    static func form(of org: Organization) -> OrganizationForm {
        OrganizationForm(
            name: org.name, displayName: org.displayName, timeZone: org.timeZone,
            addressLine1: org.addressLine1, addressLine2: org.addressLine2, city: org.city,
            state: org.state, postalCode: org.postalCode, country: org.country,
            logoURL: org.logoURL ?? "", primaryColor: org.primaryColor,
            customHost: org.customHost ?? "", requireTwoFactor: org.requireTwoFactor,
            agentVisibility: org.agentVisibility)
    }

    /// US time zones offered first; any IANA zone is accepted.
    static let commonTimeZones = [
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
        "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico",
    ]

    static func save(_ form: OrganizationForm, to org: Organization, on req: Request) async throws {
        var check = FieldCheck()
        func clean(_ value: String) -> String { value.trimmingCharacters(in: .whitespaces) }
        check.require(
            !clean(form.name).isEmpty && form.name.count <= 120, "name", "Enter the company name.")
        check.require(
            form.displayName.count <= 120, "display_name",
            "Keep the display name under 120 characters.")
        check.require(
            TimeZone(identifier: form.timeZone) != nil, "time_zone",
            "Choose a time zone such as America/New_York.")
        check.require(
            clean(form.state).isEmpty || USState.isValid(clean(form.state)), "state",
            "Use a two-letter state code.")
        let zip = clean(form.postalCode)
        check.require(
            zip.isEmpty || zip.range(of: #"^\d{5}(-\d{4})?$"#, options: .regularExpression) != nil,
            "postal_code", "Use a ZIP code like 10001 or 10001-1234.")
        check.require(
            form.primaryColor.range(of: #"^#[0-9a-fA-F]{6}$"#, options: .regularExpression) != nil,
            "primary_color", "Use a colour like #2563eb.")
        let logo = clean(form.logoURL)
        check.require(
            logo.isEmpty || logo.hasPrefix("https://") || logo.hasPrefix("/"), "logo_url",
            "Use an https:// address or a path on this site.")
        let host = clean(form.customHost).lowercased()
        check.require(
            host.isEmpty
                || host.range(
                    of: #"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$"#,
                    options: .regularExpression) != nil,
            "custom_host", "Use a host name like crm.example.com.")
        if !host.isEmpty,
            let other = try await Organization.query(on: req.db).filter(\.$customHost == host)
                .first(), other.id != org.id
        {
            check.fail("custom_host", "Another organization uses this host name.")
        }
        check.require(
            AgentVisibility(rawValue: form.agentVisibility) != nil, "agent_visibility",
            "Choose who agents see.")
        try check.throwIfFailed()

        var diff = AuditDiff()
        let before = self.form(of: org)
        org.name = clean(form.name)
        org.displayName = clean(form.displayName).isEmpty ? org.name : clean(form.displayName)
        org.timeZone = form.timeZone
        org.addressLine1 = clean(form.addressLine1)
        org.addressLine2 = clean(form.addressLine2)
        org.city = clean(form.city)
        org.state = clean(form.state).uppercased()
        org.postalCode = zip
        org.country = clean(form.country).isEmpty ? "US" : clean(form.country).uppercased()
        org.logoURL = logo.isEmpty ? nil : logo
        org.primaryColor = form.primaryColor.lowercased()
        org.customHost = host.isEmpty ? nil : host
        org.requireTwoFactor = form.requireTwoFactor
        org.agentVisibility = form.agentVisibility
        let after = self.form(of: org)
        let pairs: [(String, String, String)] = [
            ("name", before.name, after.name),
            ("display_name", before.displayName, after.displayName),
            ("time_zone", before.timeZone, after.timeZone),
            ("address_line1", before.addressLine1, after.addressLine1),
            ("address_line2", before.addressLine2, after.addressLine2),
            ("city", before.city, after.city),
            ("state", before.state, after.state),
            ("postal_code", before.postalCode, after.postalCode),
            ("country", before.country, after.country), ("logo_url", before.logoURL, after.logoURL),
            ("primary_color", before.primaryColor, after.primaryColor),
            ("custom_host", before.customHost, after.customHost),
            ("require_two_factor", String(before.requireTwoFactor), String(after.requireTwoFactor)),
            ("agent_visibility", before.agentVisibility, after.agentVisibility),
        ]
        for (name, old, new) in pairs { diff.field(name, from: old, to: new) }
        try await org.save(on: req.db)
        if !diff.isEmpty {
            try await req.audit(
                "organization.updated", entityType: "organization", entityID: org.id?.uuidString,
                changes: diff.json)
        }
    }
}

/// `/app/admin/organization`.
struct OrganizationWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "organization", use: show).access(.requires(.organizationRead))
        routes.post("admin", "organization", use: update).access(.requires(.organizationManage))
        routes.get("admin", "roles", use: roles).access(.requires(.usersRead))
    }

    struct WebForm: Content {
        var name: String?
        var displayName: String?
        var timeZone: String?
        var addressLine1: String?
        var addressLine2: String?
        var city: String?
        var state: String?
        var postalCode: String?
        var country: String?
        var logoURL: String?
        var primaryColor: String?
        var customHost: String?
        var requireTwoFactor: String?
        var agentVisibility: String?

        enum CodingKeys: String, CodingKey {
            case name, city, state, country
            case displayName = "display_name"
            case timeZone = "time_zone"
            case addressLine1 = "address_line1"
            case addressLine2 = "address_line2"
            case postalCode = "postal_code"
            case logoURL = "logo_url"
            case primaryColor = "primary_color"
            case customHost = "custom_host"
            case requireTwoFactor = "require_two_factor"
            case agentVisibility = "agent_visibility"
        }

        var settings: OrganizationForm {
            OrganizationForm(
                name: name ?? "", displayName: displayName ?? "", timeZone: timeZone ?? "",
                addressLine1: addressLine1 ?? "", addressLine2: addressLine2 ?? "",
                city: city ?? "",
                state: state ?? "", postalCode: postalCode ?? "", country: country ?? "",
                logoURL: logoURL ?? "", primaryColor: primaryColor ?? "",
                customHost: customHost ?? "",
                requireTwoFactor: ["on", "true", "1"].contains(requireTwoFactor ?? ""),
                agentVisibility: agentVisibility ?? "")
        }
    }

    private func render(
        _ req: Request, form: OrganizationForm, errors: FieldMessages, status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        var zones = OrganizationSettings.commonTimeZones
        if !zones.contains(form.timeZone) { zones.append(form.timeZone) }
        return try await req.render(
            "admin/organization",
            OrganizationPage(
                page: req.pageContext(title: "Organization", section: "organization"),
                slug: principal.organization.slug, form: form,
                timeZones: zones.map {
                    SelectOption(
                        value: $0, label: $0.replacingOccurrences(of: "_", with: " "),
                        selected: $0 == form.timeZone)
                },
                visibilities: AgentVisibility.allCases.map {
                    SelectOption(
                        value: $0.rawValue, label: $0.label,
                        selected: $0.rawValue == form.agentVisibility)
                },
                errors: errors, canManage: principal.can(.organizationManage)),
            status: status)
    }

    func show(req: Request) async throws -> Response {
        try await render(
            req, form: OrganizationSettings.form(of: req.principal.organization), errors: [:])
    }

    func update(req: Request) async throws -> Response {
        let form = try req.content.decode(WebForm.self).settings
        do {
            try await OrganizationSettings.save(form, to: req.principal.organization, on: req)
            return req.redirectAfterPost(
                to: "/app/admin/organization", flash: (.success, "Organization settings saved."))
        } catch let failure as ValidationFailure {
            return try await render(
                req, form: form, errors: failure.fields, status: .unprocessableEntity)
        }
    }

    func roles(req: Request) async throws -> Response {
        let roles = Role.allCases
        let rows = Permission.allCases.map { permission in
            PermissionMatrixRow(
                permission: permission.rawValue, summary: permission.summary,
                cells: roles.map { PermissionMatrix.allows($0, permission) })
        }
        return try await req.render(
            "admin/roles",
            RolesPage(
                page: req.pageContext(title: "Roles and permissions", section: "roles"),
                roles: roles.map(\.label), rows: rows))
    }
}

/// `GET/PATCH /api/v1/organization`.
struct OrganizationAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("organization", use: show).access(.requires(.organizationRead))
        routes.patch("organization", use: update).access(.requires(.organizationManage))
    }

    struct OrganizationDTO: Content {
        var id: UUID
        var slug: String
        var settings: OrganizationForm
    }

    func show(req: Request) async throws -> OrganizationDTO {
        let org = try req.principal.organization
        return OrganizationDTO(
            id: try org.requireID, slug: org.slug, settings: OrganizationSettings.form(of: org))
    }

    /// Accepts any subset of the settings (camelCase keys as returned by GET).
    func update(req: Request) async throws -> OrganizationDTO {
        let org = try req.principal.organization
        let current = try JSONEncoder().encode(OrganizationSettings.form(of: org))
        var merged = (try JSONSerialization.jsonObject(with: current) as? [String: Any]) ?? [:]
        guard
            let patch = try? JSONSerialization.jsonObject(
                with: Data(buffer: req.body.data ?? ByteBuffer())) as? [String: Any]
        else { throw ValidationFailure(fields: ["body": "must be a JSON object"]) }
        let unknown = patch.keys.filter { merged[$0] == nil }
        if !unknown.isEmpty {
            throw ValidationFailure(
                fields: Dictionary(uniqueKeysWithValues: unknown.map { ($0, "is not a setting") }))
        }
        merged.merge(patch) { _, new in new }
        let form = try JSONDecoder().decode(
            OrganizationForm.self, from: JSONSerialization.data(withJSONObject: merged))
        try await OrganizationSettings.save(form, to: org, on: req)
        return try await show(req: req)
    }
}
