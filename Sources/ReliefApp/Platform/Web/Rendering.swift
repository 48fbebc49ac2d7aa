import Fluent
import ReliefCore
import Vapor

extension Request {
    /// The layout context for a page, built for the signed-in principal (or a public page).
    func pageContext(title: String, section: String) -> PageContext {
        let principal = auth.get(Principal.self)
        let user = principal.map {
            UserBadge(
                id: $0.userID.uuidString, name: $0.user.name, email: $0.user.email,
                role: $0.user.role.rawValue, roleLabel: $0.user.role.label,
                initials: $0.user.initials)
        }
        return PageContext(
            title: title, section: section, csrf: CSRF.token(for: self),
            theme: principal?.user.theme ?? "system",
            user: user, brand: principal?.organization.brand ?? .reliefDefault,
            nav: principal.map { principal in
                Navigation.build(activeKey: section, can: principal.can)
            } ?? [],
            flashes: incomingFlashes, requestID: requestID)
    }

    /// Renders a Leaf template with a typed context.
    func render(_ template: String, _ context: some Encodable & Sendable, status: HTTPStatus = .ok)
        async throws -> Response
    {
        let view = try await view.render(template, context)
        let response = try await view.encodeResponse(for: self)
        response.status = status
        return response
    }

    /// A 303 redirect after a form post, with an optional flash message.
    func redirectAfterPost(to path: String, flash: (Flash.Kind, String)? = nil) -> Response {
        if let flash { self.flash(flash.0, flash.1) }
        return redirect(to: path, redirectType: .normal)
    }

    /// The request id from the logger metadata (Vapor assigns one per request).
    var requestID: String {
        if case .string(let id) = logger[metadataKey: "request-id"] { return id }
        return ""
    }
}

/// Formats dates for pages in the organization's time zone.
enum DisplayDate {
    /// `instant` as the wall clock in `zone` reads it ("Wed 12:00 PM EST"); empty for an unknown
    /// zone. For a consumer's local time on lead pages and the call list.
    static func localTime(_ instant: Date, zone: String?) -> String {
        localTimeFormatter(zone: zone)?.string(from: instant) ?? ""
    }

    /// The formatter behind ``localTime(_:zone:)``, for callers formatting many instants.
    static func localTimeFormatter(zone: String?) -> DateFormatter? {
        guard let zone, let timeZone = TimeZone(identifier: zone) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE h:mm a zzz"
        return formatter
    }

    static func string(_ date: Date?, timeZone: String) -> String {
        guard let date else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
