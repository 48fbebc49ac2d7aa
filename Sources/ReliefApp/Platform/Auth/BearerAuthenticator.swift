import Fluent
import JWT
import ReliefCore
import Vapor

/// The claims of an API access token.
struct AccessTokenPayload: JWTPayload {
    var sub: SubjectClaim
    var org: String
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var typ: String

    /// Checks the token type; expiry is checked by ``BearerAuthenticator`` against the
    /// application's clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard typ == "access" else {
            throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not an access token")
        }
    }
}

/// Signs in API requests from `Authorization: Bearer`: either a short-lived JWT access token
/// or a personal API key (`rk_<prefix>_<secret>`).
struct BearerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        if let bearer = request.headers.bearerAuthorization?.token {
            if let principal = try await authenticate(bearer, on: request) {
                request.auth.login(principal)
            } else {
                request.logger.notice("rejected bearer credentials")
            }
        }
        return try await next.respond(to: request)
    }

    private func authenticate(_ token: String, on request: Request) async throws -> Principal? {
        if token.hasPrefix("rk_") { return try await apiKey(token, on: request) }
        guard
            let payload = try? await request.relief.tokenSigner.verify(
                token, as: AccessTokenPayload.self),
            (try? payload.exp.verifyNotExpired(currentDate: request.now)) != nil,
            let userID = UUID(uuidString: payload.sub.value),
            let organizationID = UUID(uuidString: payload.org),
            let (user, organization) = try await Principal.activeMember(
                userID: userID, organizationID: organizationID, on: request.db)
        else { return nil }
        return Principal(
            user: user, organization: organization, method: .accessToken,
            permissions: PermissionMatrix.permissions(for: user.role))
    }

    private func apiKey(_ token: String, on request: Request) async throws -> Principal? {
        let parts = token.split(separator: "_", maxSplits: 2)
        guard parts.count == 3,
            let key = try await ApiKey.query(on: request.db)
                .filter(\.$prefix == String(parts[1]))
                .filter(\.$revokedAt == nil)
                .first(),
            SecureToken.constantTimeEquals(key.keyDigest, SecureToken.digest(token)),
            let (user, organization) = try await Principal.activeMember(
                userID: key.userID, organizationID: key.organizationID, on: request.db)
        else { return nil }
        if key.lastUsedAt.map({ request.now.timeIntervalSince($0) > 60 }) ?? true {
            key.lastUsedAt = request.now
            try await key.save(on: request.db)
        }
        let scopes = Set(key.scopes.compactMap(Permission.init(rawValue:)))
        return Principal(
            user: user, organization: organization, method: .apiKey(key),
            permissions: PermissionMatrix.permissions(for: user.role).intersection(scopes))
    }
}
