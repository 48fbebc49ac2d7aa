import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// Merging duplicate leads through the API and the merge page.
@Suite("Lead merge")
struct LeadMergeFlowTests {
    /// Two records of one person: same mobile number, different details, each with consents,
    /// a debt, a note and a task.
    struct Pair {
        var survivor: String
        var other: String
    }

    static func makePair(_ api: APIClient, clock: TestClock) async throws -> Pair {
        let first = try await api.call(
            .POST, "/api/v1/leads",
            json: #"""
                {"first_name":"Maria","last_name":"Lopez","phone":"2125550143",
                 "email":"maria@example.com","zip":"10001","tags":["vip"],"utm_source":"google",
                 "consents":[{"kind":"tcpa_calls_texts","disclosure_text":"Yes, call me."}]}
                """#)
        #expect(first.status == .created, "\(first.body.string)")
        clock.advance(60)
        let second = try await api.call(
            .POST, "/api/v1/leads",
            json: #"""
                {"first_name":"María","middle_name":"José","last_name":"López",
                 "phones":[{"number":"(212) 555-0143","type":"mobile"},{"number":"7135550100","type":"work"}],
                 "emails":["mj@work.example","Maria@Example.com"],"address":"1 Main St","zip":"77002",
                 "total_unsecured_debt_cents":1800000,"tags":["spanish","VIP"],"utm_source":"facebook",
                 "consents":[{"kind":"sms_marketing","disclosure_text":"Texts are fine.","source":"web_form","ip":"203.0.113.9"},
                             {"kind":"email_marketing","granted":false,"disclosure_text":"No e-mail."}],
                 "allow_duplicate":true}
                """#)
        #expect(second.status == .created, "\(second.body.string)")
        let pair = Pair(
            survivor: try #require(try first.json()["id"] as? String),
            other: try #require(try second.json()["id"] as? String))
        for (id, creditor) in [(pair.survivor, "Chase"), (pair.other, "Citi")] {
            let debt = try await api.call(
                .POST, "/api/v1/leads/\(id)/debts",
                json: #"{"creditor":"\#(creditor)","balance_cents":500000,"is_enrolled":true}"#)
            #expect(debt.status == .created)
            let note = try await api.call(
                .POST, "/api/v1/leads/\(id)/notes", json: #"{"body":"Note on \#(creditor)"}"#)
            #expect(note.status == .created)
        }
        let task = try await api.call(
            .POST, "/api/v1/leads/\(pair.other)/tasks",
            json: #"{"title":"Send the Citi statement","due_at":"2026-12-01T15:00:00Z"}"#)
        #expect(task.status == .created, "\(task.body.string)")
        clock.advance(60)
        return pair
    }

    @Test("merging through the API keeps everything of both leads and audits it")
    func apiMerge() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let orgID = try fixture.organization.requireID
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let pair = try await Self.makePair(api, clock: clock)
            let survivorID = try #require(UUID(uuidString: pair.survivor))
            let otherID = try #require(UUID(uuidString: pair.other))
            let consentsBefore = try await Consent.query(on: app.db).sort(\.$id).all()
            #expect(consentsBefore.count == 3)
            let activitiesBefore = try await Activity.query(on: app.db).count()

            // Bad choices write nothing.
            let bad = try await api.call(
                .POST, "/api/v1/leads/\(pair.survivor)/merge",
                json: #"{"other_id":"\#(pair.other)","keep":{"shoe_size":"other"}}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("keep.shoe_size"))
            let itself = try await api.call(
                .POST, "/api/v1/leads/\(pair.survivor)/merge",
                json: #"{"other_id":"\#(pair.survivor)"}"#)
            #expect(itself.status == .unprocessableEntity)
            #expect(try await Lead.query(on: app.db).count() == 2)

            let merged = try await api.call(
                .POST, "/api/v1/leads/\(pair.survivor)/merge",
                json:
                    #"{"other_id":"\#(pair.other)","keep":{"last_name":"other","address":"other"}}"#
            )
            #expect(merged.status == .ok, "\(merged.body.string)")
            let body = try merged.json()
            let lead = try #require(body["lead"] as? [String: Any])
            #expect(body["absorbed_id"] as? String == pair.other)
            #expect(lead["first_name"] as? String == "Maria")
            #expect(lead["middle_name"] as? String == "José")
            #expect(lead["last_name"] as? String == "López")
            #expect(lead["zip"] as? String == "77002")
            #expect(lead["city"] as? String == "Houston")
            #expect(lead["total_unsecured_debt_cents"] as? Int == 1_800_000)
            #expect(lead["phone"] as? String == "+12125550143")
            #expect(
                (lead["phones"] as? [[String: Any]])?.compactMap { $0["number"] as? String }
                    == ["+12125550143", "+17135550100"])
            #expect(
                Set(lead["emails"] as? [String] ?? []) == ["maria@example.com", "mj@work.example"])
            #expect(lead["tags"] as? [String] == ["spanish", "vip"])
            #expect(lead["enrolled_debt_cents"] as? Int == 1_000_000)
            let moved = try #require(body["moved"] as? [String: Int])
            #expect(moved["debts"] == 1)
            #expect(moved["consents"] == 2)
            #expect(moved["tasks"] == 1)
            #expect(moved["phones"] == 1)
            #expect(moved["emails"] == 1)
            #expect(moved["tags"] == 1)

            // Every consent of both leads is on the survivor, unchanged.
            let consentsAfter = try await Consent.query(in: orgID, on: app.db).sort(\.$id).all()
            #expect(consentsAfter.count == 3)
            #expect(consentsAfter.allSatisfy { $0.leadID == survivorID })
            for (before, after) in zip(consentsBefore, consentsAfter) {
                #expect(before.id == after.id)
                #expect(before.kind == after.kind)
                #expect(before.granted == after.granted)
                #expect(before.disclosureText == after.disclosureText)
                #expect(before.capturedAt == after.capturedAt)
                #expect(before.contact == after.contact)
                #expect(before.ip == after.ip)
            }
            // Debts, tasks and the whole timeline moved; one `merged` entry was added.
            #expect(
                try await Debt.query(in: orgID, on: app.db).filter(\.$leadID == survivorID)
                    .count() == 2)
            #expect(
                try await LeadTask.query(in: orgID, on: app.db).filter(\.$leadID == survivorID)
                    .count() == 1)
            let activities = try await Activity.query(in: orgID, on: app.db).all()
            #expect(activities.count == activitiesBefore + 1)
            #expect(activities.allSatisfy { $0.leadID == survivorID })
            let timeline = try await api.call(.GET, "/api/v1/leads/\(pair.survivor)/timeline")
                .jsonArray()
            #expect(timeline.first?["kind"] as? String == "merged")
            #expect((timeline.first?["summary"] as? String)?.contains("María José López") == true)
            #expect(timeline.contains { $0["body"] as? String == "Note on Citi" })
            // No phone or e-mail row is left twice or on the absorbed lead.
            let phones = try await LeadPhoneRecord.query(in: orgID, on: app.db).all()
            #expect(phones.count == 2)
            #expect(phones.allSatisfy { $0.leadID == survivorID })
            #expect(try await LeadEmailRecord.query(in: orgID, on: app.db).count() == 2)
            #expect(try await LeadTag.query(in: orgID, on: app.db).count() == 2)
            // The first touch is the earlier one, the last touch the later one.
            let survivor = try #require(try await Lead.find(survivorID, in: orgID, on: app.db))
            #expect(survivor.firstTouch.contains("google"))
            #expect(survivor.lastTouch.contains("facebook"))

            // The absorbed lead is soft-deleted with a pointer, and gone from the API.
            #expect(try await api.call(.GET, "/api/v1/leads/\(pair.other)").status == .notFound)
            let absorbed = try #require(
                try await Lead.query(on: app.db).withDeleted().filter(\.$id == otherID).first())
            #expect(absorbed.deletedAt != nil)
            #expect(absorbed.mergedIntoID == survivorID)
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "lead.merged")
                .all()
            #expect(audit.count == 1)
            #expect(audit.first?.entityID == pair.survivor)
            #expect(audit.first?.changes.contains(pair.other) == true)
            #expect(audit.first?.changes.contains(pair.survivor) == true)
            #expect(audit.first?.changes.contains("219-") == false)
            // The absorbed lead cannot be merged again.
            let again = try await api.call(
                .POST, "/api/v1/leads/\(pair.survivor)/merge",
                json: #"{"other_id":"\#(pair.other)"}"#)
            #expect(again.status == .notFound)
        }
    }

    @Test("the merge page offers each differing field and merges with the choices made")
    func webMerge() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let pair = try await Self.makePair(api, clock: clock)
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let leadPage = try await browser.get("/app/leads/\(pair.survivor)").body.string
            #expect(leadPage.contains("/app/leads/\(pair.survivor)/merge/\(pair.other)"))
            let page = try await browser.get("/app/leads/\(pair.survivor)/merge/\(pair.other)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("name=\"keep_last_name\""))
            #expect(html.contains("name=\"keep_middle_name\" value=\"other\" checked"))
            #expect(!html.contains("name=\"keep_phone\""), "the same primary phone is no choice")
            #expect(html.contains("1 consent record") == false)
            #expect(html.contains("2 consent records"))
            #expect(html.contains("(212) 555-0143, (713) 555-0100"))

            let posted = try await browser.post(
                "/app/leads/\(pair.survivor)/merge/\(pair.other)",
                [("keep_first_name", "other"), ("keep_middle_name", "survivor")])
            #expect(posted.status == .seeOther)
            #expect(posted.headers.first(name: .location) == "/app/leads/\(pair.survivor)")
            let survivor = try #require(
                try await Lead.find(UUID(uuidString: pair.survivor), on: app.db))
            #expect(survivor.firstName == "María")
            #expect(survivor.middleName == "")
            let after = try await browser.get("/app/leads/\(pair.survivor)").body.string
            #expect(after.contains("Merged María José López into this lead"))
            #expect(after.contains("Send the Citi statement"))
            #expect(!after.contains("Possible duplicate"))
        }
    }

    @Test("a lead absorbed earlier follows its survivor into the next merge")
    func chain() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            var ids: [String] = []
            for name in ["Ann", "Anne", "Annie"] {
                let response = try await api.call(
                    .POST, "/api/v1/leads",
                    json:
                        #"{"first_name":"\#(name)","last_name":"Lee","phone":"2125550111","allow_duplicate":true}"#
                )
                ids.append(try #require(try response.json()["id"] as? String))
            }
            for (survivor, other) in [(ids[1], ids[2]), (ids[0], ids[1])] {
                let merged = try await api.call(
                    .POST, "/api/v1/leads/\(survivor)/merge", json: #"{"other_id":"\#(other)"}"#)
                #expect(merged.status == .ok, "\(merged.body.string)")
            }
            let absorbed = try await Lead.query(on: app.db).withDeleted()
                .filter(\.$mergedIntoID != nil).all()
            #expect(absorbed.count == 2)
            #expect(absorbed.allSatisfy { $0.mergedIntoID == UUID(uuidString: ids[0]) })
            #expect(try await LeadPhoneRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("both leads must be visible to the merger; other tenants' leads are 404")
    func visibility() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            _ = try await Fixture.make(app, slug: "bravo")
            let agent = fixture.users[.agent]!
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let mine = try #require(
                try await owner.call(
                    .POST, "/api/v1/leads",
                    json:
                        #"{"first_name":"Ann","last_name":"Lee","phone":"2125550111","owner_id":"\#(try agent.requireID)"}"#
                ).json()["id"] as? String)
            let hidden = try #require(
                try await owner.call(
                    .POST, "/api/v1/leads",
                    json:
                        #"{"first_name":"Ann","last_name":"Lee","phone":"2125550111","allow_duplicate":true}"#
                ).json()["id"] as? String)
            let (agentAPI, _) = try await APIClient.signIn(app, agent.email)
            let refused = try await agentAPI.call(
                .POST, "/api/v1/leads/\(mine)/merge", json: #"{"other_id":"\#(hidden)"}"#)
            #expect(refused.status == .notFound)
            let browser = Browser(app)
            try await browser.signIn(agent.email)
            #expect(try await browser.get("/app/leads/\(mine)/merge/\(hidden)").status == .notFound)

            let (bravo, _) = try await APIClient.signIn(app, "owner@bravo.example")
            let bravoLead = try #require(
                try await bravo.call(
                    .POST, "/api/v1/leads",
                    json: #"{"first_name":"Ann","last_name":"Lee","phone":"2125550111"}"#
                ).json()["id"] as? String)
            let crossTenant = try await bravo.call(
                .POST, "/api/v1/leads/\(bravoLead)/merge", json: #"{"other_id":"\#(mine)"}"#)
            #expect(crossTenant.status == .notFound)
            #expect(try await Lead.query(on: app.db).count() == 3)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "lead.merged")
                    .count() == 0)
        }
    }
}
