import Fluent
import JWT
import ReliefCore
import Vapor

/// API authentication: access tokens (JWT), refresh tokens, and `GET /api/v1/me`.
struct TokenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("auth", "token", use: issue).access(.open)
        routes.post("auth", "refresh", use: refresh).access(.open)
        routes.post("auth", "revoke", use: revoke).access(.open)
        routes.get("me", use: me).access(.requires(.signedIn))
    }

    struct TokenRequest: Content {
        var email: String
        var password: String
        var totp: String?
    }

    struct TokenResponse: Content {
        var accessToken: String
        var tokenType: String
        var expiresIn: Int
        var refreshToken: String

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case refreshToken = "refresh_token"
        }
    }

    func issue(req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(TokenRequest.self)
        let user: User
        do {
            user = try await SignIn.verifyPassword(
                email: body.email, password: body.password, on: req)
        } catch let failure as SignIn.Failure {
            throw failure.abort
        }
        if user.twoFactorEnabled {
            guard let code = body.totp, !code.isEmpty else {
                throw ValidationFailure(fields: [
                    "totp": "is required: this account uses two-factor sign-in"
                ])
            }
            guard try await SecondFactor.verify(code, for: user, on: req) != nil else {
                try await SignIn.secondFactorFailed(user, on: req)
                throw Abort(.unauthorized, reason: "The two-factor code is not valid.")
            }
        } else if let organization = try await Organization.find(user.organizationID, on: req.db),
            organization.requireTwoFactor
        {
            throw Abort(
                .forbidden,
                reason:
                    "Your organization requires two-factor sign-in: set it up in the web app first."
            )
        }
        try await SignIn.completed(
            user, method: user.twoFactorEnabled ? "api+totp" : "api", on: req)
        return try await tokens(for: user, family: UUID(), on: req)
    }

    private func tokens(for user: User, family: UUID, on req: Request) async throws -> TokenResponse
    {
        let lifetime = req.relief.config.accessTokenLifetime
        let payload = AccessTokenPayload(
            sub: SubjectClaim(value: try user.requireID.uuidString),
            org: user.organizationID.uuidString,
            exp: ExpirationClaim(value: req.now.addingTimeInterval(lifetime)),
            iat: IssuedAtClaim(value: req.now), typ: "access")
        let access = try await req.relief.tokenSigner.sign(payload)
        let refresh = SecureToken.generate()
        try await RefreshToken(
            organizationID: user.organizationID, userID: try user.requireID,
            tokenDigest: SecureToken.digest(refresh), familyID: family,
            expiresAt: req.now.addingTimeInterval(req.relief.config.refreshTokenLifetime)
        ).create(on: req.db)
        return TokenResponse(
            accessToken: access, tokenType: "Bearer", expiresIn: Int(lifetime),
            refreshToken: refresh)
    }

    struct RefreshRequest: Content {
        var refreshToken: String

        enum CodingKeys: String, CodingKey {
            case refreshToken = "refresh_token"
        }
    }

    /// Rotates a refresh token. Presenting a spent token revokes its whole family.
    func refresh(req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(RefreshRequest.self)
        guard
            let stored = try await RefreshToken.query(on: req.db)
                .filter(\.$tokenDigest == SecureToken.digest(body.refreshToken)).first()
        else { throw Abort(.unauthorized, reason: "The refresh token is not valid.") }
        if stored.usedAt != nil || stored.revokedAt != nil {
            try await RefreshToken.query(in: stored.organizationID, on: req.db)
                .filter(\.$familyID == stored.familyID).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: req.now).update()
            if let user = try await User.find(stored.userID, in: stored.organizationID, on: req.db)
            {
                try await SignIn.record(user, "auth.refresh_token.reused", on: req)
            }
            throw Abort(.unauthorized, reason: "The refresh token was already used; sign in again.")
        }
        guard stored.expiresAt > req.now,
            let user = try await User.find(stored.userID, in: stored.organizationID, on: req.db),
            user.isActive
        else { throw Abort(.unauthorized, reason: "The refresh token has expired; sign in again.") }
        stored.usedAt = req.now
        try await stored.save(on: req.db)
        return try await tokens(for: user, family: stored.familyID, on: req)
    }

    func revoke(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(RefreshRequest.self)
        if let stored = try await RefreshToken.query(on: req.db)
            .filter(\.$tokenDigest == SecureToken.digest(body.refreshToken)).first()
        {
            try await RefreshToken.query(in: stored.organizationID, on: req.db)
                .filter(\.$familyID == stored.familyID).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: req.now).update()
        }
        return .noContent
    }

    struct MeResponse: Content {
        struct OrganizationSummary: Content {
            var id: UUID
            var name: String
            var slug: String
        }
        var id: UUID
        var email: String
        var name: String
        var role: String
        var permissions: [String]
        var organization: OrganizationSummary
    }

    func me(req: Request) async throws -> MeResponse {
        let principal = try req.principal
        return MeResponse(
            id: principal.userID, email: principal.user.email, name: principal.user.name,
            role: principal.user.role.rawValue,
            permissions: principal.permissions.map(\.rawValue).sorted(),
            organization: .init(
                id: principal.organizationID, name: principal.organization.name,
                slug: principal.organization.slug))
    }
}

/// `GET/POST /api/v1/api-keys`, `DELETE /api/v1/api-keys/{id}`: the caller's own keys.
struct ApiKeysAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("api-keys", use: list).access(.requires(.signedIn))
        routes.post("api-keys", use: create).access(.requires(.signedIn))
        routes.delete("api-keys", ":id", use: revoke).access(.requires(.signedIn))
    }

    struct ApiKeyDTO: Content {
        var id: UUID?
        var name: String
        var prefix: String
        var scopes: [String]
        var createdAt: Date?
        var lastUsedAt: Date?
        var revokedAt: Date?
        /// The full key, present only in the response that created it.
        var key: String?

        init(_ key: ApiKey, secret: String? = nil) {
            id = key.id
            name = key.name
            prefix = key.prefix
            scopes = key.scopes
            createdAt = key.createdAt
            lastUsedAt = key.lastUsedAt
            revokedAt = key.revokedAt
            self.key = secret
        }

        enum CodingKeys: String, CodingKey {
            case id, name, prefix, scopes, key
            case createdAt = "created_at"
            case lastUsedAt = "last_used_at"
            case revokedAt = "revoked_at"
        }
    }

    struct CreateRequest: Content {
        var name: String
        var scopes: [String]
    }

    func list(req: Request) async throws -> [ApiKeyDTO] {
        try await ApiKeys.list(for: req.principal, on: req.db).map { ApiKeyDTO($0) }
    }

    func create(req: Request) async throws -> Response {
        guard case .some(let principal) = req.auth.get(Principal.self),
            case .apiKey = principal.method
        else {
            let body = try req.content.decode(CreateRequest.self)
            let (key, secret) = try await ApiKeys.create(
                name: body.name, scopes: body.scopes, on: req)
            return try await ApiKeyDTO(key, secret: secret).encodeResponse(
                status: .created, for: req)
        }
        throw Abort(
            .forbidden,
            reason: "API keys cannot create API keys; use a signed-in session or access token.")
    }

    func revoke(req: Request) async throws -> HTTPStatus {
        try await ApiKeys.revoke(req.parameters.get("id", as: UUID.self), on: req)
        return .noContent
    }
}
