import Fluent
import Testing
import Vapor

@testable import ReliefApp

@Suite("API authentication, users and bad input")
struct APITests {
    @Test("token, me, refresh rotation and reuse detection")
    func tokens() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, body) = try await APIClient.signIn(app, fixture.owner.email)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 900)
            let me = try await api.call(.GET, "/api/v1/me").json()
            #expect(me["email"] as? String == fixture.owner.email)
            #expect(me["role"] as? String == "owner")
            #expect((me["organization"] as? [String: Any])?["slug"] as? String == "acme")

            let refresh = try #require(body["refresh_token"] as? String)
            let rotated = try await api.call(
                .POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(rotated.status == .ok)
            let next = try #require(try rotated.json()["refresh_token"] as? String)
            let reused = try await api.call(
                .POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
            #expect(reused.status == .unauthorized)
            let family = try await api.call(
                .POST, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(next)"}"#)
            #expect(family.status == .unauthorized, "reuse revokes the whole family")
        }
    }

    @Test("access tokens expire")
    func expiry() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            clock.advance(16 * 60)
            _ = try await app.testing().test(.GET, "/healthz")
            // JWT expiry is checked against the real clock by JWTKit; the token is valid for
            // 15 minutes of wall time, so here we check the claim instead.
            let token = try #require(api.token)
            let payload = try await app.relief.tokenSigner.unverified(
                token, as: AccessTokenPayload.self)
            #expect(payload.exp.value.timeIntervalSince(payload.iat.value) == 900)
        }
    }

    @Test("API keys carry scopes narrower than the role")
    func apiKeys() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let bad = try await api.call(
                .POST, "/api/v1/api-keys", json: #"{"name":"","scopes":["not.a.scope"]}"#)
            #expect(bad.status == .unprocessableEntity)
            let fields = try #require(
                (try bad.json()["error"] as? [String: Any])?["fields"] as? [String: String])
            #expect(fields["name"] != nil && fields["scopes"] != nil)
            let created = try await api.call(
                .POST, "/api/v1/api-keys",
                json: #"{"name":"Vendor","scopes":["users.read","signed_in"]}"#)
            #expect(created.status == .created)
            let key = try #require(try created.json()["key"] as? String)
            #expect(key.hasPrefix("rk_"))
            let stored = try #require(try await ApiKey.query(on: app.db).first())
            #expect(!stored.keyDigest.contains(key))
            #expect(try await api.call(.GET, "/api/v1/users", token: key).status == .ok)
            #expect(try await api.call(.GET, "/api/v1/teams", token: key).status == .forbidden)
            #expect(
                try await api.call(
                    .POST, "/api/v1/api-keys", json: #"{"name":"x","scopes":["users.read"]}"#,
                    token: key
                ).status == .forbidden)
            #expect(
                try await api.call(.GET, "/api/v1/users", token: key + "x").status == .unauthorized)
            let revoked = try await api.call(.DELETE, "/api/v1/api-keys/\(try stored.requireID())")
            #expect(revoked.status == .noContent)
            #expect(try await api.call(.GET, "/api/v1/users", token: key).status == .unauthorized)
            let denied = try await AuditEvent.query(in: fixture.organization.requireID, on: app.db)
                .filter(\.$action == "access.denied").count()
            #expect(denied == 1, "the scope denial on /api/v1/teams is audited")
        }
    }

    @Test("admins invite and change users; nobody grants more than they have")
    func usersAPI() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (admin, _) = try await APIClient.signIn(app, fixture.users[.admin]!.email)
            let created = try await admin.call(
                .POST, "/api/v1/users",
                json:
                    #"{"email":"Sam@Acme.example","name":"Sam Agent","role":"agent","licensed_states":["ny","nj"],"skills":["spanish"]}"#
            )
            #expect(created.status == .created)
            let user = try created.json()
            #expect(user["email"] as? String == "sam@acme.example")
            #expect(user["licensed_states"] as? [String] == ["NJ", "NY"])
            let id = try #require(user["id"] as? String)
            let escalate = try await admin.call(
                .PATCH, "/api/v1/users/\(id)", json: #"{"role":"owner"}"#)
            #expect(escalate.status == .unprocessableEntity)
            let badState = try await admin.call(
                .PATCH, "/api/v1/users/\(id)", json: #"{"licensed_states":["ZZ"]}"#)
            #expect(badState.status == .unprocessableEntity)
            let promote = try await admin.call(
                .PATCH, "/api/v1/users/\(id)", json: #"{"role":"manager"}"#)
            #expect(try promote.json()["role"] as? String == "manager")
            let deactivated = try await admin.call(.DELETE, "/api/v1/users/\(id)")
            #expect(try deactivated.json()["active"] as? Bool == false)
            let selfDeactivate = try await admin.call(
                .DELETE, "/api/v1/users/\(try fixture.users[.admin]!.requireID())")
            #expect(selfDeactivate.status == .unprocessableEntity)
            let (agent, _) = try await APIClient.signIn(app, fixture.users[.agent]!.email)
            #expect(
                try await agent.call(
                    .POST, "/api/v1/users",
                    json: #"{"email":"x@acme.example","name":"X","role":"agent"}"#
                ).status == .forbidden)
            #expect(try await agent.call(.GET, "/api/v1/users").status == .forbidden)
            #expect(try await agent.call(.GET, "/api/v1/me").status == .ok)
            let audit = try await AuditEvent.query(in: fixture.organization.requireID, on: app.db)
                .filter(\.$action == "user.updated").first()
            #expect(audit?.changes.contains(#""role":{"from":"agent","to":"manager"}"#) == true)
        }
    }

    @Test("bad input gets 4xx with the field named, never a 500")
    func badInput() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let malformed = try await api.call(.POST, "/api/v1/teams", json: "{not json")
            #expect(malformed.status == .badRequest)
            let wrongType = try await api.call(.POST, "/api/v1/teams", json: #"{"name":42}"#)
            #expect(wrongType.status == .badRequest)
            #expect(
                (try wrongType.json()["error"] as? [String: Any])?["fields"] as? [String: String]
                    == ["name": "has the wrong type"])
            let missing = try await api.call(
                .POST, "/api/v1/auth/token", json: #"{"email":"a@b.c"}"#)
            #expect(missing.status == .badRequest)
            #expect(
                ((try missing.json()["error"] as? [String: Any])?["fields"] as? [String: String])?[
                    "password"] == "is required")
            #expect(try await api.call(.GET, "/api/v1/users/not-a-uuid").status == .notFound)
            #expect(try await api.call(.GET, "/api/v1/users/\(UUID())").status == .notFound)
            let unknownSetting = try await api.call(
                .PATCH, "/api/v1/organization", json: #"{"colour":"red"}"#)
            #expect(unknownSetting.status == .unprocessableEntity)
            let badColor = try await api.call(
                .PATCH, "/api/v1/organization", json: #"{"primaryColor":"red","postalCode":"123"}"#)
            let fields =
                (try badColor.json()["error"] as? [String: Any])?["fields"] as? [String: String]
            #expect(fields?["primary_color"] != nil && fields?["postal_code"] != nil)
            let good = try await api.call(
                .PATCH, "/api/v1/organization",
                json:
                    #"{"addressLine1":"1 Main St","postalCode":"10001","city":"New York","state":"ny"}"#
            )
            #expect(good.status == .ok)
            #expect(((try good.json()["settings"] as? [String: Any])?["state"] as? String) == "NY")
        }
    }
}
