import Fluent
import ReliefCore
import Vapor

/// Password sign-in shared by the web form and the API token endpoint: lockout and rate
/// limits, Bcrypt verification, attempt records and audit entries.
enum SignIn {
    /// Why a sign-in failed, worded for the person signing in.
    enum Failure: Error {
        case invalidCredentials
        case throttled(until: Date)

        var abort: Abort {
            switch self {
            case .invalidCredentials:
                return Abort(.unauthorized, reason: "Email or password is incorrect.")
            case .throttled(let until):
                let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
                return Abort(
                    .tooManyRequests, headers: ["Retry-After": String(seconds)],
                    reason: "Too many failed sign-ins. Try again in \(seconds) seconds.")
            }
        }
    }

    /// A Bcrypt hash verified against when the e-mail is unknown, so timing does not reveal
    /// which accounts exist.
    private static let decoyHash = try? Bcrypt.hash("decoy password for timing", cost: 4)

    /// Checks e-mail and password. Records the attempt; audits it in the account's
    /// organization when the account exists.
    static func verifyPassword(email rawEmail: String, password: String, on request: Request)
        async throws -> User
    {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let now = request.now
        let policy = LoginThrottlePolicy.standard
        let since = now.addingTimeInterval(-policy.window)
        let user = try await User.query(on: request.db).filter(\.$email == email).first()

        if let user {
            try await checkThrottle(for: user, on: request)
        } else if case .wait(let until, _) = try await throttle(
            email: email, ip: request.clientIP, since: since, on: request)
        {
            throw Failure.throttled(until: until)
        }

        let verified: Bool
        if let user, user.isActive, let hash = user.passwordHash {
            verified = (try? await request.password.async.verify(password, created: hash)) ?? false
        } else {
            _ = try? await request.password.async.verify(password, created: decoyHash ?? "")
            verified = false
        }
        // For two-factor accounts the success is recorded after the second factor, so a
        // correct password alone never resets the count of wrong codes.
        if !verified || user?.twoFactorEnabled == false {
            try await LoginAttempt(
                email: email, ip: request.clientIP, succeeded: verified, attemptedAt: now
            ).create(on: request.db)
        }
        guard verified, let user else {
            if let user {
                let reason =
                    user.isActive
                    ? (user.passwordHash == nil ? "no password set" : "wrong password")
                    : "account deactivated"
                try await record(
                    user, "auth.login.failed", details: ["reason": reason], on: request)
            } else {
                request.logger.notice("sign-in failed for an unknown e-mail")
            }
            throw Failure.invalidCredentials
        }
        return user
    }

    /// Refuses the attempt while the account or the address is locked out; audits the refusal.
    static func checkThrottle(for user: User, on request: Request) async throws {
        let since = request.now.addingTimeInterval(-LoginThrottlePolicy.standard.window)
        let decision = try await throttle(
            email: user.email, ip: request.clientIP, since: since, on: request)
        if case .wait(let until, let reason) = decision {
            try await record(
                user, "auth.login.throttled", details: ["limit": reason.rawValue], on: request)
            throw Failure.throttled(until: until)
        }
    }

    /// Records a wrong second-factor code: it counts toward the lockout like a wrong password.
    static func secondFactorFailed(_ user: User, on request: Request) async throws {
        try await LoginAttempt(
            email: user.email, ip: request.clientIP, succeeded: false, attemptedAt: request.now
        ).create(on: request.db)
        try await record(user, "auth.2fa.failed", on: request)
    }

    private static func throttle(email: String, ip: String, since: Date, on request: Request)
        async throws -> LoginThrottleDecision
    {
        let accountAttempts = try await LoginAttempt.query(on: request.db)
            .filter(\.$email == email).filter(\.$attemptedAt >= since)
            .sort(\.$attemptedAt).all()
        let lastSuccess = accountAttempts.last(where: \.succeeded)?.attemptedAt
        let accountFailures = accountAttempts.filter { attempt in
            !attempt.succeeded && (lastSuccess.map { attempt.attemptedAt > $0 } ?? true)
        }.map(\.attemptedAt)
        let ipFailures = try await LoginAttempt.query(on: request.db)
            .filter(\.$ip == ip).filter(\.$succeeded == false).filter(\.$attemptedAt >= since)
            .all().map(\.attemptedAt)
        return LoginThrottlePolicy.standard.decide(
            accountFailures: accountFailures, ipFailures: ipFailures, now: request.now)
    }

    /// Audits a sign-in event for `user`, acting as that user.
    static func record(
        _ user: User, _ action: String, details: KeyValuePairs<String, String> = [:],
        on request: Request
    ) async throws {
        try await request.relief.audit.record(
            AuditEntry(
                organizationID: user.organizationID,
                actor: AuditActor(kind: .user, id: user.id?.uuidString, label: user.email),
                action: action, entityType: "user", entityID: user.id?.uuidString,
                changes: details.isEmpty ? "" : AuditDiff.details(details),
                origin: request.auditOrigin),
            on: request.db)
    }

    /// Marks a completed sign-in.
    static func completed(_ user: User, method: String, on request: Request) async throws {
        if user.twoFactorEnabled {
            try await LoginAttempt(
                email: user.email, ip: request.clientIP, succeeded: true, attemptedAt: request.now
            ).create(on: request.db)
        }
        user.lastLoginAt = request.now
        try await user.save(on: request.db)
        try await record(user, "auth.login.succeeded", details: ["method": method], on: request)
    }
}

/// The second factor: TOTP codes, recovery codes, and their set-up.
enum SecondFactor {
    static let recoveryCodeCount = 10

    /// Accepts a 6-digit TOTP code or an unused recovery code. Returns the kind used.
    static func verify(_ rawCode: String, for user: User, on request: Request) async throws
        -> String?
    {
        let code = rawCode.trimmingCharacters(in: .whitespaces)
        guard let sealed = user.totpSecret, user.twoFactorEnabled else { return nil }
        if code.count == TOTP.digits {
            let secret = try request.relief.cipher.open(
                sealed, context: "users.totp_secret", record: user.id?.uuidString)
            guard
                let step = TOTP.verify(
                    code, secret: secret, at: request.now, lastUsedStep: user.totpLastStep)
            else { return nil }
            user.totpLastStep = step
            try await user.save(on: request.db)
            return "totp"
        }
        let digest = SecureToken.digest(normalizeRecoveryCode(code))
        guard
            let recovery = try await RecoveryCode.query(in: user.organizationID, on: request.db)
                .filter(\.$userID == user.requireID).filter(\.$codeDigest == digest)
                .filter(\.$usedAt == nil).first()
        else { return nil }
        recovery.usedAt = request.now
        try await recovery.save(on: request.db)
        try await SignIn.record(user, "auth.recovery_code.used", on: request)
        return "recovery_code"
    }

    /// Replaces the user's recovery codes with new ones and returns them (shown once).
    static func issueRecoveryCodes(for user: User, on database: any Database) async throws
        -> [String]
    {
        let userID = try user.requireID
        try await RecoveryCode.query(in: user.organizationID, on: database)
            .filter(\.$userID == userID).delete()
        var codes: [String] = []
        for _ in 0..<recoveryCodeCount {
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<6).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let raw = Base32.encode(bytes).lowercased()
            let code = "\(raw.prefix(5))-\(raw.dropFirst(5).prefix(5))"
            codes.append(code)
            try await RecoveryCode(
                organizationID: user.organizationID, userID: userID,
                codeDigest: SecureToken.digest(normalizeRecoveryCode(code))
            ).create(on: database)
        }
        return codes
    }

    static func normalizeRecoveryCode(_ code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
