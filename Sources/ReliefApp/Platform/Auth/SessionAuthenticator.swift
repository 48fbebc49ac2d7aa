import Fluent
import ReliefCore
import Vapor

/// Cookie names and the helpers that start and end browser sessions.
enum WebSession {
    static let cookieName = "relief_session"

    /// Starts a session for `user` and returns the cookie token (shown once, stored hashed).
    static func start(
        for user: User, awaitingSecondFactor: Bool, on request: Request
    ) async throws -> (UserSession, String) {
        let token = SecureToken.generate()
        let now = request.now
        let session = UserSession(
            organizationID: user.organizationID, userID: try user.requireID,
            tokenDigest: SecureToken.digest(token), now: now,
            expiresAt: now.addingTimeInterval(request.relief.config.sessionLifetime),
            ip: request.clientIP,
            userAgent: String((request.headers.first(name: .userAgent) ?? "").prefix(300)),
            awaitingSecondFactor: awaitingSecondFactor)
        try await session.create(on: request.db)
        return (session, token)
    }

    /// The session cookie carrying `token`.
    static func cookie(_ token: String, request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, expires: nil, maxAge: Int(request.relief.config.sessionLifetime),
            path: "/", isSecure: request.relief.config.usesHTTPS, isHTTPOnly: true,
            sameSite: .lax)
    }

    /// A cookie that deletes the session cookie.
    static func expiredCookie(request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            isSecure: request.relief.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
    }

    /// The live session row for a cookie token, if any.
    static func find(token: String, on request: Request) async throws -> UserSession? {
        let now = request.now
        guard
            let session = try await UserSession.query(on: request.db)
                .filter(\.$tokenDigest == SecureToken.digest(token))
                .filter(\.$revokedAt == nil)
                .first(),
            session.expiresAt > now,
            session.lastSeenAt.addingTimeInterval(request.relief.config.sessionIdleTimeout) > now
        else { return nil }
        return session
    }
}

extension Request {
    private struct PendingSessionKey: StorageKey {
        typealias Value = UserSession
    }

    /// A session that passed the password step and waits for the second factor.
    var pendingSecondFactorSession: UserSession? {
        get { storage[PendingSessionKey.self] }
        set { storage[PendingSessionKey.self] = newValue }
    }
}

/// Signs in browser requests from the session cookie. A session waiting for its second factor
/// is kept aside (``Request/pendingSecondFactorSession``) and does not sign the request in.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        if let token = request.cookies[WebSession.cookieName]?.string, !token.isEmpty,
            let session = try await WebSession.find(token: token, on: request),
            let (user, organization) = try await Principal.activeMember(
                userID: session.userID, organizationID: session.organizationID, on: request.db)
        {
            if session.awaitingSecondFactor {
                request.pendingSecondFactorSession = session
            } else {
                request.auth.login(
                    Principal(
                        user: user, organization: organization, method: .session(session),
                        permissions: PermissionMatrix.permissions(for: user.role)))
                if request.now.timeIntervalSince(session.lastSeenAt) > 60 {
                    session.lastSeenAt = request.now
                    try await session.save(on: request.db)
                }
            }
        }
        return try await next.respond(to: request)
    }
}
