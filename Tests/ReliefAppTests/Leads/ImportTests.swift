import Fluent
import ReliefCore
import SQLKit
import Testing
import Vapor

@testable import ReliefApp

/// Lead imports through the API, the pages and the job: automatic mapping, every kind of bad
/// row, duplicates under each policy, files that are not CSV, size limits.
@Suite("Lead import")
struct ImportTests {
    static let header =
        "First Name,Last Name,Email,Phone,Address,City,State,Zip,Total Unsecured Debt,Monthly Income,Source,Notes\n"

    /// A UTF-8 file (with a byte order mark, so the bad bytes below are not taken for
    /// Windows-1252) of eleven data rows: 2 good, 1 duplicate within the file, 1 duplicate of a
    /// stored lead, 7 rejected (invalid phone, impossible ZIP, negative debt, wrong column count,
    /// stray quote, invalid UTF-8, an empty row).
    static var messyFile: [UInt8] {
        var text = header
        text +=
            "Maria,Lopez,Maria.Lopez@Example.com,(212) 555-0143,12 W 31st St,New York,NY,10001,\"$12,345.67\",\"4,100\",Radio ad,Called twice\n"
        text += "MARIA,LOPEZ,,212.555.0143,,,,,,,,duplicate within the file\n"
        text += "Bob,Stone,bob@example.com,555-12,1 Main St,Dallas,TX,75201,9000,3000,,\n"
        text += "Cara,Diaz,cara@example.com,7135550101,,Houston,TX,00000,5000,,,\n"
        text += "Dan,Roe,dan@example.com,7135550102,,Houston,TX,77002,-$500,,,\n"
        text += "Eve,Moss,eve@example.com,7135550103,,Houston\n"
        text += "Jo\"hn,Park,john@example.com,7135550104,,Houston,TX,77002,100,,,\n"
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        bytes +=
            Array("Fay,Lee".utf8) + [0xFF, 0xFE]
            + Array(",fay@example.com,7135550105,,,,77002,,,,\n".utf8)
        bytes += Array(
            "Gus,Hall,gus@example.com,3055550106,,Miami,FL,33101,\"$22,000\",,Facebook spring,\"Notes, with a comma\nand a second line\"\n"
                .utf8)
        bytes += Array(",,,,,,,,,,,\n".utf8)
        bytes += Array("Hana,Kim,HANA@stored.example,9175550107,,,NY,10001,15000,,,\n".utf8)
        return bytes
    }

    /// Runs queued jobs until the import is finished.
    static func finish(_ app: Application, _ id: String) async throws -> LeadImport {
        let worker = JobWorker(application: app, options: .fast)
        let task = Task { await worker.run() }
        try await eventually("the import finishes") {
            let record = try await LeadImport.find(UUID(uuidString: id), on: app.db)
            return record?.state == .completed || record?.state == .failed
        }
        await worker.stop()
        await task.value
        return try #require(try await LeadImport.find(UUID(uuidString: id), on: app.db))
    }

    @Test("a file with the common headers imports without a mapping; every row has one outcome")
    func automaticMappingAndOutcomes() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let stored = try await api.call(
                .POST, "/api/v1/leads",
                json: #"{"first_name":"Hana","last_name":"Kim","email":"hana@stored.example"}"#)
            #expect(stored.status == .created)

            let response = try await api.upload(
                "/api/v1/imports?file_name=vendor.csv&source=Vendor%20A", Self.messyFile)
            #expect(response.status == .accepted, "\(response.body.string)")
            let id = try #require(try response.json()["id"] as? String)
            let record = try await Self.finish(app, id)

            let status = try await api.call(.GET, "/api/v1/imports/\(id)").json()
            #expect(status["state"] as? String == "completed")
            #expect(status["total_rows"] as? Int == 11)
            #expect(status["created"] as? Int == 2)
            #expect(status["updated"] as? Int == 0)
            #expect(status["skipped_duplicates"] as? Int == 2)
            #expect(status["rejected"] as? Int == 7)
            #expect(
                record.createdCount + record.updatedCount + record.skippedDuplicates
                    + record.rejectedCount == record.totalRows)

