import Foundation
import Vapor

/// One-time messages carried across a redirect in a short-lived cookie.
struct FlashMiddleware: AsyncMiddleware {
    static let cookieName = "relief_flash"

    fileprivate struct IncomingKey: StorageKey {
        typealias Value = [Flash]
    }
    fileprivate struct OutgoingKey: StorageKey {
        typealias Value = [Flash]
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        let cookie = request.cookies[Self.cookieName]?.string
        if let cookie, let data = Base64URL.decode(cookie),
            let flashes = try? JSONDecoder().decode([Flash].self, from: data)
        {
            request.storage[IncomingKey.self] = Array(flashes.prefix(5))
        }
        let response = try await next.respond(to: request)
        let secure = request.relief.config.usesHTTPS
        if let outgoing = request.storage[OutgoingKey.self], !outgoing.isEmpty,
            let data = try? JSONEncoder().encode(outgoing)
        {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: Base64URL.encode(data), maxAge: 60, path: "/", isSecure: secure,
                isHTTPOnly: true, sameSite: .lax)
        } else if cookie != nil, request.storage[IncomingKey.self]?.isEmpty == false,
            response.status != .seeOther, response.status != .found
        {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}

extension Request {
    /// Queues a message for the next page.
    func flash(_ kind: Flash.Kind, _ message: String) {
        var outgoing = storage[FlashMiddleware.OutgoingKey.self] ?? []
        outgoing.append(Flash(kind: kind, message: message))
        storage[FlashMiddleware.OutgoingKey.self] = outgoing
    }

    /// Messages to show on this page (consumed when rendered).
    var incomingFlashes: [Flash] { storage[FlashMiddleware.IncomingKey.self] ?? [] }
}
