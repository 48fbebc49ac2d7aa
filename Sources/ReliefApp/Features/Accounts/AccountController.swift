import Fluent
import ReliefCore
import Vapor

/// The signed-in user's own account: profile, theme, password, sessions, two-factor sign-in
/// and personal API keys.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped("account")
        account.get(use: accountPage).access(.requires(.signedIn))
        account.post(use: updateProfile).access(.requires(.signedIn))
        account.post("theme", use: updateTheme).access(.requires(.signedIn))
            .allowedBeforeTwoFactorSetup()
        account.post("password", use: changePassword).access(.requires(.signedIn))
        account.get("sessions", use: sessionsPage).access(.requires(.signedIn))
        account.post("sessions", "revoke-others", use: revokeOtherSessions).access(
            .requires(.signedIn))
        account.post("sessions", ":id", "revoke", use: revokeSession).access(.requires(.signedIn))
        account.get("2fa", use: twoFactorPage).access(.requires(.signedIn))
            .allowedBeforeTwoFactorSetup()
        account.post("2fa", "enable", use: enableTwoFactor).access(.requires(.signedIn))
            .allowedBeforeTwoFactorSetup()
        account.post("2fa", "disable", use: disableTwoFactor).access(.requires(.signedIn))
        account.post("2fa", "recovery-codes", use: regenerateRecoveryCodes).access(
            .requires(.signedIn))
        account.get("api-keys", use: apiKeysPage).access(.requires(.signedIn))
        account.post("api-keys", use: createApiKey).access(.requires(.signedIn))
        account.post("api-keys", ":id", "revoke", use: revokeApiKey).access(.requires(.signedIn))
    }

    // MARK: profile, theme, password

    func accountPage(req: Request) async throws -> Response {
        try await renderAccount(req, profileErrors: [:], passwordErrors: [:])
    }

    private func renderAccount(
        _ req: Request, profileErrors: FieldMessages, passwordErrors: FieldMessages,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let user = try req.principal.user
        let themes = ["system", "light", "dark"].map {
            SelectOption(value: $0, label: $0.capitalized, selected: user.theme == $0)
        }
        return try await req.render(
            "accounts/account",
            AccountPage(
                page: req.pageContext(title: "Your account", section: "account"), name: user.name,
                email: user.email, languages: user.languages.joined(separator: ", "),
                roleLabel: user.role.label, themes: themes, twoFactorEnabled: user.twoFactorEnabled,
                profileErrors: profileErrors, passwordErrors: passwordErrors),
            status: status)
    }

    struct ProfileForm: Content {
        var name: String?
        var languages: String?
    }

    func updateProfile(req: Request) async throws -> Response {
        let user = try req.principal.user
        let form = try req.content.decode(ProfileForm.self)
        var check = FieldCheck()
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        check.require(
            !name.isEmpty && name.count <= 120, "name", "Enter your name (up to 120 characters).")
        let languages = ListField.parse(form.languages ?? "")
        check.require(
            languages.allSatisfy { $0.count <= 10 }, "languages",
            "Use language codes such as en, es.")
        guard check.errors.isEmpty else {
            return try await renderAccount(
                req, profileErrors: check.errors, passwordErrors: [:], status: .unprocessableEntity)
        }
        var diff = AuditDiff()
        diff.field("name", from: user.name, to: name)
        diff.field(
            "languages", from: user.languages.joined(separator: ","),
            to: languages.joined(separator: ","))
        user.name = name
        user.languages = languages.isEmpty ? ["en"] : languages
        try await user.save(on: req.db)
        if !diff.isEmpty {
            try await req.audit(
                "user.updated", entityType: "user", entityID: user.id?.uuidString,
                changes: diff.json)
        }
        return req.redirectAfterPost(
            to: "/app/account", flash: (.success, "Your profile is saved."))
    }

    struct ThemeForm: Content {
        var theme: String?
    }

    func updateTheme(req: Request) async throws -> Response {
        let user = try req.principal.user
        let theme = try req.content.decode(ThemeForm.self).theme ?? ""
        guard ["system", "light", "dark"].contains(theme) else {
            throw ValidationFailure(fields: ["theme": "Choose system, light or dark."])
        }
        if user.theme != theme {
            var diff = AuditDiff()
            diff.field("theme", from: user.theme, to: theme)
            user.theme = theme
            try await user.save(on: req.db)
            try await req.audit(
                "user.theme_changed", entityType: "user", entityID: user.id?.uuidString,
                changes: diff.json)
        }
        if req.headers.first(name: CSRF.headerName) != nil { return Response(status: .noContent) }
        return req.redirectAfterPost(to: "/app/account", flash: (.success, "Theme saved."))
    }

    struct PasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?
        var newPasswordConfirmation: String?

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
            case newPasswordConfirmation = "new_password_confirmation"
        }
    }

    func changePassword(req: Request) async throws -> Response {
        let principal = try req.principal
        let user = principal.user
        let form = try req.content.decode(PasswordForm.self)
        var check = FieldCheck()
        let currentOK = try await verifyPassword(form.currentPassword, of: user, on: req)
        check.require(currentOK, "current_password", "This is not your current password.")
        PasswordRules.check(
            form.newPassword ?? "", confirmation: form.newPasswordConfirmation, email: user.email,
            name: user.name, into: &check, field: "new_password")
        guard check.errors.isEmpty else {
            return try await renderAccount(
                req, profileErrors: [:], passwordErrors: check.errors, status: .unprocessableEntity)
        }
        user.passwordHash = try await req.password.async.hash(form.newPassword ?? "")
        try await user.save(on: req.db)
        try await revokeSessions(of: user, except: principal.session, on: req)
        try await req.audit(
            "auth.password_changed", entityType: "user", entityID: user.id?.uuidString)
        return req.redirectAfterPost(
            to: "/app/account",
            flash: (.success, "Password changed. Your other sessions were signed out."))
    }

    private func verifyPassword(_ password: String?, of user: User, on req: Request) async throws
        -> Bool
    {
        guard let password, let hash = user.passwordHash else { return false }
        return (try? await req.password.async.verify(password, created: hash)) ?? false
    }

    // MARK: sessions

    func sessionsPage(req: Request) async throws -> Response {
        let principal = try req.principal
        let sessions = try await liveSessions(of: principal.user, on: req)
        let zone = principal.organization.timeZone
        let rows = sessions.map {
            SessionRow(
                id: $0.id?.uuidString ?? "", current: $0.id == principal.session?.id, ip: $0.ip,
                userAgent: $0.userAgent,
                createdAt: DisplayDate.string($0.createdAt, timeZone: zone),
                lastSeenAt: DisplayDate.string($0.lastSeenAt, timeZone: zone))
        }
        return try await req.render(
            "accounts/sessions",
            SessionsPage(
                page: req.pageContext(title: "Signed-in sessions", section: "account"),
                sessions: rows))
    }

    private func liveSessions(of user: User, on req: Request) async throws -> [UserSession] {
        try await UserSession.query(in: user.organizationID, on: req.db)
            .filter(\.$userID == user.requireID).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > req.now).filter(\.$awaitingSecondFactor == false)
            .sort(\.$lastSeenAt, .descending).all()
    }

    func revokeOtherSessions(req: Request) async throws -> Response {
        let principal = try req.principal
        let count = try await revokeSessions(of: principal.user, except: principal.session, on: req)
        try await req.audit(
            "auth.sessions.revoked_others", entityType: "user",
            entityID: principal.userID.uuidString,
            changes: AuditDiff.details(["count": String(count)]))
        return req.redirectAfterPost(
            to: "/app/account/sessions", flash: (.success, "Signed out \(count) other session(s)."))
    }

    @discardableResult
    private func revokeSessions(of user: User, except keep: UserSession?, on req: Request)
        async throws -> Int
    {
        let sessions = try await liveSessions(of: user, on: req).filter { $0.id != keep?.id }
        for session in sessions {
            session.revokedAt = req.now
            try await session.save(on: req.db)
        }
        return sessions.count
    }

    func revokeSession(req: Request) async throws -> Response {
        let principal = try req.principal
        let session = try await UserSession.findOr404(
            req.parameters.get("id", as: UUID.self), in: principal.organizationID, on: req.db)
        guard session.userID == principal.userID else {
            throw Abort(.notFound, reason: "Session not found.")
        }
        session.revokedAt = req.now
        try await session.save(on: req.db)
        try await req.audit(
            "auth.session.revoked", entityType: "user_session", entityID: session.id?.uuidString)
        if session.id == principal.session?.id {
            let response = req.redirectAfterPost(
                to: "/login", flash: (.info, "You are signed out."))
            response.cookies[WebSession.cookieName] = WebSession.expiredCookie(request: req)
            return response
        }
        return req.redirectAfterPost(
            to: "/app/account/sessions", flash: (.success, "Session signed out."))
    }

    // MARK: two-factor

    func twoFactorPage(req: Request) async throws -> Response {
        try await renderTwoFactor(req, error: nil)
    }

    private func renderTwoFactor(_ req: Request, error: String?, status: HTTPStatus = .ok)
        async throws -> Response
    {
        let principal = try req.principal
        let user = principal.user
        var secret: String?
        if !user.twoFactorEnabled {
            if let sealed = user.totpSecret {
                secret = try req.relief.cipher.open(
                    sealed, context: "users.totp_secret", record: user.id?.uuidString)
            } else {
                let fresh = TOTP.generateSecret()
                user.totpSecret = try req.relief.cipher.seal(fresh, context: "users.totp_secret")
                try await user.save(on: req.db)
                secret = fresh
            }
        }
        let remaining = try await RecoveryCode.query(in: user.organizationID, on: req.db)
            .filter(\.$userID == user.requireID).filter(\.$usedAt == nil).count()
        let issuer = principal.organization.displayName
        let uri = secret.map {
            TOTP.provisioningURI(secret: $0, account: user.email, issuer: issuer)
        }
        let qrCode = try uri.map { try QRCode.encode($0, errorCorrection: .medium) }
        return try await req.render(
            "accounts/two-factor",
            TwoFactorPage(
                page: req.pageContext(title: "Two-factor sign-in", section: "account"),
                enabled: user.twoFactorEnabled, required: principal.organization.requireTwoFactor,
                secret: secret,
                otpauthURI: uri,
                qrSVG: qrCode?.svg(title: "QR code of the set-up key for your authenticator app"),
                recoveryCodesRemaining: remaining, error: error),
            status: status)
    }

    struct CodeForm: Content {
        var code: String?
        var password: String?
    }

    func enableTwoFactor(req: Request) async throws -> Response {
        let user = try req.principal.user
        guard !user.twoFactorEnabled, let sealed = user.totpSecret else {
            return req.redirectAfterPost(to: "/app/account/2fa")
        }
        let form = try req.content.decode(CodeForm.self)
        let secret = try req.relief.cipher.open(
            sealed, context: "users.totp_secret", record: user.id?.uuidString)
        guard
            let step = TOTP.verify(form.code ?? "", secret: secret, at: req.now, lastUsedStep: nil)
        else {
            return try await renderTwoFactor(
                req,
                error:
                    "That code did not match. Check the time on your phone and enter the current code.",
                status: .unprocessableEntity)
        }
        user.totpEnabledAt = req.now
        user.totpLastStep = step
        try await user.save(on: req.db)
        let codes = try await SecondFactor.issueRecoveryCodes(for: user, on: req.db)
        try await req.audit("auth.2fa.enabled", entityType: "user", entityID: user.id?.uuidString)
        var page = req.pageContext(title: "Your recovery codes", section: "account")
        page.flashes.append(Flash(kind: .success, message: "Two-factor sign-in is on."))
        return try await req.render(
            "accounts/recovery-codes", RecoveryCodesPage(page: page, codes: codes))
    }

    func disableTwoFactor(req: Request) async throws -> Response {
        let principal = try req.principal
        let user = principal.user
        if principal.organization.requireTwoFactor {
            return try await renderTwoFactor(
                req,
                error: "Your organization requires two-factor sign-in, so it cannot be turned off.",
                status: .forbidden)
        }
        let form = try req.content.decode(CodeForm.self)
        let passwordOK = try await verifyPassword(form.password, of: user, on: req)
        let codeOK =
            passwordOK
            ? try await SecondFactor.verify(form.code ?? "", for: user, on: req) != nil : false
        guard passwordOK, codeOK else {
            return try await renderTwoFactor(
                req,
                error: "Enter your password and a current code to turn two-factor sign-in off.",
                status: .unprocessableEntity)
        }
        user.totpSecret = nil
        user.totpEnabledAt = nil
        user.totpLastStep = nil
        try await user.save(on: req.db)
        try await RecoveryCode.query(in: user.organizationID, on: req.db).filter(
            \.$userID == user.requireID
        ).delete()
        try await req.audit("auth.2fa.disabled", entityType: "user", entityID: user.id?.uuidString)
        return req.redirectAfterPost(
            to: "/app/account/2fa", flash: (.success, "Two-factor sign-in is off."))
    }

    func regenerateRecoveryCodes(req: Request) async throws -> Response {
        let user = try req.principal.user
        let form = try req.content.decode(CodeForm.self)
        guard user.twoFactorEnabled, try await verifyPassword(form.password, of: user, on: req)
        else {
            return try await renderTwoFactor(
                req, error: "Enter your password to make new recovery codes.",
                status: .unprocessableEntity)
        }
        let codes = try await SecondFactor.issueRecoveryCodes(for: user, on: req.db)
        try await req.audit(
            "auth.recovery_codes.regenerated", entityType: "user", entityID: user.id?.uuidString)
        return try await req.render(
            "accounts/recovery-codes",
            RecoveryCodesPage(
                page: req.pageContext(title: "Your recovery codes", section: "account"),
                codes: codes))
    }

    // MARK: API keys

    func apiKeysPage(req: Request) async throws -> Response {
        try await renderApiKeys(req, newKey: nil, errors: [:])
    }

    private func renderApiKeys(
        _ req: Request, newKey: String?, errors: FieldMessages, status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let keys = try await ApiKeys.list(for: principal, on: req.db)
        let zone = principal.organization.timeZone
        let rows = keys.map {
            ApiKeyRow(
                id: $0.id?.uuidString ?? "", name: $0.name, prefix: "rk_\($0.prefix)_…",
                scopes: $0.scopes.joined(separator: ", "),
                createdAt: DisplayDate.string($0.createdAt, timeZone: zone),
                lastUsedAt: DisplayDate.string($0.lastUsedAt, timeZone: zone),
                revoked: $0.revokedAt != nil)
        }
        let scopes = PermissionMatrix.permissions(for: principal.user.role).sorted {
            $0.rawValue < $1.rawValue
        }
        .map {
            SelectOption(
                value: $0.rawValue, label: "\($0.rawValue): \($0.summary)", selected: false)
        }
        return try await req.render(
            "accounts/api-keys",
            ApiKeysPage(
                page: req.pageContext(title: "API keys", section: "account"), keys: rows,
                scopes: scopes, newKey: newKey, errors: errors),
            status: status)
    }

    struct ApiKeyForm: Content {
        var name: String?
        var scopes: [String]?
    }

    func createApiKey(req: Request) async throws -> Response {
        let form = try req.content.decode(ApiKeyForm.self)
        do {
            let (_, secret) = try await ApiKeys.create(
                name: form.name ?? "", scopes: form.scopes ?? [], on: req)
            return try await renderApiKeys(req, newKey: secret, errors: [:])
        } catch let failure as ValidationFailure {
            return try await renderApiKeys(
                req, newKey: nil, errors: failure.fields, status: .unprocessableEntity)
        }
    }

    func revokeApiKey(req: Request) async throws -> Response {
        try await ApiKeys.revoke(req.parameters.get("id", as: UUID.self), on: req)
        return req.redirectAfterPost(
            to: "/app/account/api-keys", flash: (.success, "API key revoked."))
    }
}

