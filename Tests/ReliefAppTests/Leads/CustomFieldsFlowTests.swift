import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// Custom lead fields: the admin page, values through the API and the lead page.
@Suite("Custom fields")
struct CustomFieldsFlowTests {
    /// Adds the fields an organization in the tests uses, through the admin page.
    static func defineFields(_ browser: Browser) async throws {
        try await browser.get("/app/admin/custom-fields")
        for form in [
            [("label", "Employer"), ("kind", "text")],
            [("label", "Prior settlement"), ("key", "prior_settlement"), ("kind", "money")],
            [
                ("label", "Bankruptcy court"), ("key", "court"), ("kind", "choice"),
                ("choices", "Chapter 7\nChapter 13"),
            ],
            [("label", "Hearing"), ("kind", "date")],
        ] {
            let response = try await browser.post("/app/admin/custom-fields", form)
            #expect(response.status == .seeOther, "\(response.body.string)")
            try await browser.get("/app/admin/custom-fields")
        }
    }

    @Test("owners define, edit, reorder and deactivate fields; others may not")
    func adminPage() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            try await Self.defineFields(browser)
            let fields = try await CustomFieldDefinition.query(on: app.db).sort(\.$position).all()
            #expect(fields.map(\.key) == ["employer", "prior_settlement", "court", "hearing"])
            #expect(fields[2].choices == ["Chapter 7", "Chapter 13"])

            let clash = try await browser.post(
                "/app/admin/custom-fields", [("label", "Employer"), ("kind", "text")])
            #expect(clash.status == .unprocessableEntity)
            #expect(clash.body.string.contains("Another field already uses the key employer."))
            try await browser.get("/app/admin/custom-fields")
            let noChoices = try await browser.post(
                "/app/admin/custom-fields", [("label", "Plan"), ("kind", "choice")])
            #expect(noChoices.status == .unprocessableEntity)
            #expect(noChoices.body.string.contains("Give 1 to 50 choices"))

