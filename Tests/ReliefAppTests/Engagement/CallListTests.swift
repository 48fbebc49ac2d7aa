import Fluent
import Foundation
import ReliefCore
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// The call list against a real database: an agent's callable leads in heat order with the
/// tie-breakers, the contact gate's say, the managers' views and the pages.
@Suite("Call list")
struct CallListTests {
    /// Wednesday 2026-11-18, noon in New York.
    static let noon = Date(timeIntervalSince1970: 1_795_021_200)

    static func lead(
        _ api: APIClient, _ name: String, phone: String, owner: UUID?, in organization: UUID,
        app: Application, heat: Double = 0, probability: Double? = nil,
        lastContacted: Date? = nil, status: LeadStatus? = nil
    ) async throws -> UUID {
        let response = try await api.call(
            .POST, "/api/v1/leads",
            json: #"{"first_name":"\#(name)","last_name":"Test","phone":"\#(phone)","zip":"10001"}"#
        )
        #expect(response.status == .created, "\(response.body.string)")
        let text = try #require(try response.json()["id"] as? String)
        let id = try #require(UUID(uuidString: text))
        let lead = try #require(try await Lead.find(id, in: organization, on: app.db))
        lead.ownerID = owner
        if heat > 0 {
            let state = HeatScoreState(score: heat, asOf: noon)
            lead.heatScore = heat
            lead.heatAsOf = noon
            lead.heatRank = HeatRank.of(
                state, halfLife: EngagementSettings.Values.standard.halfLife)
        }
        lead.enrollmentProbability = probability
        lead.lastContactedAt = lastContacted
        if let status { lead.status = status }
        try await lead.save(on: app.db)
        return id
    }

    /// A current national registry copy: without one the gate lets no call through.
    static func currentRegistry(_ api: APIClient) async throws {
        let response = try await api.upload(
            "/api/v1/compliance/dnc-registry?list=national&downloaded_at=2026-11-15",
            Array("2125550999\n".utf8), contentType: .plainText)
        #expect(response.status == .ok, "\(response.body.string)")
    }

    @Test("an agent's callable leads: hottest first, then probability, never contacted, oldest")
    func order() async throws {
        try await withApp(clock: TestClock(Self.noon)) { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let organization = try fixture.organization.requireID()
            let agent = try #require(fixture.users[.agent]?.id)
            let other = try fixture.owner.requireID()
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            try await Self.currentRegistry(api)
            func lead(
                _ name: String, _ phone: String, owner: UUID? = agent, heat: Double = 0,
                probability: Double? = nil, contacted: Date? = nil, status: LeadStatus? = nil
            ) async throws -> UUID {
                let id = try await Self.lead(
                    api, name, phone: phone, owner: owner, in: organization, app: app, heat: heat,
                    probability: probability, lastContacted: contacted, status: status)
                clock.advance(1)
                return id
            }
            let warm = try await lead("Warm", "2125550101", heat: 4)
            let hot = try await lead("Hot", "2125550102", heat: 15)
            let coldContacted = try await lead(
                "ColdContacted", "2125550103", contacted: Self.noon.addingTimeInterval(-86_400))
            let coldOld = try await lead("ColdOld", "2125550104")
            let coldNew = try await lead("ColdNew", "2125550105")
            let likely = try await lead("Likely", "2125550106", probability: 0.8)
            _ = try await lead("Enrolled", "2125550107", heat: 30, status: .enrolled)
            _ = try await lead("Someone else's", "2125550108", owner: other, heat: 50)
            let blocked = try await lead("Blocked", "2125550109", heat: 20)
            _ = try await api.call(
                .POST, "/api/v1/compliance/internal-dnc", json: #"{"phone":"2125550109"}"#)
            _ = blocked

            let (agentAPI, _) = try await APIClient.signIn(app, "agent@acme.example")
            let response = try await agentAPI.call(.GET, "/api/v1/call-list?limit=10")
            #expect(response.status == .ok, "\(response.body.string)")
            let body = try response.json()
            let ids = ((body["entries"] as? [[String: Any]]) ?? []).compactMap {
                ($0["lead_id"] as? String).flatMap(UUID.init(uuidString:))
            }
            #expect(ids == [hot, warm, likely, coldOld, coldNew, coldContacted])
            #expect(body["not_callable_now"] as? Int == 1)
            let first = try #require((body["entries"] as? [[String: Any]])?.first)
            #expect(first["hot"] as? Bool == true)
            #expect((first["local_time"] as? String)?.contains("12:") == true)
            #expect(
                try await agentAPI.call(.GET, "/api/v1/call-list?limit=0").status
                    == .unprocessableEntity)

            // At 11 p.m. in New York nobody may be called.
            clock.advance(11 * 3_600)
            let (lateAPI, _) = try await APIClient.signIn(app, "agent@acme.example")
            let late = try await lateAPI.call(.GET, "/api/v1/call-list").json()
            #expect((late["entries"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("managers see the team's hottest and unassigned hot leads; agents may not")
    func managerViews() async throws {
        try await withApp(clock: TestClock(Self.noon)) { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let organization = try fixture.organization.requireID()
            let agent = try #require(fixture.users[.agent]?.id)
            let manager = try #require(fixture.users[.manager])
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            try await Self.currentRegistry(api)
            let team = Team()
            team.organizationID = organization
            team.name = "Closers"
            team.managerID = try manager.requireID()
            try await team.save(on: app.db)
            let member = TeamMember()
            member.organizationID = organization
            member.teamID = try team.requireID()
            member.userID = agent
            try await member.save(on: app.db)
            let teamLead = try await Self.lead(
                api, "TeamLead", phone: "2125550111", owner: agent, in: organization, app: app,
                heat: 12)
            let unassigned = try await Self.lead(
                api, "Nobody", phone: "2125550112", owner: nil, in: organization, app: app,
                heat: 8)
            _ = try await Self.lead(
                api, "OwnersOwn", phone: "2125550113", owner: try fixture.owner.requireID(),
                in: organization, app: app, heat: 40)

            let (managerAPI, _) = try await APIClient.signIn(app, manager.email)
            let teamList = try await managerAPI.call(.GET, "/api/v1/call-list/hot?scope=team")
            #expect(teamList.status == .ok, "\(teamList.body.string)")
            let teamIDs = try teamList.jsonArray().compactMap { $0["lead_id"] as? String }
            #expect(teamIDs == [teamLead.uuidString])
            let nobody = try await managerAPI.call(.GET, "/api/v1/call-list/hot?scope=unassigned")
            #expect(
                try nobody.jsonArray().compactMap { $0["lead_id"] as? String }
                    == [unassigned.uuidString])
            let (agentAPI, _) = try await APIClient.signIn(app, "agent@acme.example")
            #expect(try await agentAPI.call(.GET, "/api/v1/call-list/hot").status == .forbidden)

            let browser = Browser(app)
            try await browser.signIn(manager.email)
            let page = try await browser.get("/app/call-list/hot")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("TeamLead Test"))
            #expect(page.body.string.contains("Nobody Test"))
            #expect(!page.body.string.contains("OwnersOwn"))
            let agentBrowser = Browser(app)
            try await agentBrowser.signIn("agent@acme.example")
            let list = try await agentBrowser.get("/app/call-list")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("TeamLead Test"))
            #expect(list.body.string.contains("data-live-topics=\"user org\""))
            let rows = try await agentBrowser.get("/app/call-list?fragment=rows")
            #expect(rows.body.string.contains("TeamLead Test"))
            #expect(!rows.body.string.contains("<html"))
            #expect(try await agentBrowser.get("/app/call-list/hot").status == .forbidden)
        }
    }
}
