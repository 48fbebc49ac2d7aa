import Fluent
import SQLKit
import Testing
import Vapor

@testable import ReliefApp

@Suite("Audit trail")
struct AuditTests {
    @Test("the chain verifies, and any edit, deletion or reordering is found")
    func tamperEvidence() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            _ = try await Fixture.make(app, slug: "other")
            let orgID = try fixture.organization.requireID
            #expect(try await app.relief.audit.verifyAll(on: app.db).isEmpty)
            let rows = try await AuditEvent.query(in: orgID, on: app.db).sort(\.$sequence).all()
            #expect(rows.map(\.sequence) == Array(1...rows.count))
            #expect(rows.first?.previousHash == AuditChain.genesisHash)

            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw(
                "UPDATE audit_events SET actor_label = 'someone else' WHERE id = \(bind: rows[2].id!)"
            ).run()
            let edited = try await app.relief.audit.verifyAll(on: app.db)
            #expect(edited.count == 1)
            #expect(edited.first?.0.slug == "acme")
            #expect(edited.first?.1.sequence == 3)
            #expect(edited.first?.1.problem.contains("changed") == true)

            try await sql.raw(
                "UPDATE audit_events SET actor_label = \(bind: rows[2].actorLabel) WHERE id = \(bind: rows[2].id!)"
            ).run()
            #expect(try await app.relief.audit.verifyAll(on: app.db).isEmpty)
            try await sql.raw("DELETE FROM audit_events WHERE id = \(bind: rows[1].id!)").run()
            let deleted = try #require(try await app.relief.audit.verifyAll(on: app.db).first)
            #expect(deleted.1.sequence == 3)
            #expect(deleted.1.problem.contains("deleted"))
        }
    }

    @Test("concurrent appends keep one unbroken chain")
    func concurrentAppends() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let orgID = try fixture.organization.requireID
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await app.relief.audit.record(
                            AuditEntry(
                                organizationID: orgID, actor: .system, action: "test.append",
                                entityType: "test", entityID: String(index), origin: .commandLine),
                            on: app.db)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await app.relief.audit.verifyAll(on: app.db).isEmpty)
            #expect(
                try await AuditEvent.query(in: orgID, on: app.db).filter(\.$action == "test.append")
                    .count() == 40)
        }
    }

    @Test("canonical JSON escapes and orders keys the same way every time")
    func canonicalJSON() {
        let fields = AuditChain.Fields(
            organizationID: UUID(uuidString: "6F1C8A5E-2B0D-4C1E-9F3A-1D2E3F4A5B6C")!, sequence: 7,
            occurredAt: Date(timeIntervalSince1970: 1_700_000_000.1234), actorType: "user",
            actorID: nil,
            actorLabel: "a\"b\\c\n", action: "x", entityType: "user", entityID: "1", changes: "",
            ip: "127.0.0.1",
            userAgent: "ua", requestID: "r")
        let json = AuditChain.canonicalJSON(fields)
        #expect(json.hasPrefix(#"{"action":"x","actor_id":null,"actor_label":"a\"b\\c\n","#))
        #expect(json.contains(#""occurred_at_ms":1700000000123"#))
        #expect(json.contains(#""organization_id":"6f1c8a5e-2b0d-4c1e-9f3a-1d2e3f4a5b6c""#))
        #expect(AuditChain.hash(previousHash: AuditChain.genesisHash, fields: fields).count == 64)
    }

    @Test("the audit page filters and the CSV export is itself audited")
    func pageAndExport() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let page = try await browser.get("/app/admin/audit?action=auth.login")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("auth.login.succeeded"))
            #expect(!page.body.string.contains("user.created"))
            let badDate = try await browser.get("/app/admin/audit?from=yesterday")
            #expect(badDate.status == .unprocessableEntity)
            let csv = try await browser.get("/app/admin/audit/export.csv")
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.first?.hasPrefix("sequence,occurred_at,actor_type") == true)
            #expect(lines.count > 5)
            let exported = try await AuditEvent.query(
                in: fixture.organization.requireID, on: app.db
            ).filter(\.$action == "audit.exported").count()
            #expect(exported == 1)
            let agent = Browser(app)
            try await agent.signIn(fixture.users[.agent]!.email)
            #expect(try await agent.get("/app/admin/audit").status == .forbidden)
            let compliance = Browser(app)
            try await compliance.signIn(fixture.users[.compliance]!.email)
            #expect(try await compliance.get("/app/admin/audit").status == .ok)
        }
    }
}