/// Personal API keys, shared by the account page and the API.
enum ApiKeys {
    static func list(for principal: Principal, on database: any Database) async throws -> [ApiKey] {
        try await ApiKey.query(in: principal.organizationID, on: database)
            .filter(\.$userID == principal.userID).sort(\.$createdAt, .descending).all()
    }

    /// Creates a key with `scopes` (each must be a permission of the user's role) and returns
    /// it with the full secret, which is shown once.
    static func create(name rawName: String, scopes: [String], on req: Request) async throws -> (
        ApiKey, String
    ) {
        let principal = try req.principal
        let name = rawName.trimmingCharacters(in: .whitespaces)
        var check = FieldCheck()
        check.require(
            !name.isEmpty && name.count <= 80, "name",
            "Name the key (up to 80 characters), e.g. \"Lead vendor import\".")
        let allowed = PermissionMatrix.permissions(for: principal.user.role)
        let requested = scopes.map { Permission(rawValue: $0) }
        check.require(!scopes.isEmpty, "scopes", "Choose at least one scope.")
        check.require(
            requested.allSatisfy { $0.map(allowed.contains) ?? false }, "scopes",
            "Scopes must be permissions your role has.")
        try check.throwIfFailed()
        let prefix = String(
            SecureToken.generate(byteCount: 6).filter { $0.isLetter || $0.isNumber }.prefix(8))
        let secret = "rk_\(prefix)_\(SecureToken.generate())"
        let key = ApiKey(
            organizationID: principal.organizationID, userID: principal.userID, name: name,
            prefix: prefix, keyDigest: SecureToken.digest(secret),
            scopes: Array(Set(scopes)).sorted())
        try await key.create(on: req.db)
        try await req.audit(
            "api_key.created", entityType: "api_key", entityID: key.id?.uuidString,
            changes: AuditDiff.details(["name": name, "scopes": key.scopes.joined(separator: " ")]))
        return (key, secret)
    }

    static func revoke(_ id: UUID?, on req: Request) async throws {
        let principal = try req.principal
        let key = try await ApiKey.findOr404(id, in: principal.organizationID, on: req.db)
        guard key.userID == principal.userID || principal.can(.usersManage) else {
            throw Abort(.notFound, reason: "API key not found.")
        }
        if key.revokedAt == nil {
            key.revokedAt = req.now
            try await key.save(on: req.db)
            try await req.audit(
                "api_key.revoked", entityType: "api_key", entityID: key.id?.uuidString)
        }
    }
}

/// Comma-separated list fields (languages, states, skills).
enum ListField {
    static func parse(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == "," || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }
}
