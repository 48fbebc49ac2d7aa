import Fluent
import Foundation
import ReliefCore
import Vapor

/// The call list pages: `/app/call-list` (the signed-in agent's callable leads, hottest first,
/// refreshed live as engagement arrives, with hot lead alerts) and `/app/call-list/hot` (for
/// those who assign leads: the team's hottest and the hottest unassigned).
struct CallListWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let list = routes.grouped("call-list")
        list.get(use: page).access(.requires(.leadsRead))
        list.get("hot", use: hot).access(.requires(.leadsAssign))
    }

    struct Row: Encodable, Sendable {
        var id: String
        var name: String
        var phone: String
        var status: String
        var heat: String
        var hot: Bool
        var probability: String
        var lastContacted: String
        var localTime: String
        var owner: String
    }

    struct ListPage: Encodable, Sendable {
        var page: PageContext
        var rows: [Row]
        var examined: Int
        var notCallableNow: Int
        var canSeeHot: Bool
    }

    struct RowsFragment: Encodable, Sendable {
        var rows: [Row]
    }

    struct HotPage: Encodable, Sendable {
        var page: PageContext
        var scopeLabel: String
        var team: [Row]
        var unassigned: [Row]
    }

    func page(req: Request) async throws -> Response {
        let principal = try req.principal
        let result = try await CallList(req: req).callable(owner: principal.userID)
        let rows = Self.rows(result.entries, zone: principal.organization.timeZone, owners: [:])
        if req.query[String.self, at: "fragment"] == "rows" {
            return try await req.view.render("call-list/rows", RowsFragment(rows: rows))
                .encodeResponse(for: req)
        }
        return try await req.view.render(
            "call-list/index",
            ListPage(
                page: req.pageContext(title: "Call list", section: "call-list"), rows: rows,
                examined: result.examined, notCallableNow: result.notCallableNow,
                canSeeHot: principal.can(.leadsAssign))
        ).encodeResponse(for: req)
    }

    func hot(req: Request) async throws -> View {
        let principal = try req.principal
        let (owners, label) = try await Self.teamOwners(req)
        let names = try await LeadDirectoryNames.load(principal.organizationID, on: req.db).users
        let list = CallList(req: req)
        let zone = principal.organization.timeZone
        return try await req.view.render(
            "call-list/hot",
            HotPage(
                page: req.pageContext(title: "Hot leads", section: "call-list"),
                scopeLabel: label,
                team: Self.rows(try await list.hottest(owners: owners), zone: zone, owners: names),
                unassigned: Self.rows(
                    try await list.hottest(owners: nil), zone: zone, owners: names)))
    }

    /// Whose leads a principal's "team" view covers: the whole organization for owners and
    /// admins, else the members of the teams they manage (and themselves).
    static func teamOwners(_ req: Request) async throws -> (owners: [UUID], label: String) {
        let principal = try req.principal
        if principal.can(.usersManage) {
            let users = try await User.query(in: principal.organizationID, on: req.db).all()
            return (users.compactMap(\.id), "everyone in the organization")
        }
        let teams = try await Team.query(in: principal.organizationID, on: req.db)
            .filter(\.$managerID == principal.userID).all()
        let members = try await TeamMember.query(in: principal.organizationID, on: req.db)
            .filter(\.$teamID ~~ teams.compactMap(\.id)).all()
        let label =
            teams.isEmpty
            ? "your own leads (you manage no team)" : teams.map(\.name).joined(separator: ", ")
        return (Array(Set(members.map(\.userID) + [principal.userID])), label)
    }

    static func rows(_ entries: [CallList.Entry], zone: String, owners: [UUID: String]) -> [Row] {
        entries.map { entry in
            Row(
                id: entry.leadID.uuidString, name: entry.name.isEmpty ? "(no name)" : entry.name,
                phone: entry.phone,
                status: LeadStatus(rawValue: entry.status)?.label ?? entry.status,
                heat: String(format: "%.1f", entry.heat), hot: entry.hot,
                probability: entry.enrollmentProbability.map { String(format: "%.0f %%", $0 * 100) }
                    ?? "—",
                lastContacted: entry.lastContactedAt.map { DisplayDate.string($0, timeZone: zone) }
                    ?? "never",
                localTime: entry.localTime,
                owner: entry.ownerID.flatMap { owners[$0] } ?? "Unassigned")
        }
    }
}

/// `GET /api/v1/call-list?limit=` (the caller's callable leads) and
/// `GET /api/v1/call-list/hot?scope=team|unassigned` (the hottest leads for those who assign).
struct CallListAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let list = routes.grouped("call-list")
        list.get(use: callable).access(.requires(.leadsRead))
        list.get("hot", use: hot).access(.requires(.leadsAssign))
    }

    func callable(req: Request) async throws -> CallList.Result {
        let limit = req.query[Int.self, at: "limit"] ?? 50
        guard (1...200).contains(limit) else {
            throw ValidationFailure(fields: ["limit": "Between 1 and 200."])
        }
        return try await CallList(req: req).callable(owner: try req.principal.userID, limit: limit)
    }

    func hot(req: Request) async throws -> [CallList.Entry] {
        switch req.query[String.self, at: "scope"] ?? "team" {
        case "team":
            return try await CallList(req: req).hottest(
                owners: try await CallListWebController.teamOwners(req).owners)
        case "unassigned":
            return try await CallList(req: req).hottest(owners: nil)
        default:
            throw ValidationFailure(fields: ["scope": "team or unassigned."])
        }
    }
}
