import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

@Suite("Pages")
struct PagesTests {
    @Test("every page renders for the owner, and navigation follows permissions")
    func everyPageRenders() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            for path in ["/login", "/password/forgot"] {
                #expect(try await browser.get(path).status == .ok, "\(path)")
            }
            try await browser.signIn(fixture.owner.email)
            let teamID = try await TeamDirectoryFixture.team(app, in: fixture)
            let userID = try fixture.users[.agent]!.requireID()
            var paths = [
                "/app", "/app/account", "/app/account/sessions", "/app/account/2fa",
                "/app/account/api-keys",
                "/app/admin/users", "/app/admin/users/new", "/app/admin/users/\(userID)",
                "/app/admin/teams",
                "/app/admin/teams/new", "/app/admin/teams/\(teamID)", "/app/admin/organization",
                "/app/admin/roles",
                "/app/admin/audit", "/app/admin/outbox", "/app/leads", "/app/leads/new",
                "/app/imports", "/app/admin/assignment", "/app/admin/assignment/rules/new",
                "/app/tasks", "/app/admin/custom-fields", "/app/admin/sources",
                "/app/reports/sources",
                "/app/pipeline", "/app/compliance", "/app/compliance/rules",
                "/app/compliance/dnc", "/app/compliance/internal-dnc", "/app/compliance/flags",
                "/app/compliance/caller-ids", "/app/compliance/settings",
            ]
            paths += PlannedArea.all.map { "/app/\($0.key)" }
            for path in paths {
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(path) gave \(response.status)")
                #expect(
                    response.body.string.contains("<main id=\"main\""), "\(path) lacks the layout")
            }
            let soon = try await browser.get("/app/qualification")
            #expect(soon.body.string.contains("Credit report parsing"))
            let missing = try await browser.get("/app/admin/users/\(UUID())")
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("<html"))

            let dashboard = try await browser.get("/app")
            #expect(dashboard.body.string.contains("<svg"))
            #expect(dashboard.body.string.contains("Audit log"))
            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            let agentHome = try await agent.get("/app")
            #expect(!agentHome.body.string.contains("/app/admin/audit"))
            #expect(!agentHome.body.string.contains("href=\"/app/compliance\""))
            #expect(dashboard.body.string.contains("href=\"/app/compliance/flags\""))
            #expect(!PlannedArea.all.contains { $0.key == "compliance" })
            #expect(try await agent.get("/app/admin/organization").status == .forbidden)
        }
    }

    @Test("profile, theme and password changes are saved and audited")
    func accountChanges() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            #expect(
                try await browser.post("/app/account/theme", [("theme", "dark")]).status
                    == .seeOther)
            #expect(try await browser.get("/app").body.string.contains("data-theme=\"dark\""))
            #expect(
                try await browser.post("/app/account/theme", [("theme", "purple")]).status
                    == .unprocessableEntity)
            try await browser.get("/app/account")
            let weak = try await browser.post(
                "/app/account/password",
                [
                    ("current_password", Fixture.password), ("new_password", "owner@acme.example"),
                    ("new_password_confirmation", "owner@acme.example"),
                ])
            #expect(weak.status == .unprocessableEntity)
            let changed = try await browser.post(
                "/app/account/password",
                [
                    ("current_password", Fixture.password),
                    ("new_password", "Quiet-Harbor-Lantern-9"),
                    ("new_password_confirmation", "Quiet-Harbor-Lantern-9"),
                ])
            #expect(changed.status == .seeOther)
            let actions = try await AuditEvent.query(in: fixture.organization.requireID, on: app.db)
                .all().map(\.action)
            #expect(actions.contains("user.theme_changed"))
            #expect(actions.contains("auth.password_changed"))
        }
    }

    @Test("organization settings validate every field and keep branding")
    func organizationSettings() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            try await browser.get("/app/admin/organization")
            let bad = try await browser.post(
                "/app/admin/organization",
                [
                    ("name", "Acme"), ("time_zone", "Mars/Base"), ("primary_color", "blue"),
                    ("custom_host", "not a host"), ("agent_visibility", "own"),
                ])
            #expect(bad.status == .unprocessableEntity)
            for message in ["Choose a time zone", "Use a colour", "Use a host name"] {
                #expect(bad.body.string.contains(message), "\(message)")
            }
            let good = try await browser.post(
                "/app/admin/organization",
                [
                    ("name", "Acme Relief"), ("display_name", "Acme"),
                    ("time_zone", "America/Chicago"), ("primary_color", "#AA3300"),
                    ("custom_host", "crm.acme.example"), ("agent_visibility", "own"),
                    ("require_two_factor", "on"),
                    ("address_line1", "1 Main St"), ("city", "Austin"), ("state", "tx"),
                    ("postal_code", "78701"), ("country", "us"),
                ])
            #expect(good.status == .seeOther)
            let org = try #require(try await Organization.find(fixture.organization.id, on: app.db))
            #expect(
                org.primaryColor == "#aa3300" && org.customHost == "crm.acme.example"
                    && org.state == "TX" && org.requireTwoFactor)
            #expect(org.visibility == .own)
        }
    }
}

enum TeamDirectoryFixture {
    static func team(_ app: Application, in fixture: Fixture) async throws -> UUID {
        let team = Team(
            organizationID: try fixture.organization.requireID, name: "Closers",
            managerID: fixture.users[.manager]?.id)
        try await team.create(on: app.db)
        return try team.requireID()
    }
}
