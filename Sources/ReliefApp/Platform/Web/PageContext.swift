import Foundation

/// What every full page hands the layout template (`Resources/Views/layout.leaf`): title,
/// navigation, the signed-in user, branding, flash messages, the CSRF token and the theme.
/// Page contexts embed it as `page`.
struct PageContext: Encodable, Sendable {
    /// The `<title>` and the page heading.
    var title: String
    /// The key of the active navigation item (see ``Navigation``).
    var section: String
    /// CSRF token for every form on the page (hidden input `_csrf`) and for `fetch` calls
    /// (header `X-CSRF-Token`).
    var csrf: String
    /// `system`, `light` or `dark`; the layout puts it in `<html data-theme>`.
    var theme: String
    /// The signed-in staff member, nil on public pages (login, password reset, errors).
    var user: UserBadge?
    /// Branding of the organization (or of ReliefCRM on public pages).
    var brand: Brand
    /// Grouped navigation; empty on public pages.
    var nav: [NavGroup]
    /// Messages from the previous request (after a redirect).
    var flashes: [Flash]
    /// Correlates what the user sees with the server logs.
    var requestID: String
}

/// The signed-in user as the header shows them.
struct UserBadge: Encodable, Sendable {
    var id: String
    var name: String
    var email: String
    var role: String
    var roleLabel: String
    var initials: String
}

/// White-label branding shown in the header and on public pages.
struct Brand: Encodable, Sendable {
    var displayName: String
    var logoURL: String?
    /// A CSS colour (`#1f6feb`), validated on save; the layout sets `--brand` from it.
    var primaryColor: String

    static let reliefDefault = Brand(
        displayName: "ReliefCRM", logoURL: nil, primaryColor: "#2563eb")
}

/// A navigation group ("Sales", "Outreach", ...).
struct NavGroup: Encodable, Sendable {
    var title: String
    var items: [NavItem]
}

/// One navigation link. `soon` marks areas that are not built yet (they lead to an honest
/// "coming soon" page).
struct NavItem: Encodable, Sendable {
    var key: String
    var label: String
    var href: String
    var icon: String
    var active: Bool
    var soon: Bool
}

/// A one-time message shown at the top of the next page.
struct Flash: Codable, Sendable {
    enum Kind: String, Codable, Sendable { case success, error, info }
    var kind: Kind
    var message: String
}

/// A form field error map: field name -> message, shown beside each input.
typealias FieldMessages = [String: String]
