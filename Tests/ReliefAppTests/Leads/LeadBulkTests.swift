import Fluent
import ReliefCore
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// Bulk changes from the list page and `POST /api/v1/leads/bulk`.
@Suite("Lead bulk actions")
struct LeadBulkTests {
    private func results(_ response: TestingHTTPResponse) throws -> [String: String] {
        let rows = try response.json()["results"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: rows.compactMap { row in
                (row["lead_id"] as? String).map {
                    ($0.lowercased(), row["result"] as? String ?? "")
                }
            })
    }

    @Test("a status change checks each lead; invisible leads are not found and untouched")
    func statusChange() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: owner)
            let agentID = try agent.requireID
            let first = try await seed.lead("Rosa", "Diaz", #""owner_id":"\#(agentID)""#)
            let second = try await seed.lead("Sam", "Lee", #""owner_id":"\#(agentID)""#)
            let already = try await seed.lead("Ada", "Byrne", #""owner_id":"\#(agentID)""#)
            try await seed.move(already, "contacted")
            let hidden = try await seed.lead("Flo", "Ridge")
            let missing = UUID().uuidString

            let (api, _) = try await APIClient.signIn(app, agent.email)
            let ids = [first, second, already, hidden, missing].map { "\"\($0)\"" }
                .joined(separator: ",")
            let response = try await api.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":[\#(ids)],"action":"status","status":"contacted"}"#)
            #expect(response.status == .ok, "\(response.body.string)")
            let body = try response.json()
            #expect(body["action"] as? String == "status")
            #expect(body["changed"] as? Int == 2)
            #expect(body["refused"] as? Int == 1)
            #expect(body["not_found"] as? Int == 2)
            let outcome = try results(response)
            #expect(outcome[first.lowercased()] == "changed")
            #expect(outcome[already.lowercased()] == "refused")
            #expect(outcome[hidden.lowercased()] == "not_found")
            #expect(outcome[missing.lowercased()] == "not_found")
            let refusal = (body["results"] as? [[String: Any]])?.first {
                ($0["lead_id"] as? String)?.lowercased() == already.lowercased()
            }
            #expect(refusal?["message"] as? String == "The lead is already Contacted.")
            #expect(!response.body.string.contains("Flo"))

            // Each changed lead has its own timeline entry and audit entry, plus one summary.
            #expect(
                try await Activity.query(on: app.db).filter(\.$kind == .statusChange).count() == 3)
            let changes = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "lead.status_changed").all()
            let changedIDs = Set(changes.compactMap { $0.entityID?.lowercased() })
            #expect(changedIDs.isSuperset(of: [first.lowercased(), second.lowercased()]))
            #expect(changes.count == 3)
            let summary = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "lead.bulk_action")
                    .first())
            #expect(summary.changes.contains("\"changed\":\"2\""))
            #expect(summary.changes.contains("\"not_found\":\"2\""))
            #expect(try await Lead.find(UUID(uuidString: hidden), on: app.db)?.status == .new)

            // A reason is still required lead by lead.
            let noReason = try await api.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":["\#(first)"],"action":"status","status":"unqualified"}"#)
            #expect(try results(noReason)[first.lowercased()] == "refused")
            #expect(noReason.body.string.contains("Give a reason for Unqualified."))
            let reasoned = try await api.call(
                .POST, "/api/v1/leads/bulk",
                json:
                    #"{"lead_ids":["\#(first)","\#(second)"],"action":"status","status":"unqualified","reason":"Too little debt"}"#
            )
            #expect(try reasoned.json()["changed"] as? Int == 2)

            let bad = try await api.call(
                .POST, "/api/v1/leads/bulk", json: #"{"lead_ids":[],"action":"explode"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("lead_ids"))
            #expect(bad.body.string.contains("action"))
        }
    }

    @Test("assigning needs leads.assign; tags are added once; rules report what they could not do")
    func assignAndTag() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agentID = try fixture.users[.agent]!.requireID
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: owner)
            let rosa = try await seed.lead("Rosa", "Diaz")
            let sam = try await seed.lead("Sam", "Lee")

            let (agent, _) = try await APIClient.signIn(app, fixture.users[.agent]!.email)
            let forbidden = try await agent.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":["\#(rosa)"],"action":"assign","owner_id":"\#(agentID)"}"#)
            #expect(forbidden.status == .forbidden)

            let (manager, _) = try await APIClient.signIn(app, fixture.users[.manager]!.email)
            let noOwner = try await manager.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":["\#(rosa)"],"action":"assign","owner_id":"\#(UUID())"}"#)
            #expect(noOwner.status == .unprocessableEntity)
            let assigned = try await owner.call(
                .POST, "/api/v1/leads/bulk",
                json:
                    #"{"lead_ids":["\#(rosa)","\#(sam)"],"action":"assign","owner_id":"\#(agentID)"}"#
            )
            #expect(try assigned.json()["changed"] as? Int == 2)
            let again = try await owner.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":["\#(rosa)"],"action":"assign","owner_id":"\#(agentID)"}"#)
            #expect(try results(again)[rosa.lowercased()] == "unchanged")
            #expect(try await Lead.query(on: app.db).filter(\.$ownerID == agentID).count() == 2)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "lead.assigned").count()
                    == 2)

            let tagged = try await agent.call(
                .POST, "/api/v1/leads/bulk",
                json:
                    #"{"lead_ids":["\#(rosa)","\#(sam)"],"action":"tag","tag":" Spanish Speaker "}"#
            )
            #expect(try tagged.json()["changed"] as? Int == 2)
            let retag = try await agent.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":["\#(rosa)"],"action":"tag","tag":"spanish-speaker"}"#)
            #expect(try results(retag)[rosa.lowercased()] == "unchanged")
            #expect(
                try await LeadTag.query(on: app.db).filter(\.$tag == "spanish-speaker").count() == 2
            )
            let timeline = try await agent.call(.GET, "/api/v1/leads/\(rosa)/timeline").jsonArray()
            #expect(timeline.first?["summary"] as? String == "Tagged spanish-speaker")
            let taggedList = try await agent.call(.GET, "/api/v1/leads?tag=spanish-speaker").json()
            #expect((taggedList["data"] as? [[String: Any]])?.count == 2)

            // No rule and no fallback owner: the rules cannot assign, and say so.
            let unassigned = try await seed.lead("Flo", "Ridge")
            let byRules = try await owner.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":["\#(unassigned)"],"action":"assign_by_rules"}"#)
            #expect(try results(byRules)[unassigned.lowercased()] == "refused")
            #expect(byRules.body.string.contains("no fallback owner"))
            fixture.organization.fallbackOwnerID = agentID
            try await fixture.organization.save(on: app.db)
            let fallback = try await owner.call(
                .POST, "/api/v1/leads/bulk",
                json: #"{"lead_ids":["\#(unassigned)"],"action":"assign_by_rules"}"#)
            #expect(try results(fallback)[unassigned.lowercased()] == "changed")
            #expect(
                try await Lead.find(UUID(uuidString: unassigned), on: app.db)?.ownerID == agentID)
        }
    }

    @Test(
        "the list page's bulk bar changes the checked rows or the whole page and says how it went")
    func webBulk() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: owner)
            let rosa = try await seed.lead("Rosa", "Diaz", #""state":"TX""#)
            let sam = try await seed.lead("Sam", "Lee", #""state":"TX""#)
            let ada = try await seed.lead("Ada", "Byrne", #""state":"TX""#)
            try await seed.move(ada, "contacted")

            let browser = Browser(app)
            try await browser.signIn(fixture.users[.manager]!.email)
            let page = try await browser.get("/app/leads?state=TX").body.string
            #expect(page.contains("name=\"lead_ids\" value=\"\(rosa)\""))
            #expect(page.contains("Select all on this page"))
            #expect(page.contains("value=\"assign_by_rules\""))
            #expect(page.contains("/js/lead-list.js"))

            let checked = try await browser.post(
                "/app/leads/bulk",
                [
                    ("lead_ids", rosa), ("lead_ids", ada), ("action", "status"),
                    ("status", "contacted"), ("view", "state=TX"),
                ])
            #expect(checked.status == .seeOther)
            #expect(checked.headers.first(name: .location) == "/app/leads?state=TX")
            let summary = try await browser.get("/app/leads?state=TX").body.string
            #expect(
                summary.contains("1 changed, 1 refused: The lead is already Contacted. (Ada Byrne)")
            )
            #expect(try await Lead.find(UUID(uuidString: sam), on: app.db)?.status == .new)

            let whole = try await browser.post(
                "/app/leads/bulk",
                [
                    ("page_ids", rosa), ("page_ids", sam), ("page_ids", ada),
                    ("all_on_page", "yes"), ("action", "tag"), ("tag", "callback"),
                    ("view", "state=TX"),
                ])
            #expect(whole.status == .seeOther)
            #expect(try await browser.get("/app/leads?state=TX").body.string.contains("3 changed"))
            #expect(try await LeadTag.query(on: app.db).filter(\.$tag == "callback").count() == 3)

            let none = try await browser.post(
                "/app/leads/bulk", [("action", "tag"), ("tag", "x"), ("view", "state=TX")])
            #expect(none.status == .seeOther)
            #expect(
                try await browser.get("/app/leads?state=TX").body.string.contains(
                    "Select at least one lead."))

            // Agents have no assign actions in the bar.
            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            let agentPage = try await agent.get("/app/leads").body.string
            #expect(!agentPage.contains("value=\"assign_by_rules\""))
        }
    }
}