            let maria = try #require(
                try await Lead.query(on: app.db).filter(\.$lastNameKey == "lopez").first())
            #expect(maria.statedUnsecuredDebtCents == 1_234_567)
            #expect(maria.monthlyIncomeCents == 410_000)
            #expect(maria.primaryPhone == "+12125550143")
            #expect(maria.primaryEmail == "maria.lopez@example.com")
            #expect(maria.timeZone == "America/New_York")
            let gus = try #require(
                try await Lead.query(on: app.db).filter(\.$lastNameKey == "hall").first())
            #expect(gus.timeZone == "America/New_York")
            let sources = try await LeadSource.query(on: app.db).all().map(\.name).sorted()
            #expect(sources == ["Facebook spring", "Radio ad"])
            let timeline = try await Activity.query(on: app.db)
                .filter(\.$leadID == maria.requireID()).all()
            #expect(timeline.contains { $0.kind == .imported && $0.summary.contains("vendor.csv") })
            #expect(timeline.contains { $0.body == "Called twice" })

            let rejected = try await api.call(.GET, "/api/v1/imports/\(id)/rejected.csv")
            #expect(rejected.headers.contentType?.subType == "csv")
            let lines = rejected.body.string.split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("row_number,byte_offset,reason,First Name") == true)
            #expect(lines.count == 8)
            let byRow = Dictionary(
                lines.dropFirst().map { (Int($0.prefix { $0 != "," }) ?? 0, $0) },
                uniquingKeysWith: { first, _ in first })
            #expect(byRow[4]?.contains("phone:") == true)
            #expect(byRow[5]?.contains("ZIP 00000") == true)
            #expect(byRow[6]?.contains("negative") == true)
            #expect(byRow[7]?.contains("6 fields") == true)
            #expect(byRow[8]?.contains("quote") == true)
            #expect(byRow[9]?.contains("UTF-8") == true)
            #expect(byRow[11]?.contains("empty") == true)
            let audits = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "lead_import.completed").count()
            #expect(audits == 1)
        }
    }

    @Test("duplicates fill empty fields with update and replace values with overwrite")
    func duplicatePolicies() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let created = try await api.call(
                .POST, "/api/v1/leads",
                json:
                    #"{"first_name":"Ivy","last_name":"Cole","phone":"2125550188","city":"Albany"}"#
            )
            let id = try #require(try created.json()["id"] as? String)
            let file = Array(
                (Self.header
                    + "Ivy,Cole,ivy@example.com,212-555-0188,,Buffalo,NY,14201,8000,,,\n").utf8)

            let update = try await api.upload("/api/v1/imports?duplicates=update", file)
            let first = try await Self.finish(
                app, try #require(try update.json()["id"] as? String))
            #expect(first.updatedCount == 1)
            var lead = try await api.call(.GET, "/api/v1/leads/\(id)").json()
            #expect(lead["city"] as? String == "Albany")
            #expect(lead["email"] as? String == "ivy@example.com")
            #expect(lead["total_unsecured_debt_cents"] as? Int == 800_000)

            let overwrite = try await api.upload("/api/v1/imports?duplicates=overwrite", file)
            let second = try await Self.finish(
                app, try #require(try overwrite.json()["id"] as? String))
            #expect(second.updatedCount == 1)
            lead = try await api.call(.GET, "/api/v1/leads/\(id)").json()
            #expect(lead["city"] as? String == "Buffalo")
            #expect(try await Lead.query(on: app.db).count() == 1)
        }
    }

    @Test("a file that is not CSV fails with a clear message; oversized uploads are refused")
    func badFiles() async throws {
        let smallLimit: (inout AppConfig) -> Void = { $0.maxImportBytes = 1_048_576 }
        try await withApp(configuring: smallLimit) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let pdf = Array("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8)
            let response = try await api.upload("/api/v1/imports?file_name=leads.pdf", pdf)
            let record = try await Self.finish(
                app, try #require(try response.json()["id"] as? String))
            #expect(record.state == .failed)
            #expect(record.error?.contains("PDF") == true)

            // A declared Content-Length over the limit is refused before the body is read: the
            // in-memory tester rewrites that header, so reliefTests checks it over a socket.
            let undeclared = try await api.upload(
                "/api/v1/imports", Array(repeating: UInt8(ascii: "a"), count: 1_200_000))
            #expect(undeclared.status == .payloadTooLarge)
            #expect(undeclared.body.string.contains("RELIEF_MAX_IMPORT_MB"))
            #expect(try await LeadImport.query(on: app.db).count() == 1)
        }
    }

    @Test("the import page uploads, maps with a preview, runs and offers the rejected rows")
    func pages() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.users[.manager]!.email)
            #expect(try await browser.get("/app/imports").status == .ok)
            let file = Array(
                ("fname;lname;Cell;ZIP5;Debt Amount;Comments\n"
                    + "Lia;Ford;(305) 555-0142;33101;\"$4,000\";Prefers Spanish\n"
                    + "Max;Bell;not a phone;33101;100;\n").utf8)
            let uploaded = try await browser.upload("/app/imports", file, fileName: "semi.csv")
            #expect(uploaded.status == .created, "\(uploaded.body.string)")
            let target = try #require(try uploaded.json()["url"] as? String)
            let mapping = try await browser.get(target + "?source=Partner")
            #expect(mapping.status == .ok)
            let page = mapping.body.string
            #expect(page.contains("Lia Ford"))
            #expect(page.contains("(305) 555-0142"))
            #expect(page.contains("$4,000.00"))
            #expect(page.contains("Rejected"))
            let id = String(target.split(separator: "/").last ?? "")
            let started = try await browser.post(
                "/app/imports/\(id)/start",
                [
                    ("column_0", "first_name"), ("column_1", "last_name"),
                    ("column_2", "mobile_phone"), ("column_3", "zip"),
                    ("column_4", "total_unsecured_debt"), ("column_5", "notes"),
                    ("source", "Partner"), ("duplicates", "skip"),
                ])
            #expect(started.status == .seeOther)
            let record = try await Self.finish(app, id)
            #expect(record.createdCount == 1)
            #expect(record.rejectedCount == 1)
            let result = try await browser.get("/app/imports/\(id)").body.string
            #expect(result.contains("Finished"))
            #expect(result.contains("rejected.csv"))
            let csv = try await browser.get("/app/imports/\(id)/rejected.csv").body.string
            #expect(csv.contains("Max"))
            let saved = try await SavedImportMapping.query(on: app.db).first()
            #expect(saved?.mapping.contains("mobile_phone") == true)

            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            #expect(try await agent.get("/app/imports").status == .forbidden)
        }
    }

    @Test(
        "duplicate lookups probe their index even with statistics of a small organization (SQLite)")
    func duplicateLookupPlan() async throws {
        try await withApp { app, _ in
            guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else {
                return
            }
            let keys = (0..<2_000).map { String(format: "+1512555%04d", $0) }
            // Statistics as ANALYZE writes them for an organization of 2,415 phones (one
            // organization, so organization_id matches every row): with them, and without the
            // index named, SQLite plans a 2,000-key lookup as a scan of lead_phones.
            let plan = try await app.db.withConnection { db -> String in
                let sql = try #require(db as? any SQLDatabase)
                try await sql.raw("ANALYZE").run()
                try await sql.raw("DELETE FROM sqlite_stat1").run()
                for (index, stat) in [
                    ("lead_phones_org_e164", "2415 2415 1"), ("lead_phones_lead", "2415 2"),
                    ("sqlite_autoindex_lead_phones_1", "2415 1"),
                ] {
                    try await sql.raw(
                        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('lead_phones', \(bind: index), \(bind: stat))"
                    ).run()
                }
                try await sql.raw("ANALYZE sqlite_schema").run()
                let lookup = LeadImporter.duplicateLookup(
                    table: "lead_phones", column: "e164", index: "lead_phones_org_e164",
                    organizationID: UUID(), keys: keys, namingIndex: true)
                return try await sql.raw("EXPLAIN QUERY PLAN \(lookup)").all()
                    .map { try $0.decode(column: "detail", as: String.self) }
                    .joined(separator: "\n")
            }
            #expect(plan.contains("USING INDEX lead_phones_org_e164"), "\(plan)")
            #expect(!plan.contains("SCAN lead_phones"), "\(plan)")
        }
    }
}
