import Fluent
import ReliefCore
import Vapor

/// Creating, changing and deleting teams, shared by the web pages and the API.
enum TeamDirectory {
    struct Changes: Sendable {
        var name: String?
        var managerID: UUID??
        var memberIDs: [UUID]?
    }

    static func save(_ team: Team, _ changes: Changes, isNew: Bool, on req: Request) async throws {
        let principal = try req.principal
        var check = FieldCheck()
        let before = isNew ? [:] : try await snapshot(team, on: req.db)
        if let name = changes.name?.trimmingCharacters(in: .whitespaces) {
            check.require(
                !name.isEmpty && name.count <= 80, "name",
                "Enter a team name (up to 80 characters).")
            if !name.isEmpty,
                let other = try await Team.query(in: principal.organizationID, on: req.db).filter(
                    \.$name == name
                ).first(),
                other.id != team.id
            {
                check.fail("name", "Another team already has this name.")
            }
            team.name = name
        } else if isNew {
            check.fail("name", "Enter a team name.")
        }
        if let managerID = changes.managerID {
            if let managerID {
                let manager = try await User.find(
                    managerID, in: principal.organizationID, on: req.db)
                check.require(
                    manager != nil, "manager_id", "The manager must be a user of this organization."
                )
            }
            team.managerID = managerID
        }
        if let memberIDs = changes.memberIDs, !memberIDs.isEmpty {
            let found = try await User.query(in: principal.organizationID, on: req.db).filter(
                \.$id ~~ memberIDs
            ).count()
            check.require(
                found == Set(memberIDs).count, "member_ids",
                "One or more members are not users of this organization.")
        }
        try check.throwIfFailed()
        try await req.db.transaction { database in
            try await team.save(on: database)
            if let memberIDs = changes.memberIDs {
                let teamID = try team.requireID()
                try await TeamMember.query(in: team.organizationID, on: database).filter(
                    \.$teamID == teamID
                ).delete()
                for userID in Set(memberIDs) {
                    try await TeamMember(
                        organizationID: team.organizationID, teamID: teamID, userID: userID
                    ).create(on: database)
                }
            }
        }
        let after = try await snapshot(team, on: req.db)
        let diff = AuditDiff.between(before, after)
        try await req.audit(
            isNew ? "team.created" : "team.updated", entityType: "team",
            entityID: team.id?.uuidString, changes: diff.json)
    }

    static func delete(_ team: Team, on req: Request) async throws {
        let teamID = try team.requireID()
        try await req.db.transaction { database in
            try await TeamMember.query(in: team.organizationID, on: database).filter(
                \.$teamID == teamID
            ).delete()
            try await team.delete(on: database)
        }
        try await req.audit(
            "team.deleted", entityType: "team", entityID: teamID.uuidString,
            changes: AuditDiff.details(["name": team.name]))
    }

    static func memberIDs(of team: Team, on database: any Database) async throws -> [UUID] {
        try await TeamMember.query(in: team.organizationID, on: database).filter(
            \.$teamID == team.requireID()
        ).all().map(\.userID)
    }

    private static func snapshot(_ team: Team, on database: any Database) async throws -> [String:
        String]
    {
        [
            "name": team.name, "manager_id": team.managerID?.uuidString ?? "",
            "member_ids": try await memberIDs(of: team, on: database).map(\.uuidString).sorted()
                .joined(separator: ","),
        ]
    }
}