            let courtID = try fields[2].requireID()
            #expect(try await browser.get("/app/admin/custom-fields/\(courtID)").status == .ok)
            let edited = try await browser.post(
                "/app/admin/custom-fields/\(courtID)",
                [("label", "Court"), ("choices", "Chapter 7\nChapter 11\nChapter 13")])
            #expect(edited.status == .seeOther)
            try await browser.get("/app/admin/custom-fields")
            #expect(
                try await browser.post(
                    "/app/admin/custom-fields/\(courtID)/move", [("direction", "up")]
                ).status == .seeOther)
            try await browser.get("/app/admin/custom-fields")
            #expect(
                try await browser.post(
                    "/app/admin/custom-fields/\(try fields[3].requireID())/active",
                    [("active", "false")]
                ).status == .seeOther)
            let after = try await CustomFieldDefinition.query(on: app.db).sort(\.$position).all()
            #expect(after.map(\.key) == ["employer", "court", "prior_settlement", "hearing"])
            #expect(after[1].label == "Court")
            #expect(after[1].choices == ["Chapter 7", "Chapter 11", "Chapter 13"])
            #expect(after[3].isActive == false)
            let actions = try await AuditEvent.query(on: app.db)
                .filter(\.$entityType == "custom_field").sort(\.$sequence).all().map(\.action)
            #expect(
                actions == [
                    "custom_field.created", "custom_field.created", "custom_field.created",
                    "custom_field.created", "custom_field.updated", "custom_field.moved",
                    "custom_field.deactivated",
                ])

            let manager = Browser(app)
            try await manager.signIn(fixture.users[.manager]!.email)
            #expect(try await manager.get("/app/admin/custom-fields").status == .forbidden)
        }
    }

    @Test("the lead API checks values by kind, stores them canonically and audits changes")
    func api() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            try await Self.defineFields(browser)
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)

            let refused = try await api.call(
                .POST, "/api/v1/leads",
                json: #"""
                    {"first_name":"Sam","last_name":"Lee","phone":"2125550177",
                     "custom_fields":{"prior_settlement":"12.345","court":"Chapter 11","shoe_size":"9"}}
                    """#)
            #expect(refused.status == .unprocessableEntity)
            let fields =
                (try refused.json()["error"] as? [String: Any])?["fields"] as? [String: String]
            #expect(
                Set(fields?.keys.map { $0 } ?? [])
                    == [
                        "custom_fields.prior_settlement", "custom_fields.court",
                        "custom_fields.shoe_size",
                    ])
            #expect(try await Lead.query(on: app.db).count() == 0)

            let created = try await api.call(
                .POST, "/api/v1/leads",
                json: #"""
                    {"first_name":"Sam","last_name":"Lee","phone":"2125550177",
                     "custom_fields":{"employer":" Acme Corp ","prior_settlement":"$1,250.50",
                                      "court":"chapter 7","hearing":"12/03/2026"}}
                    """#)
            #expect(created.status == .created, "\(created.body.string)")
            let id = try #require(try created.json()["id"] as? String)
            let values = try #require(try created.json()["custom_fields"] as? [String: String])
            #expect(
                values == [
                    "employer": "Acme Corp", "prior_settlement": "1250.50", "court": "Chapter 7",
                    "hearing": "2026-12-03",
                ])
            let row = try #require(try await Lead.find(UUID(uuidString: id), on: app.db))
            #expect(CustomFieldValues.decode(row.customFields)["prior_settlement"] == "125050")

            // Sending back what was read changes nothing; null clears; numbers are accepted.
            let same = try await api.call(
                .PATCH, "/api/v1/leads/\(id)",
                json: #"{"custom_fields":{"prior_settlement":"1250.50"}}"#)
            #expect(same.status == .ok)
            let patched = try await api.call(
                .PATCH, "/api/v1/leads/\(id)",
                json: #"{"custom_fields":{"employer":null,"prior_settlement":99}}"#)
            #expect(patched.status == .ok, "\(patched.body.string)")
            let after = try #require(try patched.json()["custom_fields"] as? [String: String])
            #expect(after["employer"] == nil)
            #expect(after["prior_settlement"] == "99.00")
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "lead.updated")
                .all()
            #expect(audit.count == 1)
            #expect(audit.first?.changes.contains("custom_fields.employer") == true)
            #expect(audit.first?.changes.contains("custom_fields.prior_settlement") == true)

            // A deactivated field keeps its value and refuses changes.
            let hearing = try #require(
                try await CustomFieldDefinition.query(on: app.db).filter(\.$key == "hearing")
                    .first())
            hearing.isActive = false
            try await hearing.save(on: app.db)
            let retired = try await api.call(
                .PATCH, "/api/v1/leads/\(id)", json: #"{"custom_fields":{"hearing":"2027-01-01"}}"#)
            #expect(retired.status == .unprocessableEntity)
            #expect(retired.body.string.contains("Hearing is no longer in use."))
            #expect(
                try await api.call(.GET, "/api/v1/leads/\(id)").json()["custom_fields"]
                    .flatMap { $0 as? [String: String] }?["hearing"] == "2026-12-03")
        }
    }

    @Test("the lead page shows the values and saves them from its small form")
    func leadPage() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            try await Self.defineFields(browser)
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let id = try #require(
                try await api.call(
                    .POST, "/api/v1/leads",
                    json: #"""
                        {"first_name":"Sam","last_name":"Lee","phone":"2125550177",
                         "utm_source":"google","utm_medium":"cpc","utm_campaign":"spring",
                         "custom_fields":{"prior_settlement":"1250.5"}}
                        """#
                ).json()["id"] as? String)
            let page = try await browser.get("/app/leads/\(id)").body.string
            #expect(page.contains("More details"))
            #expect(page.contains("$1,250.50"))
            #expect(page.contains("name=\"cf_court\""))
            #expect(page.contains("First touch"))
            #expect(page.contains("google / cpc · spring"))

            let bad = try await browser.post(
                "/app/leads/\(id)/custom-fields",
                [("cf_employer", "Globex"), ("cf_prior_settlement", "lots"), ("cf_court", "")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Enter an amount in dollars"))
            #expect(bad.body.string.contains("value=\"lots\""))
            try await browser.get("/app/leads/\(id)")
            let saved = try await browser.post(
                "/app/leads/\(id)/custom-fields",
                [
                    ("cf_employer", "Globex"), ("cf_prior_settlement", "1250.50"),
                    ("cf_court", "Chapter 13"), ("cf_hearing", "2026-12-03"),
                ])
            #expect(saved.status == .seeOther)
            let lead = try #require(try await Lead.find(UUID(uuidString: id), on: app.db))
            #expect(
                CustomFieldValues.decode(lead.customFields)
                    == [
                        "employer": "Globex", "prior_settlement": "125050", "court": "Chapter 13",
                        "hearing": "2026-12-03",
                    ])
            let after = try await browser.get("/app/leads/\(id)").body.string
            #expect(after.contains("Changed custom_fields.court, custom_fields.employer"))
        }
    }
}
