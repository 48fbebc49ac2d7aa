import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// `/api/v1/leads`: create, read, update, status, notes, debts, search, paging, visibility.
@Suite("Leads API")
struct LeadsAPITests {
    static let maria = #"""
        {"first_name":"Maria","last_name":"Lopez","email":" Maria.Lopez@Example.COM ",
         "phone":"(212) 555-0143","address":"12 W 31st St","city":"New York","state":"NY",
         "zip":"10001","ssn":"219-09-9999","date_of_birth":"1980-04-23",
         "total_unsecured_debt_cents":2450000,"monthly_income_cents":410000,
         "source":"Facebook spring","notes":"Lost hours at work in March."}
        """#

    @Test("a lead created with the documented fields reads back normalized, SSN masked")
    func createAndRead() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)

            let created = try await api.call(.POST, "/api/v1/leads", json: Self.maria)
            #expect(created.status == .created, "\(created.body.string)")
            let lead = try created.json()
            let id = try #require(lead["id"] as? String)
            #expect(lead["status"] as? String == "new")
            #expect(lead["phone"] as? String == "+12125550143")
            #expect(lead["email"] as? String == "maria.lopez@example.com")
            #expect(lead["time_zone"] as? String == "America/New_York")
            #expect(lead["ssn_last4"] as? String == "9999")
            #expect(lead["ssn"] == nil || lead["ssn"] is NSNull)
            #expect(lead["date_of_birth"] == nil || lead["date_of_birth"] is NSNull)
            #expect(lead["total_unsecured_debt_cents"] as? Int == 2_450_000)
            #expect(lead["source"] as? String == "Facebook spring")

            // The SSN is sealed at rest and findable only through the blind index.
            let row = try #require(try await Lead.find(UUID(uuidString: id), on: app.db))
            #expect(row.ssn?.contains("219099999") == false)
            #expect(row.ssnIndex != nil)

            // The full SSN needs sensitive.read and ?include=sensitive, and is audited.
            let revealed = try await api.call(.GET, "/api/v1/leads/\(id)?include=sensitive").json()
            #expect(revealed["ssn"] as? String == "219-09-9999")
            #expect(revealed["date_of_birth"] as? String == "1980-04-23")
            let viewed = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "lead.sensitive_viewed").count()
            #expect(viewed == 1)
            let (agent, _) = try await APIClient.signIn(app, fixture.users[.manager]!.email)
            let managerRead = try await agent.call(.GET, "/api/v1/leads/\(id)?include=sensitive")
            #expect(managerRead.status == .ok)
            #expect(
                try managerRead.json()["ssn"] == nil || (try managerRead.json()["ssn"]) is NSNull)

            // The creation is in the timeline and the audit log, without the SSN.
            let timeline = try await api.call(.GET, "/api/v1/leads/\(id)/timeline").jsonArray()
            #expect(timeline.first?["kind"] as? String == "created")
            let audit = try #require(
                try await AuditEvent.query(on: app.db).filter(\.$action == "lead.created").first())
            #expect(!audit.changes.contains("219-09"))
            #expect(audit.changes.contains("***-**-9999"))
        }
    }

    @Test("bad input names every field and writes nothing")
    func validation() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let response = try await api.call(
                .POST, "/api/v1/leads",
                json: #"""
                    {"first_name":"Bob","last_name":"Stone","phone":"555-12","email":"bob@",
                     "total_unsecured_debt_cents":-5,"ssn":"000-12-3456"}
                    """#)
            #expect(response.status == .unprocessableEntity)
            let fields = try #require(
                (try response.json()["error"] as? [String: Any])?["fields"] as? [String: String])
            for field in ["phone", "email", "total_unsecured_debt_cents", "ssn"] {
                #expect(fields[field] != nil, "no message for \(field): \(fields)")
            }
            let unknownZIP = try await api.call(
                .POST, "/api/v1/leads",
                json:
                    #"{"first_name":"Bob","last_name":"Stone","phone":"2125550100","zip":"00000"}"#)
            #expect(unknownZIP.status == .unprocessableEntity)
            #expect(unknownZIP.body.string.contains("zip"))
            #expect(try await Lead.query(on: app.db).count() == 0)
        }
    }

    @Test("a second lead with the same phone or e-mail is a 409 unless allowed")
    func duplicates() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            #expect(try await api.call(.POST, "/api/v1/leads", json: Self.maria).status == .created)
            let same = #"{"first_name":"M","last_name":"L","phone":"+1 212.555.0143"}"#
            let conflict = try await api.call(.POST, "/api/v1/leads", json: same)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("Maria Lopez"))
            let forced = try await api.call(
                .POST, "/api/v1/leads",
                json:
                    #"{"first_name":"M","last_name":"L","phone":"2125550143","allow_duplicate":true}"#
            )
            #expect(forced.status == .created)
        }
    }

    @Test("status changes follow the pipeline table, need their fields and reach the timeline")
    func pipeline() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let id = try #require(
                try await api.call(.POST, "/api/v1/leads", json: Self.maria).json()["id"]
                    as? String)

            let skip = try await api.call(
                .POST, "/api/v1/leads/\(id)/status", json: #"{"status":"enrolled"}"#)
            #expect(skip.status == .unprocessableEntity)
            #expect(skip.body.string.contains("cannot move from New to Enrolled"))
            for status in ["contacted", "qualified"] {
                let moved = try await api.call(
                    .POST, "/api/v1/leads/\(id)/status", json: #"{"status":"\#(status)"}"#)
                #expect(moved.status == .ok)
            }
            let noDebt = try await api.call(
                .POST, "/api/v1/leads/\(id)/status", json: #"{"status":"enrolled"}"#)
            #expect(noDebt.status == .unprocessableEntity)
            #expect(noDebt.body.string.contains("debts"))

            let debt = try await api.call(
                .POST, "/api/v1/leads/\(id)/debts",
                json: #"""
                    {"creditor":"Chase","account_type":"credit_card","balance_cents":1250000,
                     "monthly_payment_cents":35000,"months_delinquent":3,"is_enrolled":true}
                    """#)
            #expect(debt.status == .created, "\(debt.body.string)")
            let auto = try await api.call(
                .POST, "/api/v1/leads/\(id)/debts",
                json:
                    #"{"creditor":"Ally","account_type":"auto","balance_cents":900000,"is_enrolled":true}"#
            )
            #expect(auto.status == .unprocessableEntity)
            #expect(auto.body.string.contains("Secured debts cannot be enrolled"))

            let enrolled = try await api.call(
                .POST, "/api/v1/leads/\(id)/status", json: #"{"status":"enrolled"}"#)
            #expect(enrolled.status == .ok)
            #expect(try enrolled.json()["enrolled_debt_cents"] as? Int == 1_250_000)
            let noReason = try await api.call(
                .POST, "/api/v1/leads/\(id)/status", json: #"{"status":"cancelled"}"#)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("reason"))
            let cancelled = try await api.call(
                .POST, "/api/v1/leads/\(id)/status",
                json: #"{"status":"cancelled","reason":"Chose bankruptcy"}"#)
            #expect(cancelled.status == .ok)

            let changes = try await api.call(.GET, "/api/v1/leads/\(id)/timeline").jsonArray()
                .filter { $0["kind"] as? String == "status_change" }
            #expect(changes.count == 4)
            let last = try #require(changes.first)
            #expect(last["from_status"] as? String == "enrolled")
            #expect(last["to_status"] as? String == "cancelled")
            #expect(last["reason"] as? String == "Chose bankruptcy")
            #expect(last["actor"] as? String == fixture.owner.email)
            let audited = try await AuditEvent.query(on: app.db)
                .filter(\.$action == "lead.status_changed").count()
            #expect(audited == 4)
        }
    }

    @Test("search by name prefix, phone in any format and e-mail; filters; keyset pages")
    func searchAndPaging() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let people = [
                ("Alicia", "Gomez", "3055550101", "TX"), ("Alina", "Petrova", "3055550102", "FL"),
                ("Ben", "Carter", "7135550103", "TX"), ("Chloe", "Nguyen", "7135550104", "TX"),
                ("Diego", "Ramirez", "2145550105", "CA"),
            ]
            for (first, last, phone, state) in people {
                clock.advance(60)
                let body =
                    #"{"first_name":"\#(first)","last_name":"\#(last)","phone":"\#(phone)","state":"\#(state)","email":"\#(first.lowercased())@mail.example"}"#
                #expect(try await api.call(.POST, "/api/v1/leads", json: body).status == .created)
            }
            func names(_ query: String) async throws -> [String] {
                try await api.call(.GET, "/api/v1/leads?\(query)").json()["data"]
                    .flatMap { $0 as? [[String: Any]] }?.compactMap { $0["first_name"] as? String }
                    ?? []
            }
            #expect(Set(try await names("q=ali")) == ["Alicia", "Alina"])
            #expect(try await names("q=gom") == ["Alicia"])
            #expect(try await names("q=alicia%20gom") == ["Alicia"])
            #expect(try await names("q=%28713%29%20555-0104") == ["Chloe"])
            #expect(Set(try await names("q=713.555")) == ["Ben", "Chloe"])
            #expect(try await names("q=diego@mail.example") == ["Diego"])
            #expect(Set(try await names("state=TX")) == ["Alicia", "Ben", "Chloe"])
            #expect(try await names("status=contacted").isEmpty)

            // Keyset paging: newest first, two per page, every lead exactly once.
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/leads?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.call(.GET, path).json()
                seen += (page["data"] as? [[String: Any]] ?? []).compactMap {
                    $0["first_name"] as? String
                }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == ["Diego", "Chloe", "Ben", "Alina", "Alicia"])
            let byName = try await names("sort=name")
            #expect(byName == ["Ben", "Alicia", "Chloe", "Alina", "Diego"])
        }
    }

    @Test("agents see their own and their team's leads; others are 404")
    func visibility() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let mine =
                try await owner.call(
                    .POST, "/api/v1/leads",
                    json:
                        #"{"first_name":"Mine","last_name":"Lead","phone":"2125550111","owner_id":"\#(try agent.requireID)"}"#
                ).json()["id"] as? String
            let other =
                try await owner.call(
                    .POST, "/api/v1/leads",
                    json: #"{"first_name":"Other","last_name":"Lead","phone":"2125550112"}"#
                ).json()["id"] as? String
            let (api, _) = try await APIClient.signIn(app, agent.email)
            let listed =
                try await api.call(.GET, "/api/v1/leads").json()["data"] as? [[String: Any]]
            #expect(listed?.compactMap { $0["id"] as? String } == [mine].compactMap { $0 })
            #expect(try await api.call(.GET, "/api/v1/leads/\(other ?? "")").status == .notFound)
            #expect(
                try await api.call(
                    .POST, "/api/v1/leads/\(other ?? "")/notes", json: #"{"body":"hi"}"#
                ).status == .notFound)
            let note = try await api.call(
                .POST, "/api/v1/leads/\(mine ?? "")/notes", json: #"{"body":"Left a voicemail."}"#)
            #expect(note.status == .created)
            let notes = try await api.call(.GET, "/api/v1/leads/\(mine ?? "")/notes").jsonArray()
            #expect(notes.first?["body"] as? String == "Left a voicemail.")
            // An agent cannot hand leads to others.
            let handOff = try await api.call(
                .POST, "/api/v1/leads",
                json:
                    #"{"first_name":"X","last_name":"Y","phone":"2125550113","owner_id":"\#(try fixture.owner.requireID)"}"#
            )
            #expect(handOff.status == .unprocessableEntity)
        }
    }

    @Test("PATCH changes only the given fields, keeps the rest, and logs the change")
    func update() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let id = try #require(
                try await api.call(.POST, "/api/v1/leads", json: Self.maria).json()["id"]
                    as? String)
            let patched = try await api.call(
                .PATCH, "/api/v1/leads/\(id)",
                json: #"{"zip":"85001","city":"Phoenix","state":"AZ"}"#)
            #expect(patched.status == .ok, "\(patched.body.string)")
            let lead = try patched.json()
            #expect(lead["time_zone"] as? String == "America/Phoenix")
            #expect(lead["phone"] as? String == "+12125550143")
            #expect(lead["ssn_last4"] as? String == "9999")
            #expect(lead["phone_time_zones"] as? [String] == ["America/New_York"])
            let timeline = try await api.call(.GET, "/api/v1/leads/\(id)/timeline").jsonArray()
            #expect((timeline.first?["summary"] as? String)?.contains("zip") == true)
            #expect(try await api.call(.DELETE, "/api/v1/leads/\(id)").status == .noContent)
            #expect(try await api.call(.GET, "/api/v1/leads/\(id)").status == .notFound)
        }
    }

    @Test("a debt of another organization cannot be changed through one's own lead")
    func crossTenantDebt() async throws {
        try await withApp { app, _ in
            let alpha = try await Fixture.make(app, slug: "alpha")
            _ = try await Fixture.make(app, slug: "bravo")
            let (alphaAPI, _) = try await APIClient.signIn(app, alpha.owner.email)
            let (bravoAPI, _) = try await APIClient.signIn(app, "owner@bravo.example")
            let alphaLead = try #require(
                try await alphaAPI.call(.POST, "/api/v1/leads", json: Self.maria).json()["id"]
                    as? String)
            let debtID = try #require(
                try await alphaAPI.call(
                    .POST, "/api/v1/leads/\(alphaLead)/debts",
                    json: #"{"creditor":"Chase","balance_cents":100000}"#
                ).json()["id"] as? String)
            let bravoLead = try #require(
                try await bravoAPI.call(.POST, "/api/v1/leads", json: Self.maria).json()["id"]
                    as? String)
            let patch = try await bravoAPI.call(
                .PATCH, "/api/v1/leads/\(bravoLead)/debts/\(debtID)",
                json: #"{"balance_cents":1}"#)
            #expect(patch.status == .notFound)
            let delete = try await bravoAPI.call(
                .DELETE, "/api/v1/leads/\(bravoLead)/debts/\(debtID)")
            #expect(delete.status == .notFound)
            let debt = try #require(try await Debt.find(UUID(uuidString: debtID), on: app.db))
            #expect(debt.balanceCents == 100_000)
        }
    }
}
