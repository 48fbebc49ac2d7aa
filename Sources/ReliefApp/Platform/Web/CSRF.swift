import Crypto
import Vapor

/// Cross-site request forgery protection for browser forms. A form token is an HMAC of a
/// binding value under a key derived from the master key: the session id once signed in (or
/// half signed in), else a random pre-session cookie. Every state-changing browser request must
/// echo it as the `_csrf` form field or the `X-CSRF-Token` header.
enum CSRF {
    static let cookieName = "relief_csrf"
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"

    private struct BindingKey: StorageKey {
        typealias Value = String
    }
    private struct NewCookieKey: StorageKey {
        typealias Value = String
    }

    /// The token forms on this request's page must carry.
    static func token(for request: Request) -> String {
        let key = request.relief.keys.key(for: "csrf")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(binding(for: request).utf8), using: key)
        return Base64URL.encode(Data(mac))
    }

    private static func binding(for request: Request) -> String {
        if let session = request.auth.get(Principal.self)?.session
            ?? request.pendingSecondFactorSession, let id = session.id
        {
            return "session:\(id.uuidString)"
        }
        if let value = request.storage[NewCookieKey.self] { return "cookie:\(value)" }
        if let value = request.cookies[cookieName]?.string, !value.isEmpty {
            return "cookie:\(value)"
        }
        let fresh = SecureToken.generate(byteCount: 24)
        request.storage[NewCookieKey.self] = fresh
        return "cookie:\(fresh)"
    }

    /// Checks the token of a state-changing request.
    static func verify(_ request: Request) -> Bool {
        let sent =
            request.headers.first(name: headerName)
            ?? (try? request.content.get(String.self, at: fieldName))
        guard let sent else { return false }
        return SecureToken.constantTimeEquals(sent, token(for: request))
    }

    /// Sets the pre-session cookie when this request created one.
    static func attachCookie(to response: Response, for request: Request) {
        guard let value = request.storage[NewCookieKey.self] else { return }
        response.cookies[cookieName] = HTTPCookies.Value(
            string: value, maxAge: 86_400, path: "/", isSecure: request.relief.config.usesHTTPS,
            isHTTPOnly: true, sameSite: .lax)
    }
}

/// Refuses browser POST/PUT/PATCH/DELETE requests without a valid CSRF token.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            // A form body longer than the first network read arrives as a stream, and the
            // `_csrf` field cannot be read until it is collected (up to the route body limit).
            // Scripts send the header instead and are not collected here.
            // A file upload form on a streaming route (imports) carries the token inside its
            // multipart body: collect that within the upload limit.
            if request.headers.first(name: CSRF.headerName) == nil, request.body.data == nil {
                if request.headers.contentType == .urlEncodedForm {
                    _ = try await request.body.collect(
                        max: request.application.routes.defaultMaxBodySize.value
                    ).get()
                } else if request.headers.contentType?.type == "multipart" {
                    _ = try await request.body.collect(
                        max: request.relief.config.maxImportBytes + 1_048_576
                    ).get()
                }
            }
            guard CSRF.verify(request) else {
                request.logger.notice("refused a form without a valid CSRF token")
                throw Abort(
                    .forbidden,
                    reason:
                        "This form has expired or did not come from ReliefCRM. Reload the page and try again."
                )
            }
        }
        let response = try await next.respond(to: request)
        CSRF.attachCookie(to: response, for: request)
        return response
    }
}
