import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// Lead list exports: `/app/leads/export.csv` and `/api/v1/leads/export.csv`.
@Suite("Lead export")
struct LeadExportTests {
    /// The rows of a CSV body as header name -> field, read back with our own CSV reader.
    private func rows(_ body: String) throws -> [[String: String]] {
        var reader = CSVReader(dialect: CSVDialect())
        reader.append(Array(body.utf8))
        reader.finish()
        var records: [[String]] = []
        while let row = reader.next() { records.append(row.fields ?? []) }
        guard let header = records.first else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test(
        "the export has the list's leads with contacts, debts and tags; SSN only with sensitive.read"
    )
    func columnsAndPermissions() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: owner)
            let rosa = try await seed.lead(
                "Rosa", "Diaz",
                #"""
                "phone":"7135550188","zip":"77002","address":"=HYPERLINK(\"http://x\")",
                "ssn":"219-09-9999","date_of_birth":"1980-04-23","source":"@Radio",
                "tags":["callback","spanish"],"total_unsecured_debt_cents":1840000
                """#)
            try await seed.enrolledDebt(rosa, cents: 500_000)
            _ = try await owner.call(
                .POST, "/api/v1/leads/\(rosa)/debts",
                json: #"{"creditor":"Citi","balance_cents":250050}"#)
            _ = try await seed.lead("Flo", "Ridge", #""state":"FL""#)

            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let list = try await browser.get("/app/leads?state=TX").body.string
            #expect(list.contains("href=\"/app/leads/export.csv?state=TX\""))
            let response = try await browser.get("/app/leads/export.csv?state=TX")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "csv")
            #expect(
                response.headers.first(name: .contentDisposition)?.contains("leads-acme-") == true)
            let body = response.body.string
            #expect(
                body.hasPrefix(CSVWriter.line(LeadExport.columns + LeadExport.sensitiveColumns)))
            let exported = try rows(body)
            #expect(exported.count == 1)
            let row = try #require(exported.first)
            #expect(row["id"]?.lowercased() == rosa.lowercased())
            #expect(row["first_name"] == "Rosa")
            #expect(row["phone"] == "(713) 555-0188")
            #expect(row["email"] == "rosa.diaz@mail.example")
            #expect(row["city"] == "Houston")
            #expect(row["address"] == "'=HYPERLINK(\"http://x\")", "formulas are defused")
            #expect(row["source"] == "'@Radio")
            #expect(row["tags"] == "callback; spanish")
            #expect(row["stated_unsecured_debt"] == "18400.00")
            #expect(row["debt_count"] == "2")
            #expect(row["debt_balance_total"] == "7500.50")
            #expect(row["enrolled_debt"] == "5000.00")
            #expect(row["owner"] == "")
            #expect(row["ssn"] == "219-09-9999")
            #expect(row["date_of_birth"] == "1980-04-23")
            #expect(row["created_at"]?.isEmpty == false)
            let audit = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "lead.exported")
                    .first())
            #expect(audit.changes.contains("\"filter\":\"state=TX\""))
            #expect(audit.changes.contains("\"rows\":\"1\""))
            #expect(audit.changes.contains("\"sensitive\":\"ssn, date_of_birth\""))

            // A manager exports without SSN and date of birth; agents and compliance may not.
            let manager = Browser(app)
            try await manager.signIn(fixture.users[.manager]!.email)
            let managerBody = try await manager.get("/app/leads/export.csv").body.string
            #expect(!managerBody.contains("ssn"))
            #expect(!managerBody.contains("219-09-9999"))
            #expect(try rows(managerBody).count == 2)
            for role in [ReliefCore.Role.agent, .compliance] {
                let user = Browser(app)
                try await user.signIn(fixture.users[role]!.email)
                #expect(try await user.get("/app/leads/export.csv").status == .forbidden, "\(role)")
                #expect(!(try await user.get("/app/leads").body.string.contains("Export CSV")))
            }
        }
    }

    @Test("the API export pages through every lead in the list's order, past a batch")
    func apiStreamsAllRows() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            try await LeadSeed.bulkInsert(
                LeadExport.batchSize + 5, organizationID: try fixture.organization.requireID,
                on: app.db, start: clock.now)
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            _ = try await LeadSeed(api: api).lead("Rosa", "Diaz", #""state":"TX""#)

            let response = try await api.call(.GET, "/api/v1/leads/export.csv?state=NV")
            #expect(response.status == .ok)
            let exported = try rows(response.body.string)
            #expect(exported.count == LeadExport.batchSize + 5)
            #expect(Set(exported.compactMap { $0["id"] }).count == exported.count)
            #expect(exported.first?["last_name"] == "Lead \(LeadExport.batchSize + 4)")
            #expect(exported.last?["last_name"] == "Lead 0")
            let audit = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "lead.exported")
                    .first())
            #expect(audit.changes.contains("\"rows\":\"\(LeadExport.batchSize + 5)\""))
            #expect(audit.changes.contains("\"completed\":\"yes\""))

            let (agent, _) = try await APIClient.signIn(app, fixture.users[.agent]!.email)
            #expect(try await agent.call(.GET, "/api/v1/leads/export.csv").status == .forbidden)
        }
    }
}
