import Foundation

/// `accounts/login.leaf`: email + password form posting to `/login`.
struct LoginPage: Encodable, Sendable {
    var page: PageContext
    var email: String
    var next: String
    var error: String?
}

/// `accounts/two-factor-challenge.leaf`: the second step of sign-in, posting `code` to
/// `/login/2fa` (a 6-digit TOTP code or a recovery code).
struct TwoFactorChallengePage: Encodable, Sendable {
    var page: PageContext
    var error: String?
}

/// `accounts/forgot-password.leaf`: asks for an email, posts to `/password/forgot`.
struct ForgotPasswordPage: Encodable, Sendable {
    var page: PageContext
    var email: String
    var sent: Bool
}

/// `accounts/reset-password.leaf`: choose a new password for a reset or invitation link,
/// posting `password` and `password_confirmation` to `/password/reset/{token}`.
struct ResetPasswordPage: Encodable, Sendable {
    var page: PageContext
    var token: String
    var email: String
    /// `reset` or `invite` (the heading and button text differ).
    var purpose: String
    var errors: FieldMessages
}

/// `accounts/account.leaf`: profile (name, languages) posting to `/app/account`, theme choice
/// posting `theme` to `/app/account/theme`, and password change posting `current_password`,
/// `new_password`, `new_password_confirmation` to `/app/account/password`.
struct AccountPage: Encodable, Sendable {
    var page: PageContext
    var name: String
    var email: String
    var languages: String
    var roleLabel: String
    var themes: [SelectOption]
    var twoFactorEnabled: Bool
    var profileErrors: FieldMessages
    var passwordErrors: FieldMessages
}

/// `accounts/sessions.leaf`: the user's signed-in browsers. Each row has a revoke form posting
/// to `/app/account/sessions/{id}/revoke`; one form posts to
/// `/app/account/sessions/revoke-others`.
struct SessionsPage: Encodable, Sendable {
    var page: PageContext
    var sessions: [SessionRow]
}

struct SessionRow: Encodable, Sendable {
    var id: String
    var current: Bool
    var ip: String
    var userAgent: String
    var createdAt: String
    var lastSeenAt: String
}

/// `accounts/two-factor.leaf`. When `enabled` is false it shows the secret, the `otpauth://`
/// URI and the QR code (`qrSVG`, inline SVG, may be nil) and a form posting `code` to
/// `/app/account/2fa/enable`. When enabled it shows the remaining recovery codes count, a form
/// posting `password` + `code` to `/app/account/2fa/disable` (hidden when `required`), and a
/// form posting `password` to `/app/account/2fa/recovery-codes` to make new codes.
struct TwoFactorPage: Encodable, Sendable {
    var page: PageContext
    var enabled: Bool
    var required: Bool
    var secret: String?
    var otpauthURI: String?
    var qrSVG: String?
    var recoveryCodesRemaining: Int
    var error: String?
}

/// `accounts/recovery-codes.leaf`: the 10 new recovery codes, shown once.
struct RecoveryCodesPage: Encodable, Sendable {
    var page: PageContext
    var codes: [String]
}

/// `accounts/api-keys.leaf`: personal API keys. A form posts `name` and `scopes[]`
/// (checkboxes) to `/app/account/api-keys`; each active key row has a revoke form posting to
/// `/app/account/api-keys/{id}/revoke`. `newKey` is the full secret, shown once after creation.
struct ApiKeysPage: Encodable, Sendable {
    var page: PageContext
    var keys: [ApiKeyRow]
    var scopes: [SelectOption]
    var newKey: String?
    var errors: FieldMessages
}

struct ApiKeyRow: Encodable, Sendable {
    var id: String
    var name: String
    var prefix: String
    var scopes: String
    var createdAt: String
    var lastUsedAt: String
    var revoked: Bool
}