/// `/app/admin/teams`.
struct TeamsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let teams = routes.grouped("admin", "teams")
        teams.get(use: list).access(.requires(.teamsRead))
        teams.get("new", use: newForm).access(.requires(.teamsManage))
        teams.post(use: create).access(.requires(.teamsManage))
        teams.get(":id", use: edit).access(.requires(.teamsRead))
        teams.post(":id", use: update).access(.requires(.teamsManage))
        teams.post(":id", "delete", use: delete).access(.requires(.teamsManage))
    }

    func list(req: Request) async throws -> Response {
        let principal = try req.principal
        let teams = try await Team.query(in: principal.organizationID, on: req.db).sort(\.$name)
            .all()
        let users = try await User.query(in: principal.organizationID, on: req.db).all()
        let members = try await TeamMember.query(in: principal.organizationID, on: req.db).all()
        let rows = teams.map { team in
            TeamRow(
                id: team.id?.uuidString ?? "", name: team.name,
                managerName: users.first { $0.id == team.managerID }?.name ?? "—",
                memberCount: members.filter { $0.teamID == team.id }.count)
        }
        return try await req.render(
            "admin/teams",
            TeamsPage(
                page: req.pageContext(title: "Teams", section: "teams"), teams: rows,
                canManage: principal.can(.teamsManage)))
    }

    struct TeamForm: Content {
        var name: String?
        var managerID: String?
        var memberIDs: [String]?

        enum CodingKeys: String, CodingKey {
            case name
            case managerID = "manager_id"
            case memberIDs = "member_ids"
        }

        var changes: TeamDirectory.Changes {
            TeamDirectory.Changes(
                name: name ?? "", managerID: .some(managerID.flatMap(UUID.init(uuidString:))),
                memberIDs: (memberIDs ?? []).compactMap(UUID.init(uuidString:)))
        }
    }

    private func render(
        _ req: Request, team: Team, isNew: Bool, memberIDs: [UUID], errors: FieldMessages,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let users = try await User.query(in: principal.organizationID, on: req.db).filter(
            \.$isActive == true
        ).sort(\.$name).all()
        let managers =
            [SelectOption(value: "", label: "No manager", selected: team.managerID == nil)]
            + users.filter { [.owner, .admin, .manager].contains($0.role) }.map {
                SelectOption(
                    value: $0.id?.uuidString ?? "", label: $0.name,
                    selected: $0.id == team.managerID)
            }
        return try await req.render(
            "admin/team-form",
            TeamFormPage(
                page: req.pageContext(title: isNew ? "New team" : team.name, section: "teams"),
                isNew: isNew,
                id: team.id?.uuidString, name: team.name, managers: managers,
                members: users.map {
                    SelectOption(
                        value: $0.id?.uuidString ?? "", label: "\($0.name) (\($0.role.label))",
                        selected: memberIDs.contains($0.id ?? UUID()))
                },
                errors: errors, canManage: principal.can(.teamsManage)),
            status: status)
    }

    func newForm(req: Request) async throws -> Response {
        try await render(
            req, team: Team(organizationID: req.principal.organizationID, name: "", managerID: nil),
            isNew: true, memberIDs: [], errors: [:])
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(TeamForm.self)
        let team = Team(organizationID: try req.principal.organizationID, name: "", managerID: nil)
        do {
            try await TeamDirectory.save(team, form.changes, isNew: true, on: req)
            return req.redirectAfterPost(
                to: "/app/admin/teams", flash: (.success, "Team \(team.name) created."))
        } catch let failure as ValidationFailure {
            return try await render(
                req, team: team, isNew: true, memberIDs: form.changes.memberIDs ?? [],
                errors: failure.fields, status: .unprocessableEntity)
        }
    }

    func edit(req: Request) async throws -> Response {
        let team = try await Team.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        return try await render(
            req, team: team, isNew: false,
            memberIDs: try await TeamDirectory.memberIDs(of: team, on: req.db), errors: [:])
    }

    func update(req: Request) async throws -> Response {
        let team = try await Team.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        let form = try req.content.decode(TeamForm.self)
        do {
            try await TeamDirectory.save(team, form.changes, isNew: false, on: req)
            return req.redirectAfterPost(to: "/app/admin/teams", flash: (.success, "Team saved."))
        } catch let failure as ValidationFailure {
            return try await render(
                req, team: team, isNew: false, memberIDs: form.changes.memberIDs ?? [],
                errors: failure.fields, status: .unprocessableEntity)
        }
    }

    func delete(req: Request) async throws -> Response {
        let team = try await Team.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        try await TeamDirectory.delete(team, on: req)
        return req.redirectAfterPost(to: "/app/admin/teams", flash: (.success, "Team deleted."))
    }
}

/// `/api/v1/teams`.
struct TeamsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let teams = routes.grouped("teams")
        teams.get(use: list).access(.requires(.teamsRead))
        teams.post(use: create).access(.requires(.teamsManage))
        teams.get(":id", use: read).access(.requires(.teamsRead))
        teams.patch(":id", use: update).access(.requires(.teamsManage))
        teams.delete(":id", use: delete).access(.requires(.teamsManage))
    }

    struct TeamDTO: Content {
        var id: UUID
        var name: String
        var managerID: UUID?
        var memberIDs: [UUID]

        enum CodingKeys: String, CodingKey {
            case id, name
            case managerID = "manager_id"
            case memberIDs = "member_ids"
        }
    }

    struct TeamRequest: Content {
        var name: String?
        var managerID: UUID?
        var memberIDs: [UUID]?

        enum CodingKeys: String, CodingKey {
            case name
            case managerID = "manager_id"
            case memberIDs = "member_ids"
        }
    }

    private func dto(_ team: Team, on req: Request) async throws -> TeamDTO {
        TeamDTO(
            id: try team.requireID(), name: team.name, managerID: team.managerID,
            memberIDs: try await TeamDirectory.memberIDs(of: team, on: req.db))
    }

    private func find(_ req: Request) async throws -> Team {
        try await Team.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
    }

    /// Decodes the body, noting whether `manager_id` was present (so PATCH can clear it).
    private func changes(_ req: Request) throws -> TeamDirectory.Changes {
        let body = try req.content.decode(TeamRequest.self)
        let json =
            try? JSONSerialization.jsonObject(with: Data(buffer: req.body.data ?? ByteBuffer()))
            as? [String: Any]
        let managerGiven = json?.keys.contains("manager_id") ?? false
        return TeamDirectory.Changes(
            name: body.name, managerID: managerGiven ? .some(body.managerID) : nil,
            memberIDs: body.memberIDs)
    }

    func list(req: Request) async throws -> [TeamDTO] {
        let teams = try await Team.query(in: req.principal.organizationID, on: req.db).sort(\.$name)
            .all()
        var result: [TeamDTO] = []
        for team in teams { result.append(try await dto(team, on: req)) }
        return result
    }

    func read(req: Request) async throws -> TeamDTO { try await dto(find(req), on: req) }

    func create(req: Request) async throws -> Response {
        let team = Team(organizationID: try req.principal.organizationID, name: "", managerID: nil)
        try await TeamDirectory.save(team, changes(req), isNew: true, on: req)
        return try await dto(team, on: req).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> TeamDTO {
        let team = try await find(req)
        try await TeamDirectory.save(team, changes(req), isNew: false, on: req)
        return try await dto(team, on: req)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await TeamDirectory.delete(find(req), on: req)
        return .noContent
    }
}
