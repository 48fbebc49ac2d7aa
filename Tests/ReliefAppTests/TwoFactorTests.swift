import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

@Suite("Two-factor sign-in")
struct TwoFactorTests {
    /// RFC 6238 appendix B (SHA-1 secret "12345678901234567890"), last six digits.
    @Test(
        "TOTP matches the RFC 6238 test vectors",
        arguments: [
            (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"),
            (1_234_567_890, "005924"), (2_000_000_000, "279037"), (20_000_000_000, "353130"),
        ])
    func rfcVectors(time: Int, code: String) {
        let secret = Array("12345678901234567890".utf8)
        #expect(TOTP.code(secret: secret, step: Int64(time) / 30) == code)
    }

    @Test("each code is accepted once, with one step of clock skew")
    func reuseAndSkew() {
        let secret = TOTP.generateSecret()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let key = Base32.decode(secret)!
        let step = TOTP.step(at: now)
        let current = TOTP.code(secret: key, step: step)
        #expect(TOTP.verify(current, secret: secret, at: now, lastUsedStep: nil) == step)
        #expect(TOTP.verify(current, secret: secret, at: now, lastUsedStep: step) == nil)
        #expect(
            TOTP.verify(
                TOTP.code(secret: key, step: step - 1), secret: secret, at: now, lastUsedStep: nil)
                == step - 1)
        #expect(
            TOTP.verify(
                TOTP.code(secret: key, step: step - 2), secret: secret, at: now, lastUsedStep: nil)
                == nil)
        #expect(TOTP.verify("12345", secret: secret, at: now, lastUsedStep: nil) == nil)
    }

    @Test("enable 2FA, then sign in with a code and with a recovery code")
    func enableAndSignIn() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let setup = try await browser.get("/app/account/2fa")
            #expect(setup.status == .ok)
            let user = try #require(try await User.find(fixture.owner.id, on: app.db))
            let secret = try app.relief.cipher.open(
                try #require(user.totpSecret), context: "users.totp_secret")
            #expect(setup.body.string.contains("otpauth://totp/"))
            #expect(setup.body.string.contains("QR code of the set-up key"))
            #expect(!(user.totpSecret ?? "").contains(secret), "secret must be stored encrypted")

            let wrong = try await browser.post("/app/account/2fa/enable", [("code", "000000")])
            #expect(wrong.status == .unprocessableEntity)
            let code = TOTP.code(secret: Base32.decode(secret)!, step: TOTP.step(at: clock.now))
            let enabled = try await browser.post("/app/account/2fa/enable", [("code", code)])
            #expect(enabled.status == .ok)
            let codes = enabled.body.string.matches(
                of: /<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/
            ).map { String($0.output.1) }
            #expect(Set(codes).count == 10)

            // A new browser: password, then the second factor.
            clock.advance(60)
            let other = Browser(app)
            try await other.get("/login")
            let first = try await other.post(
                "/login", [("email", fixture.owner.email), ("password", Fixture.password)])
            #expect(first.headers.first(name: .location) == "/login/2fa")
            #expect(
                try await other.get("/app").status == .seeOther, "half signed-in is not signed in")
            try await other.get("/login/2fa")
            let bad = try await other.post("/login/2fa", [("code", "123456")])
            #expect(bad.status == .unauthorized)
            let fresh = TOTP.code(secret: Base32.decode(secret)!, step: TOTP.step(at: clock.now))
            let ok = try await other.post("/login/2fa", [("code", fresh)])
            #expect(ok.headers.first(name: .location) == "/app")
            #expect(try await other.get("/app").status == .ok)

            // The same code cannot be used again.
            let third = Browser(app)
            try await third.get("/login")
            try await third.post(
                "/login", [("email", fixture.owner.email), ("password", Fixture.password)])
            try await third.get("/login/2fa")
            #expect(try await third.post("/login/2fa", [("code", fresh)]).status == .unauthorized)
            // A recovery code works once.
            #expect(
                try await third.post("/login/2fa", [("code", codes[0].uppercased())]).status
                    == .seeOther)
            let fourth = Browser(app)
            try await fourth.get("/login")
            try await fourth.post(
                "/login", [("email", fixture.owner.email), ("password", Fixture.password)])
            try await fourth.get("/login/2fa")
            #expect(
                try await fourth.post("/login/2fa", [("code", codes[0])]).status == .unauthorized)

            // The API needs the code too.
            let api = APIClient(app: app)
            let missing = try await api.call(
                .POST, "/api/v1/auth/token",
                json: #"{"email":"\#(fixture.owner.email)","password":"\#(Fixture.password)"}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(
                try missing.json()["error"].flatMap {
                    ($0 as? [String: Any])?["fields"] as? [String: String]
                }?["totp"] != nil)
            clock.advance(30)
            let apiCode = TOTP.code(secret: Base32.decode(secret)!, step: TOTP.step(at: clock.now))
            _ = try await APIClient.signIn(app, fixture.owner.email, totp: apiCode)

            let actions = try await AuditEvent.query(in: fixture.organization.requireID, on: app.db)
                .all().map(\.action)
            #expect(actions.contains("auth.2fa.enabled"))
            #expect(actions.contains("auth.2fa.failed"))
            #expect(actions.contains("auth.recovery_code.used"))
        }
    }

    @Test("wrong codes count toward the lockout, so codes cannot be guessed")
    func codeGuessingIsThrottled() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let user = fixture.owner
            let secret = TOTP.generateSecret()
            user.totpSecret = try app.relief.cipher.seal(secret, context: "users.totp_secret")
            user.totpEnabledAt = clock.now
            try await user.save(on: app.db)
            let browser = Browser(app)
            try await browser.get("/login")
            try await browser.post(
                "/login", [("email", user.email), ("password", Fixture.password)])
            try await browser.get("/login/2fa")
            for _ in 0..<5 {
                #expect(
                    try await browser.post("/login/2fa", [("code", "000000")]).status
                        == .unauthorized)
            }
            let right = TOTP.code(secret: Base32.decode(secret)!, step: TOTP.step(at: clock.now))
            let locked = try await browser.post("/login/2fa", [("code", right)])
            #expect(locked.status == .tooManyRequests)
            #expect(try await browser.get("/app").status == .seeOther)
        }
    }

    @Test("an organization that requires 2FA sends users to set it up first")
    func organizationRequirement() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            fixture.organization.requireTwoFactor = true
            try await fixture.organization.save(on: app.db)
            let browser = Browser(app)
            try await browser.signIn(fixture.users[.agent]!.email)
            let dashboard = try await browser.get("/app")
            #expect(dashboard.status == .seeOther)
            #expect(dashboard.headers.first(name: .location) == "/app/account/2fa")
            #expect(try await browser.get("/app/account/2fa").status == .ok)
            let api = APIClient(app: app)
            let token = try await api.call(
                .POST, "/api/v1/auth/token",
                json:
                    #"{"email":"\#(fixture.users[.agent]!.email)","password":"\#(Fixture.password)"}"#
            )
            #expect(token.status == .forbidden)
        }
    }
}
