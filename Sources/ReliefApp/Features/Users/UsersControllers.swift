import Fluent
import ReliefCore
import Vapor

/// `/app/admin/users`: the staff list, invitation and edit forms.
struct UsersWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("admin", "users")
        users.get(use: list).access(.requires(.usersRead))
        users.get("new", use: newForm).access(.requires(.usersManage))
        users.post(use: invite).access(.requires(.usersManage))
        users.get(":id", use: edit).access(.requires(.usersRead))
        users.post(":id", use: update).access(.requires(.usersManage))
        users.post(":id", "deactivate", use: deactivate).access(.requires(.usersManage))
        users.post(":id", "reactivate", use: reactivate).access(.requires(.usersManage))
    }

    func list(req: Request) async throws -> Response {
        let principal = try req.principal
        let users = try await User.query(in: principal.organizationID, on: req.db).sort(\.$name)
            .all()
        let teams = try await Team.query(in: principal.organizationID, on: req.db).all()
        let members = try await TeamMember.query(in: principal.organizationID, on: req.db).all()
        let teamNames = Dictionary(
            uniqueKeysWithValues: teams.compactMap { team in team.id.map { ($0, team.name) } })
        let rows = users.map { user in
            UserRow(
                id: user.id?.uuidString ?? "", name: user.name, email: user.email,
                roleLabel: user.role.label,
                teams: members.filter { $0.userID == user.id }.compactMap { teamNames[$0.teamID] }
                    .sorted().joined(separator: ", "),
                active: user.isActive, twoFactor: user.twoFactorEnabled,
                lastLogin: DisplayDate.string(
                    user.lastLoginAt, timeZone: principal.organization.timeZone))
        }
        return try await req.render(
            "admin/users",
            UsersPage(
                page: req.pageContext(title: "Users", section: "users"), users: rows,
                canManage: principal.can(.usersManage)))
    }

    struct UserForm: Content {
        var name: String?
        var email: String?
        var role: String?
        var languages: String?
        var licensedStates: String?
        var skills: String?
        var teamIDs: [String]?

        enum CodingKeys: String, CodingKey {
            case name, email, role, languages, skills
            case licensedStates = "licensed_states"
            case teamIDs = "team_ids"
        }

        var changes: UserChanges {
            UserChanges(
                name: name ?? "", email: email, role: role,
                languages: ListField.parse(languages ?? ""),
                licensedStates: ListField.parse(licensedStates ?? ""),
                skills: ListField.parse(skills ?? ""),
                teamIDs: (teamIDs ?? []).compactMap(UUID.init(uuidString:)))
        }
    }

    func newForm(req: Request) async throws -> Response {
        let user = User(
            organizationID: try req.principal.organizationID, email: "", name: "", role: .agent)
        return try await render(req, user: user, isNew: true, teamIDs: [], errors: [:])
    }

    private func render(
        _ req: Request, user: User, isNew: Bool, teamIDs: [UUID], errors: FieldMessages,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let teams = try await Team.query(in: principal.organizationID, on: req.db).sort(\.$name)
            .all()
        let roles = Role.allCases.filter { $0.rank <= principal.user.role.rank }.map {
            SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == user.role)
        }
        return try await req.render(
            "admin/user-form",
            UserFormPage(
                page: req.pageContext(title: isNew ? "Invite a user" : user.name, section: "users"),
                isNew: isNew, id: user.id?.uuidString, name: user.name, email: user.email,
                languages: user.languages.joined(separator: ", "),
                licensedStates: user.licensedStates.joined(separator: ", "),
                skills: user.skills.joined(separator: ", "), active: user.isActive, roles: roles,
                teams: teams.map {
                    SelectOption(
                        value: $0.id?.uuidString ?? "", label: $0.name,
                        selected: teamIDs.contains($0.id ?? UUID()))
                },
                errors: errors, canManage: principal.can(.usersManage)),
            status: status)
    }

    func invite(req: Request) async throws -> Response {
        let form = try req.content.decode(UserForm.self)
        do {
            let user = try await UserDirectory.invite(form.changes, on: req)
            return req.redirectAfterPost(
                to: "/app/admin/users/\(try user.requireID)",
                flash: (.success, "Invitation sent to \(user.email)."))
        } catch let failure as ValidationFailure {
            let draft = User(
                organizationID: try req.principal.organizationID, email: form.email ?? "",
                name: form.name ?? "", role: Role(rawValue: form.role ?? "") ?? .agent)
            return try await render(
                req, user: draft, isNew: true, teamIDs: form.changes.teamIDs ?? [],
                errors: failure.fields, status: .unprocessableEntity)
        }
    }

    func edit(req: Request) async throws -> Response {
        let user = try await User.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        return try await render(
            req, user: user, isNew: false,
            teamIDs: try await UserDirectory.teamIDs(of: user, on: req.db), errors: [:])
    }

    func update(req: Request) async throws -> Response {
        let user = try await User.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        let form = try req.content.decode(UserForm.self)
        var changes = form.changes
        changes.email = nil
        do {
            try await UserDirectory.update(user, with: changes, on: req)
            return req.redirectAfterPost(
                to: "/app/admin/users/\(try user.requireID)", flash: (.success, "Saved."))
        } catch let failure as ValidationFailure {
            return try await render(
                req, user: user, isNew: false, teamIDs: changes.teamIDs ?? [],
                errors: failure.fields, status: .unprocessableEntity)
        }
    }

    func deactivate(req: Request) async throws -> Response { try await setActive(req, false) }
    func reactivate(req: Request) async throws -> Response { try await setActive(req, true) }

    private func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let user = try await User.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        let path = "/app/admin/users/\(try user.requireID)"
        do {
            try await UserDirectory.setActive(user, active, on: req)
        } catch let failure as ValidationFailure {
            return req.redirectAfterPost(
                to: path, flash: (.error, failure.fields.values.joined(separator: " ")))
        }
        return req.redirectAfterPost(
            to: path,
            flash: (.success, active ? "User reactivated." : "User deactivated and signed out."))
    }
}

