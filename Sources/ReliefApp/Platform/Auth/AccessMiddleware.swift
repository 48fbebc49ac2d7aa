import Fluent
import ReliefCore
import Vapor

/// Enforces each route's declared ``RouteAccess``. Routes that declared nothing are refused
/// (fail closed). Denials are audited. Browser requests without a session are sent to the
/// sign-in page; API requests get 401.
struct AccessMiddleware: AsyncMiddleware {
    enum Surface: Sendable { case web, api }
    let surface: Surface

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        guard let route = request.route, let access = route.declaredAccess else {
            request.logger.error("route declares no access rule; refusing")
            throw Abort(.forbidden, reason: "This page is not available.")
        }
        guard case .requires(let permission) = access else {
            return try await next.respond(to: request)
        }
        guard let principal = request.auth.get(Principal.self) else {
            if surface == .web, request.method == .GET {
                let target = request.url.string
                let next = target.hasPrefix("/app") ? "?next=\(target.percentEncodedForQuery)" : ""
                return request.redirect(to: "/login\(next)", redirectType: .normal)
            }
            throw Abort(.unauthorized, reason: "Sign in first.")
        }
        if surface == .web, principal.organization.requireTwoFactor,
            !principal.user.twoFactorEnabled, !route.isAllowedBeforeTwoFactorSetup
        {
            request.flash(
                .info, "Your organization requires two-factor sign-in. Set it up to continue.")
            return request.redirect(to: "/app/account/2fa", redirectType: .normal)
        }
        guard principal.can(permission) else {
            try await request.audit(
                "access.denied", entityType: "route", entityID: route.description,
                changes: AuditDiff.details(["permission": permission.rawValue]))
            throw Abort(.forbidden, reason: "You do not have permission to do this.")
        }
        return try await next.respond(to: request)
    }
}

extension String {
    /// This string escaped for use as one query parameter value.
    var percentEncodedForQuery: String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
