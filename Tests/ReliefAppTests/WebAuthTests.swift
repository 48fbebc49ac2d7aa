import Fluent
import Testing
import Vapor

@testable import ReliefApp

@Suite("Web sign-in, sessions and password reset")
struct WebAuthTests {
    @Test("sign-in sets a hardened session cookie and is audited")
    func signInSetsCookie() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.get("/login")
            let response = try await browser.post(
                "/login", [("email", fixture.owner.email), ("password", Fixture.password)])
            #expect(response.status == .seeOther)
            let cookie = try #require(
                response.headers[.setCookie].first { $0.hasPrefix("relief_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            let dashboard = try await browser.get("/app")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.string.contains("Owner acme"))
            let actions = try await AuditEvent.query(in: fixture.organization.requireID, on: app.db)
                .all().map(\.action)
            #expect(actions.contains("auth.login.succeeded"))
        }
    }

    @Test("behind https the session cookie is Secure and HSTS is sent")
    func secureCookieBehindHTTPS() async throws {
        try await withApp(baseURL: "https://crm.example.com") { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.get("/login")
            let response = try await browser.post(
                "/login", [("email", fixture.owner.email), ("password", Fixture.password)])
            let cookie = try #require(
                response.headers[.setCookie].first { $0.hasPrefix("relief_session=") })
            #expect(cookie.contains("Secure"))
            #expect(response.headers.first(name: "Strict-Transport-Security") != nil)
        }
    }

    @Test("a wrong password is refused, audited, and says nothing about which part was wrong")
    func wrongPassword() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.get("/login")
            let response = try await browser.post(
                "/login", [("email", fixture.owner.email), ("password", "not the password")])
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("Email or password is incorrect."))
            let unknown = try await browser.post(
                "/login", [("email", "nobody@acme.example"), ("password", "whatever")])
            #expect(unknown.body.string.contains("Email or password is incorrect."))
            let failed = try await AuditEvent.query(in: fixture.organization.requireID, on: app.db)
                .filter(\.$action == "auth.login.failed").count()
            #expect(failed == 1)
        }
    }

    @Test("forms without the CSRF token are refused")
    func csrfRequired() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.get("/login")
            let noToken = try await browser.post(
                "/login", [("email", fixture.owner.email), ("password", Fixture.password)],
                csrf: false)
            #expect(noToken.status == .forbidden)
            try await browser.signIn(fixture.owner.email)
            let forged = try await browser.post(
                "/app/account", [("name", "Changed"), ("_csrf", "forged")], csrf: false)
            #expect(forged.status == .forbidden)
            let user = try #require(try await User.find(fixture.owner.id, on: app.db))
            #expect(user.name == "Owner acme")
        }
    }

    @Test("a long form sent over the network in several reads still carries its CSRF token")
    func csrfInLongForm() async throws {
        try await withApp { app, _ in
            let tester = try app.testing(method: .running(port: 0))
            var cookie = ""
            var token = ""
            try await tester.test(.GET, "/login") { response in
                cookie = response.headers[.setCookie].compactMap {
                    $0.split(separator: ";").first.map(String.init)
                }.joined(separator: "; ")
                let body = response.body.string
                if let range = body.range(
                    of: #"name="csrf-token" content="[^"]*""#, options: .regularExpression)
                {
                    token = String(body[range].dropLast().split(separator: "\"").last ?? "")
                }
            }
            #expect(!token.isEmpty)
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.replaceOrAdd(name: .cookie, value: cookie)
            let body =
                "email=nobody%40acme.example&password=wrong-password-123&notes="
                + String(repeating: "a", count: 200_000) + "&_csrf=\(token)"
            try await tester.test(.POST, "/login", headers: headers, body: ByteBuffer(string: body))
            { response in
                #expect(response.status == .unauthorized, "\(response.status)")
            }
        }
    }

    @Test("five failures lock the account with a growing delay")
    func lockout() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.get("/login")
            for _ in 0..<5 {
                let response = try await browser.post(
                    "/login", [("email", fixture.owner.email), ("password", "wrong-password-123")])
                #expect(response.status == .unauthorized)
            }
            let locked = try await browser.post(
                "/login", [("email", fixture.owner.email), ("password", Fixture.password)])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers.first(name: "Retry-After") != nil)
            clock.advance(31)
            try await browser.signIn(fixture.owner.email)
            let throttled = try await AuditEvent.query(
                in: fixture.organization.requireID, on: app.db
            )
            .filter(\.$action == "auth.login.throttled").count()
            #expect(throttled == 1)
        }
    }

    @Test("sessions can be listed and the others signed out")
    func signOutOtherSessions() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let laptop = Browser(app)
            let phone = Browser(app)
            try await laptop.signIn(fixture.owner.email)
            try await phone.signIn(fixture.owner.email)
            let list = try await laptop.get("/app/account/sessions")
            #expect(list.status == .ok)
            let response = try await laptop.post("/app/account/sessions/revoke-others")
            #expect(response.status == .seeOther)
            #expect(try await laptop.get("/app").status == .ok)
            let signedOut = try await phone.get("/app")
            #expect(signedOut.status == .seeOther)
            try await laptop.get("/app")
            let logout = try await laptop.post("/logout")
            #expect(logout.headers.first(name: .location) == "/login")
            #expect(try await laptop.get("/app").status == .seeOther)
        }
    }

    @Test("password reset by e-mailed one-time link")
    func passwordReset() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let browser = Browser(app)
            try await browser.get("/password/forgot")
            let sent = try await browser.post("/password/forgot", [("email", agent.email)])
            #expect(sent.body.string.contains(agent.email))
            let unknown = try await browser.post(
                "/password/forgot", [("email", "ghost@acme.example")])
            #expect(unknown.status == .ok)
            let mail = try #require(
                try await OutboxMessage.query(in: fixture.organization.requireID, on: app.db)
                    .first())
            #expect(mail.recipient == agent.email)
            let link = try #require(
                mail.body.split(separator: "\n").first { $0.contains("/password/reset/") })
            let path = String(link[link.range(of: "/password/reset/")!.lowerBound...])
                .trimmingCharacters(in: .whitespaces)
            #expect(try await browser.get(path).status == .ok)
            let weak = try await browser.post(
                path, [("password", "password1234"), ("password_confirmation", "password1234")])
            #expect(weak.status == .unprocessableEntity)
            let newPassword = "Blue-Ocean-Ledger-2026"
            let done = try await browser.post(
                path, [("password", newPassword), ("password_confirmation", newPassword)])
            #expect(done.status == .seeOther)
            #expect(try await browser.get(path).status == .notFound)
            try await browser.signIn(agent.email, newPassword)
        }
    }

    @Test("an invited user sets a password through the invitation link")
    func invitation() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let admin = Browser(app)
            try await admin.signIn(fixture.owner.email)
            try await admin.get("/app/admin/users/new")
            let invalid = try await admin.post(
                "/app/admin/users", [("name", ""), ("email", "not-an-email"), ("role", "agent")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains("Enter a valid e-mail address."))
            let created = try await admin.post(
                "/app/admin/users",
                [
                    ("name", "New Agent"), ("email", "new.agent@acme.example"), ("role", "agent"),
                    ("licensed_states", "fl, tx"), ("skills", "spanish"),
                ])
            #expect(created.status == .seeOther)
            let user = try #require(
                try await User.query(on: app.db).filter(\.$email == "new.agent@acme.example")
                    .first())
            #expect(user.licensedStates == ["FL", "TX"])
            #expect(user.passwordHash == nil)
            let mail = try #require(
                try await OutboxMessage.query(in: fixture.organization.requireID, on: app.db)
                    .filter(\.$recipient == user.email).first())
            #expect(mail.subject.contains("invited"))
        }
    }
}
