import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// `/app/pipeline`: the board's columns, counts and cards, and moves by form and by script.
@Suite("Pipeline board")
struct PipelineTests {
    @Test("the board has a column per status with the list's counts and enrolled debt")
    func boardCounts() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: api)
            let rosa = try await seed.lead(
                "Rosa", "Diaz",
                #""state":"TX","phone":"7135550188","total_unsecured_debt_cents":1840000"#
            )
            let sam = try await seed.lead("Sam", "Lee", #""state":"TX""#)
            let ada = try await seed.lead("Ada", "Byrne", #""state":"TX""#)
            _ = try await seed.lead("Flo", "Ridge", #""state":"FL""#)
            try await seed.move(sam, "contacted")
            try await seed.enrolledDebt(ada, cents: 1_250_000)
            try await seed.move(ada, "contacted", "qualified", "enrolled")
            clock.advance(3 * 86_400)

            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let board = try await browser.get("/app/pipeline")
            #expect(board.status == .ok)
            let html = board.body.string
            for status in LeadStatus.allCases {
                #expect(html.contains("data-column=\"\(status.rawValue)\""), "\(status)")
            }
            #expect(html.boardCount("new") == 2)
            #expect(html.boardCount("contacted") == 1)
            #expect(html.boardCount("enrolled") == 1)
            #expect(html.boardCount("unqualified") == 0)
            #expect(html.contains("$12,500"))
            #expect(html.contains("Closed"))
            #expect(html.contains("4 leads · $12,500 enrolled debt"))
            #expect(!html.contains("Kanban board"), "the coming-soon page is gone")
            #expect(html.contains("href=\"/app/pipeline\""))

            // A card: name, phone, owner, stated debt, days in stage, allowed moves only.
            let card = try #require(html.boardCard(rosa))
            #expect(card.contains("Rosa Diaz"))
            #expect(card.contains("(713) 555-0188"))
            #expect(card.contains("$18,400"))
            #expect(card.contains("3 days"))
            #expect(card.contains("value=\"contacted\""))
            #expect(card.contains("value=\"unqualified\""))
            #expect(!card.contains("value=\"enrolled\""))
            #expect(card.contains("data-targets=\"contacted qualified"))

            // The same filters as the list: only Texas, and the counts follow.
            let texas = try await browser.get("/app/pipeline?state=TX").body.string
            #expect(texas.boardCount("new") == 1)
            #expect(!texas.contains("Flo Ridge"))
            #expect(texas.contains("href=\"/app/leads?state=TX\""))
            let list = try await browser.get("/app/leads?state=TX").body.string
            #expect(list.contains("3 leads · $12,500 enrolled debt"))
            #expect(list.contains("href=\"/app/pipeline?state=TX\""))
            let search = try await browser.get("/app/pipeline?q=ros").body.string
            #expect(search.boardCount("new") == 1)
            #expect(search.boardCount("contacted") == 0)
        }
    }

    @Test("a column shows 50 cards and links to the list for the rest")
    func longColumn() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            try await LeadSeed.bulkInsert(
                51, organizationID: try fixture.organization.requireID, on: app.db,
                start: clock.now)
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let html = try await browser.get("/app/pipeline").body.string
            #expect(html.boardCount("new") == 51)
            #expect(html.components(separatedBy: "class=\"board-card\"").count - 1 == 50)
            #expect(html.contains("View all 51 in the list"))
            #expect(html.contains("href=\"/app/leads?status=new\""))
        }
    }

    @Test("moves follow the pipeline rules, ask for reasons and keep to the agent's leads")
    func formMoves() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: api)
            let mine = try await seed.lead(
                "Rosa", "Diaz", #""state":"TX","owner_id":"\#(try agent.requireID)""#)
            let other = try await seed.lead(
                "Sam", "Lee", #""owner_id":"\#(try fixture.owner.requireID)""#)

            let browser = Browser(app)
            try await browser.signIn(agent.email)
            let board = try await browser.get("/app/pipeline?state=TX").body.string
            #expect(board.contains("Rosa Diaz"))
            #expect(!board.contains("Sam Lee"))

            // Allowed: back to the same board, timeline and audit written by LeadService.
            let moved = try await browser.post(
                "/app/pipeline/leads/\(mine)/move", [("status", "contacted"), ("view", "state=TX")])
            #expect(moved.status == .seeOther)
            #expect(moved.headers.first(name: .location) == "/app/pipeline?state=TX")
            let after = try await browser.get("/app/pipeline?state=TX").body.string
            #expect(after.contains("Moved Rosa Diaz to Contacted."))
            #expect(after.boardCount("contacted") == 1)
            let lead = try #require(try await Lead.find(UUID(uuidString: mine), on: app.db))
            #expect(lead.status == .contacted)
            #expect(
                try await Activity.query(on: app.db).filter(\.$kind == .statusChange).count() == 1)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "lead.status_changed")
                    .count() == 1)

            // Not in the table: refused with the reason, nothing changes.
            let skip = try await browser.post(
                "/app/pipeline/leads/\(mine)/move", [("status", "settled"), ("view", "state=TX")])
            #expect(skip.status == .seeOther)
            let refused = try await browser.get("/app/pipeline?state=TX").body.string
            #expect(refused.contains("A lead cannot move from Contacted to Settled."))
            #expect(try await Lead.find(UUID(uuidString: mine), on: app.db)?.status == .contacted)

            // A move that needs a reason asks for it on its own page.
            let ask = try await browser.post(
                "/app/pipeline/leads/\(mine)/move",
                [("status", "unqualified"), ("view", "state=TX")])
            #expect(ask.status == .unprocessableEntity)
            #expect(ask.body.string.contains("Give a reason for Unqualified."))
            #expect(ask.body.string.contains("name=\"status\" value=\"unqualified\""))
            let reasoned = try await browser.post(
                "/app/pipeline/leads/\(mine)/move",
                [("status", "unqualified"), ("reason", "Debt under $5,000"), ("view", "state=TX")])
            #expect(reasoned.status == .seeOther)
            let change = try #require(
                try await Activity.query(on: app.db).filter(\.$kind == .statusChange)
                    .filter(\.$toStatus == "unqualified").first())
            #expect(change.reason == "Debt under $5,000")

            // Another agent's lead is not found; a viewer may look but not move.
            let hidden = try await browser.post(
                "/app/pipeline/leads/\(other)/move", [("status", "contacted")])
            #expect(hidden.status == .notFound)
            #expect(try await Lead.find(UUID(uuidString: other), on: app.db)?.status == .new)
            let viewer = Browser(app)
            try await viewer.signIn(fixture.users[.viewer]!.email)
            let viewerBoard = try await viewer.get("/app/pipeline").body.string
            #expect(viewerBoard.contains("Sam Lee"))
            #expect(!viewerBoard.contains("Move to…"))
            let denied = try await viewer.post(
                "/app/pipeline/leads/\(other)/move", [("status", "contacted")])
            #expect(denied.status == .forbidden)
        }
    }

    @Test("the board's script gets JSON: new totals on success, the reason on refusal")
    func scriptMoves() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: api)
            let rosa = try await seed.lead("Rosa", "Diaz", #""state":"TX""#)
            _ = try await seed.lead("Sam", "Lee", #""state":"TX""#)
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            try await browser.get("/app/pipeline")
            let json: HTTPHeaders = ["Accept": "application/json"]

            let moved = try await browser.post(
                "/app/pipeline/leads/\(rosa)/move",
                [("status", "contacted"), ("view", "state=TX")],
                headers: json)
            #expect(moved.status == .ok)
            let result = try moved.json()
            #expect(result["status"] as? String == "contacted")
            #expect(result["status_label"] as? String == "Contacted")
            let targets = (result["targets"] as? [[String: Any]] ?? []).compactMap {
                $0["value"] as? String
            }
            #expect(
                targets == [
                    "new", "qualified", "not_interested", "unqualified", "unreachable",
                    "do_not_contact",
                ])
            let columns = result["columns"] as? [[String: Any]] ?? []
            let counts = Dictionary(
                uniqueKeysWithValues: columns.compactMap { column in
                    (column["status"] as? String).map { ($0, column["count"] as? Int ?? -1) }
                })
            #expect(counts["new"] == 1)
            #expect(counts["contacted"] == 1)
            #expect(counts.count == LeadStatus.allCases.count)

            let noReason = try await browser.post(
                "/app/pipeline/leads/\(rosa)/move", [("status", "do_not_contact")], headers: json)
            #expect(noReason.status == .unprocessableEntity)
            let fields =
                (try noReason.json()["error"] as? [String: Any])?["fields"]
                as? [String: String]
            #expect(fields?["reason"] == "Give a reason for Do not contact.")

            try await seed.move(rosa, "qualified")
            let noDebt = try await browser.post(
                "/app/pipeline/leads/\(rosa)/move", [("status", "enrolled")], headers: json)
            #expect(noDebt.status == .unprocessableEntity)
            #expect(noDebt.body.string.contains("Mark at least one debt as enrolled"))
            #expect(try await Lead.find(UUID(uuidString: rosa), on: app.db)?.status == .qualified)
        }
    }
}
