import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// The lead pages: form, list, lead page and its actions.
@Suite("Lead pages")
struct LeadsWebTests {
    @Test("an agent creates a lead from the form, works it on its page and finds it in the list")
    func agentWorksALead() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let browser = Browser(app)
            try await browser.signIn(agent.email)
            #expect(try await browser.get("/app/leads/new").status == .ok)

            let bad = try await browser.post(
                "/app/leads",
                [
                    ("first_name", "Rosa"), ("last_name", "Diaz"), ("phone", "123"),
                    ("email", "rosa@"), ("zip", "99999"),
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("aria-invalid=\"true\""))
            #expect(try await Lead.query(on: app.db).count() == 0)

            let created = try await browser.post(
                "/app/leads",
                [
                    ("first_name", "Rosa"), ("last_name", "Diaz"), ("phone", "(713) 555-0188"),
                    ("phone_type", "mobile"), ("email", "Rosa.Diaz@Example.com"),
                    ("zip", "77002"), ("total_unsecured_debt", "$18,400"),
                    ("monthly_income", "3,200.00"), ("hardship", "Medical bills after surgery"),
                    ("source", "Radio ad"), ("tags", "spanish, callback"),
                    ("notes", "Prefers evenings."), ("tcpa_consent", "yes"),
                ])
            #expect(created.status == .seeOther)
            let lead = try #require(try await Lead.query(on: app.db).first())
            #expect(lead.ownerID == (try agent.requireID))
            #expect(lead.state == "TX")
            #expect(lead.city == "Houston")
            #expect(lead.timeZone == "America/Chicago")
            #expect(lead.statedUnsecuredDebtCents == 1_840_000)
            #expect(try await Consent.query(on: app.db).count() == 1)
            let id = try lead.requireID()

            let page = try await browser.get("/app/leads/\(id)").body.string
            #expect(page.contains("Rosa Diaz"))
            #expect(page.contains("(713) 555-0188"))
            #expect(page.contains("$18,400.00"))
            #expect(page.contains("Prefers evenings."))
            #expect(page.contains("Calls and texts (TCPA express written consent)"))
            #expect(!page.contains("Show (audited)"), "agents cannot reveal sensitive data")

            let note = try await browser.post(
                "/app/leads/\(id)/notes", [("body", "Called, no answer.")])
            #expect(note.status == .seeOther)
            let debt = try await browser.post(
                "/app/leads/\(id)/debts",
                [
                    ("creditor", "Capital One"), ("account_type", "credit_card"),
                    ("balance", "$5,120.50"),
                ])
            #expect(debt.status == .seeOther)
            let debtRow = try #require(try await Debt.query(on: app.db).first())
            #expect(debtRow.balanceCents == 512_050)
            let unqualified = try await browser.post(
                "/app/leads/\(id)/status", [("status", "unqualified"), ("reason", "")])
            #expect(unqualified.status == .unprocessableEntity)
            #expect(unqualified.body.string.contains("Give a reason for Unqualified."))
            let contacted = try await browser.post(
                "/app/leads/\(id)/status", [("status", "contacted")])
            #expect(contacted.status == .seeOther)
            let after = try await browser.get("/app/leads/\(id)").body.string
            #expect(after.contains("New → Contacted"))
            #expect(after.contains("Called, no answer."))
            #expect(after.contains("Added debt Capital One"))

            let list = try await browser.get(
                "/app/leads?q=rosa&status=&owner=&team=&source=&state=&tag=&score_min=&score_max="
                    + "&created_from=&created_to=&sort=newest"
            ).body.string
            #expect(list.contains("/app/leads/\(id)"))
            #expect(
                try await browser.get("/app/leads?q=zed").body.string.contains("No leads match"))
            let byPhone = try await browser.get("/app/leads?q=713-555-0188").body.string
            #expect(byPhone.contains("/app/leads/\(id)"))
        }
    }

    @Test("editing keeps the sealed SSN when left blank; revealing it is audited")
    func editAndReveal() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            try await browser.get("/app/leads/new")
            let created = try await browser.post(
                "/app/leads",
                [
                    ("first_name", "Sam"), ("last_name", "Lee"), ("phone", "2125550177"),
                    ("ssn", "219-09-9999"), ("date_of_birth", "1975-02-14"),
                ])
            #expect(created.status == .seeOther)
            let lead = try #require(try await Lead.query(on: app.db).first())
            let id = try lead.requireID()
            let form = try await browser.get("/app/leads/\(id)/edit").body.string
            #expect(!form.contains("219-09-9999"), "the form never shows the SSN")
            let saved = try await browser.post(
                "/app/leads/\(id)",
                [
                    ("first_name", "Samuel"), ("last_name", "Lee"), ("phone", "2125550177"),
                    ("ssn", ""),
                ])
            #expect(saved.status == .seeOther)
            let reloaded = try #require(try await Lead.find(id, on: app.db))
            #expect(reloaded.firstName == "Samuel")
            #expect(reloaded.ssnLast4 == "9999")

            let page = try await browser.get("/app/leads/\(id)").body.string
            #expect(page.contains("***-**-9999"))
            #expect(!page.contains("219-09-9999"))
            let revealed = try await browser.post("/app/leads/\(id)/reveal")
            #expect(revealed.body.string.contains("219-09-9999"))
            #expect(revealed.body.string.contains("1975-02-14"))
            let audits = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "lead.sensitive_viewed").count()
            #expect(audits == 1)

            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            #expect(try await agent.post("/app/leads/\(id)/reveal").status != .ok)
        }
    }
}