/// The API shape of a staff member.
struct UserDTO: Content {
    var id: UUID
    var email: String
    var name: String
    var role: String
    var active: Bool
    var languages: [String]
    var licensedStates: [String]
    var skills: [String]
    var teamIDs: [UUID]
    var twoFactorEnabled: Bool
    var lastLoginAt: Date?
    var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, email, name, role, active, languages, skills
        case licensedStates = "licensed_states"
        case teamIDs = "team_ids"
        case twoFactorEnabled = "two_factor_enabled"
        case lastLoginAt = "last_login_at"
        case createdAt = "created_at"
    }

    init(_ user: User, teamIDs: [UUID]) throws {
        id = try user.requireID
        email = user.email
        name = user.name
        role = user.role.rawValue
        active = user.isActive
        languages = user.languages
        licensedStates = user.licensedStates
        skills = user.skills
        self.teamIDs = teamIDs
        twoFactorEnabled = user.twoFactorEnabled
        lastLoginAt = user.lastLoginAt
        createdAt = user.createdAt
    }
}

/// `/api/v1/users`: list, read, invite, change and deactivate staff.
struct UsersAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("users")
        users.get(use: list).access(.requires(.usersRead))
        users.post(use: invite).access(.requires(.usersManage))
        users.get(":id", use: read).access(.requires(.usersRead))
        users.patch(":id", use: update).access(.requires(.usersManage))
        users.delete(":id", use: deactivate).access(.requires(.usersManage))
        users.post(":id", "deactivate", use: deactivate).access(.requires(.usersManage))
        users.post(":id", "reactivate", use: reactivate).access(.requires(.usersManage))
    }

    struct UserRequest: Content {
        var name: String?
        var email: String?
        var role: String?
        var languages: [String]?
        var licensedStates: [String]?
        var skills: [String]?
        var teamIDs: [UUID]?

        enum CodingKeys: String, CodingKey {
            case name, email, role, languages, skills
            case licensedStates = "licensed_states"
            case teamIDs = "team_ids"
        }

        var changes: UserChanges {
            UserChanges(
                name: name, email: email, role: role, languages: languages,
                licensedStates: licensedStates,
                skills: skills, teamIDs: teamIDs)
        }
    }

    private func dto(_ user: User, on req: Request) async throws -> UserDTO {
        try UserDTO(user, teamIDs: try await UserDirectory.teamIDs(of: user, on: req.db))
    }

    private func find(_ req: Request) async throws -> User {
        try await User.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
    }

    func list(req: Request) async throws -> [UserDTO] {
        let principal = try req.principal
        let users = try await User.query(in: principal.organizationID, on: req.db).sort(\.$name)
            .all()
        let members = try await TeamMember.query(in: principal.organizationID, on: req.db).all()
        return try users.map { user in
            try UserDTO(user, teamIDs: members.filter { $0.userID == user.id }.map(\.teamID))
        }
    }

    func read(req: Request) async throws -> UserDTO { try await dto(find(req), on: req) }

    func invite(req: Request) async throws -> Response {
        let body = try req.content.decode(UserRequest.self)
        var changes = body.changes
        if changes.name == nil { changes.name = "" }
        let user = try await UserDirectory.invite(changes, on: req)
        return try await dto(user, on: req).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> UserDTO {
        let user = try await find(req)
        var changes = try req.content.decode(UserRequest.self).changes
        if changes.email != nil, changes.email?.lowercased() != user.email {
            throw ValidationFailure(fields: [
                "email": "cannot be changed; invite a new user instead"
            ])
        }
        changes.email = nil
        try await UserDirectory.update(user, with: changes, on: req)
        return try await dto(user, on: req)
    }

    func deactivate(req: Request) async throws -> UserDTO {
        let user = try await find(req)
        try await UserDirectory.setActive(user, false, on: req)
        return try await dto(user, on: req)
    }

    func reactivate(req: Request) async throws -> UserDTO {
        let user = try await find(req)
        try await UserDirectory.setActive(user, true, on: req)
        return try await dto(user, on: req)
    }
}
