import Fluent
import Testing
import Vapor

@testable import ReliefApp

/// Saved lead list views: per user, from the list page and `/api/v1/lead-views`.
@Suite("Saved lead views")
struct SavedViewsTests {
    @Test("a view saved on the list page is a link for its owner only, and can be deleted")
    func webViews() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let list = try await browser.get("/app/leads?state=TX&status=new&sort=name")
            #expect(
                list.body.string.contains(
                    "name=\"query\" value=\"status=new&amp;state=TX&amp;sort=name\""))
            #expect(list.body.string.contains("None yet"))

            let saved = try await browser.post(
                "/app/leads/views",
                [
                    ("name", " Texas new "),
                    ("query", "status=new&state=TX&sort=name&cursor=abc&x=1"),
                ])
            #expect(saved.status == .seeOther)
            #expect(
                saved.headers.first(name: .location) == "/app/leads?status=new&state=TX&sort=name")
            let view = try #require(try await SavedView.query(on: app.db).first())
            #expect(view.name == "Texas new")
            #expect(view.query == "status=new&state=TX&sort=name")
            #expect(view.userID == (try fixture.owner.requireID))
            let page = try await browser.get("/app/leads?status=new&state=TX&sort=name").body.string
            #expect(page.contains("Saved the view Texas new."))
            #expect(page.contains("href=\"/app/leads?status=new&amp;state=TX&amp;sort=name\""))
            #expect(page.contains("aria-current=\"true\">Texas new</a>"))
            let audit = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "saved_view.created")
                    .first())
            #expect(audit.changes.contains("status=new&state=TX&sort=name"))

            let again = try await browser.post(
                "/app/leads/views", [("name", "texas NEW"), ("query", "state=TX")])
            #expect(again.status == .seeOther)
            #expect(
                try await browser.get("/app/leads?state=TX").body.string.contains(
                    "You already have a view named texas NEW."))
            #expect(try await SavedView.query(on: app.db).count() == 1)

            // Another user neither sees nor deletes it.
            let manager = Browser(app)
            try await manager.signIn(fixture.users[.manager]!.email)
            #expect(!(try await manager.get("/app/leads").body.string.contains("Texas new")))
            let id = try view.requireID()
            #expect(
                try await manager.post("/app/leads/views/\(id)/delete").status == .notFound)
            #expect(try await SavedView.query(on: app.db).count() == 1)

            let deleted = try await browser.post("/app/leads/views/\(id)/delete")
            #expect(deleted.status == .seeOther)
            #expect(try await SavedView.query(on: app.db).count() == 0)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "saved_view.deleted")
                    .count() == 1)
        }
    }

    @Test("the API lists, saves and deletes the caller's views; others' are 404")
    func apiViews() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let (agent, _) = try await APIClient.signIn(app, fixture.users[.agent]!.email)

            let created = try await owner.call(
                .POST, "/api/v1/lead-views",
                json: #"{"name":"Hot Florida","query":"?state=FL&sort=heat&score_min=5"}"#)
            #expect(created.status == .created, "\(created.body.string)")
            let body = try created.json()
            let id = try #require(body["id"] as? String)
            #expect(body["query"] as? String == "state=FL&score_min=5.0&sort=heat")
            #expect(body["created_at"] != nil)
            let mine = try await agent.call(
                .POST, "/api/v1/lead-views", json: #"{"name":"Mine","query":"owner=none"}"#)
            #expect(mine.status == .created)

            let ownerViews = try await owner.call(.GET, "/api/v1/lead-views").jsonArray()
            #expect(ownerViews.compactMap { $0["name"] as? String } == ["Hot Florida"])
            let agentViews = try await agent.call(.GET, "/api/v1/lead-views").jsonArray()
            #expect(agentViews.compactMap { $0["name"] as? String } == ["Mine"])

            let blank = try await owner.call(
                .POST, "/api/v1/lead-views", json: #"{"name":"  ","query":""}"#)
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.string.contains("Give the view a name."))
            let malformed = try await owner.call(
                .POST, "/api/v1/lead-views", json: #"{"name":"Bad","query":"score_min=lots"}"#)
            #expect(malformed.status == .unprocessableEntity)
            #expect(
                ((try malformed.json()["error"] as? [String: Any])?["fields"] as? [String: String])?[
                    "query"] != nil)

            #expect(try await agent.call(.DELETE, "/api/v1/lead-views/\(id)").status == .notFound)
            #expect(try await owner.call(.DELETE, "/api/v1/lead-views/\(id)").status == .noContent)
            #expect(try await owner.call(.DELETE, "/api/v1/lead-views/\(id)").status == .notFound)
            #expect(try await SavedView.query(on: app.db).count() == 1)
        }
    }
}
