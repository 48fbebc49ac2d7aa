import Fluent
import ReliefCore
import Vapor

/// Sign-in, the second factor step, sign-out, and password reset / invitation links.
struct PublicAuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get { req in
            req.redirect(to: req.auth.has(Principal.self) ? "/app" : "/login")
        }.access(.open)
        routes.get("login", use: loginPage).access(.open)
        routes.post("login", use: login).access(.open)
        routes.get("login", "2fa", use: challengePage).access(.open)
        routes.post("login", "2fa", use: challenge).access(.open)
        routes.post("logout", use: logout).access(.open)
        routes.get("password", "forgot", use: forgotPage).access(.open)
        routes.post("password", "forgot", use: forgot).access(.open)
        routes.get("password", "reset", ":token", use: resetPage).access(.open)
        routes.post("password", "reset", ":token", use: reset).access(.open)
    }

    // MARK: sign-in

    struct LoginForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    func loginPage(req: Request) async throws -> Response {
        if req.auth.has(Principal.self) { return req.redirect(to: "/app") }
        let next = safeNext(try? req.query.get(String.self, at: "next"))
        return try await req.render(
            "accounts/login",
            LoginPage(
                page: req.pageContext(title: "Sign in", section: ""), email: "", next: next,
                error: nil))
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let email = form.email ?? ""
        let next = safeNext(form.next)
        let user: User
        do {
            user = try await SignIn.verifyPassword(
                email: email, password: form.password ?? "", on: req)
        } catch let failure as SignIn.Failure {
            let abort = failure.abort
            let page = LoginPage(
                page: req.pageContext(title: "Sign in", section: ""), email: email, next: next,
                error: abort.reason)
            let response = try await req.render("accounts/login", page, status: abort.status)
            response.replaceHeaders(with: abort.headers)
            return response
        }
        let (_, token) = try await WebSession.start(
            for: user, awaitingSecondFactor: user.twoFactorEnabled, on: req)
        let destination: String
        if user.twoFactorEnabled {
            destination =
                "/login/2fa" + (next == "/app" ? "" : "?next=\(next.percentEncodedForQuery)")
        } else {
            try await SignIn.completed(user, method: "password", on: req)
            destination = next
        }
        let response = req.redirect(to: destination, redirectType: .normal)
        response.cookies[WebSession.cookieName] = WebSession.cookie(token, request: req)
        return response
    }

    func challengePage(req: Request) async throws -> Response {
        guard req.pendingSecondFactorSession != nil else { return req.redirect(to: "/login") }
        return try await req.render(
            "accounts/two-factor-challenge",
            TwoFactorChallengePage(
                page: req.pageContext(title: "Two-factor sign-in", section: ""), error: nil))
    }

    struct ChallengeForm: Content {
        var code: String?
    }

    func challenge(req: Request) async throws -> Response {
        guard let session = req.pendingSecondFactorSession,
            let user = try await User.find(session.userID, in: session.organizationID, on: req.db)
        else { return req.redirect(to: "/login") }
        let form = try req.content.decode(ChallengeForm.self)
        do {
            try await SignIn.checkThrottle(for: user, on: req)
        } catch let failure as SignIn.Failure {
            let abort = failure.abort
            let page = TwoFactorChallengePage(
                page: req.pageContext(title: "Two-factor sign-in", section: ""),
                error: abort.reason)
            let response = try await req.render(
                "accounts/two-factor-challenge", page, status: abort.status)
            response.replaceHeaders(with: abort.headers)
            return response
        }
        guard let method = try await SecondFactor.verify(form.code ?? "", for: user, on: req) else {
            try await SignIn.secondFactorFailed(user, on: req)
            let page = TwoFactorChallengePage(
                page: req.pageContext(title: "Two-factor sign-in", section: ""),
                error:
                    "That code did not work. Use the current code from your app or a recovery code."
            )
            return try await req.render(
                "accounts/two-factor-challenge", page, status: .unauthorized)
        }
        session.awaitingSecondFactor = false
        try await session.save(on: req.db)
        try await SignIn.completed(user, method: "password+\(method)", on: req)
        let next = safeNext(try? req.query.get(String.self, at: "next"))
        return req.redirect(to: next, redirectType: .normal)
    }

    func logout(req: Request) async throws -> Response {
        let session = req.auth.get(Principal.self)?.session ?? req.pendingSecondFactorSession
        if let session {
            session.revokedAt = req.now
            try await session.save(on: req.db)
            if let principal = req.auth.get(Principal.self) {
                try await req.audit(
                    "auth.logout", entityType: "user", entityID: principal.userID.uuidString)
            }
        }
        req.auth.logout(Principal.self)
        let response = req.redirectAfterPost(to: "/login", flash: (.info, "You are signed out."))
        response.cookies[WebSession.cookieName] = WebSession.expiredCookie(request: req)
        return response
    }

    /// Only local paths under `/app` are followed after sign-in (no open redirect).
    private func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/app"), !value.hasPrefix("//"), !value.contains("\\")
        else { return "/app" }
        return value
    }

    // MARK: password reset

    struct ForgotForm: Content {
        var email: String?
    }

    func forgotPage(req: Request) async throws -> Response {
        try await req.render(
            "accounts/forgot-password",
            ForgotPasswordPage(
                page: req.pageContext(title: "Reset your password", section: ""), email: "",
                sent: false))
    }

    /// Always answers the same way, whether or not the e-mail has an account.
    func forgot(req: Request) async throws -> Response {
        let email = (try req.content.decode(ForgotForm.self).email ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
        if let user = try await User.query(on: req.db).filter(\.$email == email).first(),
            user.isActive
        {
            try await PasswordLinks.send(.passwordReset, to: user, on: req)
            try await SignIn.record(user, "auth.password_reset.requested", on: req)
        }
        return try await req.render(
            "accounts/forgot-password",
            ForgotPasswordPage(
                page: req.pageContext(title: "Reset your password", section: ""), email: email,
                sent: true))
    }

    struct ResetForm: Content {
        var password: String?
        var passwordConfirmation: String?

        enum CodingKeys: String, CodingKey {
            case password
            case passwordConfirmation = "password_confirmation"
        }
    }

    func resetPage(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let (link, user) = try await PasswordLinks.find(token, on: req) else {
            throw Abort(
                .notFound, reason: "This link is invalid or has expired. Ask for a new one.")
        }
        return try await req.render(
            "accounts/reset-password",
            ResetPasswordPage(
                page: req.pageContext(
                    title: link.purpose == .invitation
                        ? "Welcome to ReliefCRM" : "Choose a new password", section: ""),
                token: token, email: user.email,
                purpose: link.purpose == .invitation ? "invite" : "reset",
                errors: [:]))
    }

    func reset(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let (link, user) = try await PasswordLinks.find(token, on: req) else {
            throw Abort(
                .notFound, reason: "This link is invalid or has expired. Ask for a new one.")
        }
        let form = try req.content.decode(ResetForm.self)
        var check = FieldCheck()
        PasswordRules.check(
            form.password ?? "", confirmation: form.passwordConfirmation, email: user.email,
            name: user.name, into: &check, field: "password")
        guard check.errors.isEmpty else {
            return try await req.render(
                "accounts/reset-password",
                ResetPasswordPage(
                    page: req.pageContext(title: "Choose a new password", section: ""),
                    token: token,
                    email: user.email, purpose: link.purpose == .invitation ? "invite" : "reset",
                    errors: check.errors),
                status: .unprocessableEntity)
        }
        user.passwordHash = try await req.password.async.hash(form.password ?? "")
        try await user.save(on: req.db)
        link.usedAt = req.now
        try await link.save(on: req.db)
        try await UserSession.query(in: user.organizationID, on: req.db)
            .filter(\.$userID == user.requireID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: req.now).update()
        try await SignIn.record(
            user,
            link.purpose == .invitation
                ? "auth.invitation.accepted" : "auth.password_reset.completed",
            on: req)
        return req.redirectAfterPost(
            to: "/login", flash: (.success, "Your password is set. Sign in with it now."))
    }
}

