import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// The lead sources page and the sources report with its CSV download.
@Suite("Lead sources report")
struct SourceReportFlowTests {
    @Test("costs set on the sources page drive the report, its charts and its audited CSV")
    func report() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            func lead(_ name: String, _ phone: String, source: String?) async throws -> String {
                let sourceField = source.map { #","source":"\#($0)""# } ?? ""
                let response = try await api.call(
                    .POST, "/api/v1/leads",
                    json:
                        #"{"first_name":"\#(name)","last_name":"Test","phone":"\#(phone)"\#(sourceField)}"#
                )
                #expect(response.status == .created, "\(response.body.string)")
                return try #require(try response.json()["id"] as? String)
            }
            func move(_ id: String, _ statuses: [String]) async throws {
                for status in statuses {
                    let response = try await api.call(
                        .POST, "/api/v1/leads/\(id)/status",
                        json: #"{"status":"\#(status)","reason":"test"}"#)
                    #expect(response.status == .ok, "\(response.body.string)")
                }
            }
            // Facebook: 3 leads, one enrolled with $12,500 enrolled debt, one contacted then
            // lost; Radio: 1 lead, never reached; one lead without a source.
            let enrolled = try await lead("Ann", "2125550101", source: "Facebook")
            let debt = try await api.call(
                .POST, "/api/v1/leads/\(enrolled)/debts",
                json: #"{"creditor":"Chase","balance_cents":1250000,"is_enrolled":true}"#)
            #expect(debt.status == .created)
            try await move(enrolled, ["contacted", "qualified", "enrolled"])
            let lost = try await lead("Ben", "2125550102", source: "facebook")
            try await move(lost, ["contacted", "not_interested"])
            _ = try await lead("Cal", "2125550103", source: "Facebook")
            let radio = try await lead("Dee", "2125550104", source: "Radio")
            try await move(radio, ["unreachable"])
            _ = try await lead("Eve", "2125550105", source: nil)

            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let sourcesPage = try await browser.get("/app/admin/sources")
            #expect(sourcesPage.status == .ok)
            let facebook = try #require(
                try await LeadSource.query(on: app.db).filter(\.$nameKey == "facebook").first())
            let refused = try await browser.post(
                "/app/admin/sources/\(try facebook.requireID())",
                [("vendor", "Meta"), ("campaign", "Spring"), ("cost_per_lead", "forty")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Enter an amount in dollars"))
            let saved = try await browser.post(
                "/app/admin/sources/\(try facebook.requireID())",
                [
                    ("vendor", "Meta"), ("campaign", "Spring"), ("cost_per_lead", "45"),
                    ("is_active", "yes"),
                ])
            #expect(saved.status == .seeOther)
            try await browser.get("/app/admin/sources")
            let added = try await browser.post(
                "/app/admin/sources", [("name", "TV"), ("cost_per_lead", "120.00")])
            #expect(added.status == .seeOther)
            try await browser.get("/app/admin/sources")
            let duplicate = try await browser.post("/app/admin/sources", [("name", "tv")])
            #expect(duplicate.status == .unprocessableEntity)
            let radioSource = try #require(
                try await LeadSource.query(on: app.db).filter(\.$nameKey == "radio").first())
            try await browser.get("/app/admin/sources")
            #expect(
                try await browser.post(
                    "/app/admin/sources/\(try radioSource.requireID())",
                    [("cost_per_lead", "10"), ("is_active", "yes")]
                ).status == .seeOther)
            let sourceAudit = try await AuditEvent.query(on: app.db)
                .filter(\.$entityType == "lead_source").sort(\.$sequence).all().map(\.action)
            #expect(
                sourceAudit == [
                    "lead_source.updated", "lead_source.created", "lead_source.updated",
                ])

            let page = try await browser.get("/app/reports/sources")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Facebook"))
            #expect(html.contains("Meta · Spring"))
            #expect(html.contains("$135.00"), "3 leads × $45")
            #expect(html.contains("$12,500"))
            #expect(html.contains("No source"))
            #expect(html.contains("<svg"))
            #expect(html.contains("Enrollments by source"))

            let csv = try await browser.get("/app/reports/sources/export.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(whereSeparator: \.isNewline).map(String.init)
            #expect(
                lines.first
                    == "source,vendor,campaign,leads,contacted,qualified,enrolled,enrollment_rate,enrolled_debt,cost_per_lead,cost,cost_per_enrollment"
            )
            #expect(
                lines.contains("Facebook,Meta,Spring,3,2,1,1,0.3333,12500.00,45.00,135.00,135.00"))
            #expect(lines.contains("Radio,,,1,0,0,0,0.0000,0.00,10.00,10.00,"))
            #expect(lines.contains("No source,,,1,0,0,0,0.0000,0.00,,0.00,"))
            #expect(lines.last == "Total,,,5,2,1,1,0.2000,12500.00,,145.00,145.00")
            let exported = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "report.exported").all()
            #expect(exported.count == 1)
            #expect(exported.first?.changes.contains("sources") == true)

            // A range without leads, and a bad date.
            let empty = try await browser.get("/app/reports/sources?from=2020-01-01&to=2020-01-31")
            #expect(empty.body.string.contains("No leads were created in this range."))
            let badDate = try await browser.get("/app/reports/sources?from=yesterday")
            #expect(badDate.status == .ok)
            #expect(badDate.body.string.contains("Enter a date like"))

            // Agents cannot read reports or edit sources; viewers can read reports.
            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            #expect(try await agent.get("/app/reports/sources").status == .forbidden)
            #expect(try await agent.get("/app/admin/sources").status == .forbidden)
            let viewer = Browser(app)
            try await viewer.signIn(fixture.users[.viewer]!.email)
            #expect(try await viewer.get("/app/reports/sources").status == .ok)
        }
    }
}
