import Vapor

/// Browser hardening headers on every response, and the request id for support.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
        + "form-action 'self'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        let response = try await next.respond(to: request)
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("X-Request-ID", request.requestID),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if request.url.path.hasPrefix("/app") || request.url.path.hasPrefix("/api") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        if request.relief.config.usesHTTPS {
            response.headers.replaceOrAdd(
                name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}