/// Checks a new password against the policy and its confirmation, adding field errors.
enum PasswordRules {
    static func check(
        _ password: String, confirmation: String?, email: String, name: String?,
        into check: inout FieldCheck, field: String
    ) {
        for violation in PasswordPolicy.standard.violations(
            password: password, email: email, name: name)
        {
            check.fail(field, violation.message)
        }
        if let confirmation, confirmation != password {
            check.fail("\(field)_confirmation", "The two passwords do not match.")
        }
    }
}

/// E-mailed one-time links: password reset (valid 1 hour) and invitation (valid 7 days).
enum PasswordLinks {
    static func send(_ purpose: OneTimeToken.Purpose, to user: User, on req: Request) async throws {
        let token = SecureToken.generate()
        let lifetime: TimeInterval = purpose == .invitation ? 7 * 86_400 : 3_600
        try await OneTimeToken.query(in: user.organizationID, on: req.db)
            .filter(\.$userID == user.requireID).filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil).set(\.$usedAt, to: req.now).update()
        try await OneTimeToken(
            organizationID: user.organizationID, userID: user.requireID, purpose: purpose,
            tokenDigest: SecureToken.digest(token), expiresAt: req.now.addingTimeInterval(lifetime)
        ).create(on: req.db)
        let link = "\(req.relief.config.baseURL)/password/reset/\(token)"
        let email: OutgoingEmail
        switch purpose {
        case .passwordReset:
            email = OutgoingEmail(
                organizationID: user.organizationID.uuidString, to: user.email,
                subject: "Reset your ReliefCRM password",
                body: """
                    Hello \(user.name),

                    Someone asked to reset the password of your ReliefCRM account. If it was you, \
                    open this link within one hour to choose a new password:

                    \(link)

                    If it was not you, ignore this message: your password stays as it is.
                    """)
        case .invitation:
            email = OutgoingEmail(
                organizationID: user.organizationID.uuidString, to: user.email,
                subject: "You are invited to ReliefCRM",
                body: """
                    Hello \(user.name),

                    You have been invited to ReliefCRM. Open this link within 7 days to choose \
                    your password and sign in:

                    \(link)
                    """)
        }
        try await req.mailer.send(email)
    }

    /// The unexpired, unused link for `token` and its user.
    static func find(_ token: String, on req: Request) async throws -> (OneTimeToken, User)? {
        guard !token.isEmpty,
            let link = try await OneTimeToken.query(on: req.db)
                .filter(\.$tokenDigest == SecureToken.digest(token)).filter(\.$usedAt == nil)
                .first(),
            link.expiresAt > req.now,
            let user = try await User.find(link.userID, in: link.organizationID, on: req.db),
            user.isActive
        else { return nil }
        return (link, user)
    }
}
