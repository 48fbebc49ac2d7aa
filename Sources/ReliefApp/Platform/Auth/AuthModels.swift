import Fluent
import Vapor

/// A signed-in browser. The cookie holds a random token; the row keeps its SHA-256 digest.
final class UserSession: Model, TenantScoped, @unchecked Sendable {
    static let schema = "user_sessions"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_digest") var tokenDigest: String
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "ip") var ip: String
    @Field(key: "user_agent") var userAgent: String
    /// True between the password step and the two-factor step of sign-in.
    @Field(key: "awaiting_second_factor") var awaitingSecondFactor: Bool
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(
        organizationID: UUID, userID: UUID, tokenDigest: String, now: Date, expiresAt: Date,
        ip: String, userAgent: String, awaitingSecondFactor: Bool
    ) {
        self.organizationID = organizationID
        self.userID = userID
        self.tokenDigest = tokenDigest
        self.lastSeenAt = now
        self.expiresAt = expiresAt
        self.ip = ip
        self.userAgent = userAgent
        self.awaitingSecondFactor = awaitingSecondFactor
    }

    static func scoped(_ query: QueryBuilder<UserSession>, to organizationID: UUID)
        -> QueryBuilder<UserSession>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A personal API key for integrations: `rk_<prefix>_<secret>`. The prefix is public and
/// indexed; only the digest of the whole key is stored. Scopes narrow the owner's role.
final class ApiKey: Model, TenantScoped, @unchecked Sendable {
    static let schema = "api_keys"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "prefix") var prefix: String
    @Field(key: "key_digest") var keyDigest: String
    @Field(key: "scopes") var scopes: [String]
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(
        organizationID: UUID, userID: UUID, name: String, prefix: String, keyDigest: String,
        scopes: [String]
    ) {
        self.organizationID = organizationID
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.keyDigest = keyDigest
        self.scopes = scopes
    }

    static func scoped(_ query: QueryBuilder<ApiKey>, to organizationID: UUID)
        -> QueryBuilder<ApiKey>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// An API refresh token. Each use rotates it; reusing a spent token revokes its whole family
/// (a sign of theft).
final class RefreshToken: Model, TenantScoped, @unchecked Sendable {
    static let schema = "refresh_tokens"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_digest") var tokenDigest: String
    @Field(key: "family_id") var familyID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(organizationID: UUID, userID: UUID, tokenDigest: String, familyID: UUID, expiresAt: Date) {
        self.organizationID = organizationID
        self.userID = userID
        self.tokenDigest = tokenDigest
        self.familyID = familyID
        self.expiresAt = expiresAt
    }

    static func scoped(_ query: QueryBuilder<RefreshToken>, to organizationID: UUID)
        -> QueryBuilder<RefreshToken>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A one-time two-factor recovery code (digest only).
final class RecoveryCode: Model, TenantScoped, @unchecked Sendable {
    static let schema = "recovery_codes"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "code_digest") var codeDigest: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(organizationID: UUID, userID: UUID, codeDigest: String) {
        self.organizationID = organizationID
        self.userID = userID
        self.codeDigest = codeDigest
    }

    static func scoped(_ query: QueryBuilder<RecoveryCode>, to organizationID: UUID)
        -> QueryBuilder<RecoveryCode>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A single-use link token: password reset (1 hour) or invitation (7 days).
final class OneTimeToken: Model, TenantScoped, @unchecked Sendable {
    static let schema = "one_time_tokens"

    enum Purpose: String, Codable, Sendable {
        case passwordReset = "password_reset"
        case invitation
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Enum(key: "purpose") var purpose: Purpose
    @Field(key: "token_digest") var tokenDigest: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(
        organizationID: UUID, userID: UUID, purpose: Purpose, tokenDigest: String, expiresAt: Date
    ) {
        self.organizationID = organizationID
        self.userID = userID
        self.purpose = purpose
        self.tokenDigest = tokenDigest
        self.expiresAt = expiresAt
    }

    static func scoped(_ query: QueryBuilder<OneTimeToken>, to organizationID: UUID)
        -> QueryBuilder<OneTimeToken>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// One sign-in attempt, kept for lockout and rate limiting. Not tenant-scoped: the e-mail
/// may belong to no account.
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "email") var email: String
    @Field(key: "ip") var ip: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "attempted_at") var attemptedAt: Date

    init() {}

    init(email: String, ip: String, succeeded: Bool, attemptedAt: Date) {
        self.email = email
        self.ip = ip
        self.succeeded = succeeded
        self.attemptedAt = attemptedAt
    }
}
