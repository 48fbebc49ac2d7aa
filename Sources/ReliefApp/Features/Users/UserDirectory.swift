import Fluent
import ReliefCore
import Vapor

/// What an admin may set on a staff member, from the web form or the API.
struct UserChanges: Sendable {
    var name: String?
    var email: String?
    var role: String?
    var languages: [String]?
    var licensedStates: [String]?
    var skills: [String]?
    var teamIDs: [UUID]?
}

/// Inviting, changing and deactivating staff, with the rules that keep an organization safe:
/// nobody grants a role above their own, changes their own role or deactivates themselves, and
/// an organization always keeps an active owner.
enum UserDirectory {
    static func invite(_ changes: UserChanges, on req: Request) async throws -> User {
        let principal = try req.principal
        var check = FieldCheck()
        let email = (changes.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        check.require(
            (try? EmailAddress.normalize(email)) != nil, "email", "Enter a valid e-mail address.")
        if check.errors["email"] == nil,
            try await User.query(on: req.db).filter(\.$email == email).first() != nil
        {
            check.fail("email", "A user with this e-mail already exists.")
        }
        let user = User(
            organizationID: principal.organizationID, email: email, name: "", role: .agent)
        try await apply(changes, to: user, isNew: true, by: principal, check: &check, on: req)
        try check.throwIfFailed()
        try await req.db.transaction { database in
            try await user.create(on: database)
            try await syncTeams(changes.teamIDs ?? [], for: user, on: database)
        }
        try await PasswordLinks.send(.invitation, to: user, on: req)
        var diff = AuditDiff()
        diff.field("email", from: nil, to: user.email)
        diff.field("name", from: nil, to: user.name)
        diff.field("role", from: nil, to: user.role.rawValue)
        try await req.audit(
            "user.invited", entityType: "user", entityID: user.id?.uuidString, changes: diff.json)
        return user
    }

    static func update(_ user: User, with changes: UserChanges, on req: Request) async throws {
        let principal = try req.principal
        var check = FieldCheck()
        let before = try await snapshot(user, on: req.db)
        try await apply(changes, to: user, isNew: false, by: principal, check: &check, on: req)
        try check.throwIfFailed()
        try await req.db.transaction { database in
            try await user.save(on: database)
            if let teamIDs = changes.teamIDs {
                try await syncTeams(teamIDs, for: user, on: database)
            }
        }
        let after = try await snapshot(user, on: req.db)
        let diff = AuditDiff.between(before, after)
        if !diff.isEmpty {
            try await req.audit(
                "user.updated", entityType: "user", entityID: user.id?.uuidString,
                changes: diff.json)
        }
    }

    static func setActive(_ user: User, _ active: Bool, on req: Request) async throws {
        let principal = try req.principal
        guard user.isActive != active else { return }
        if !active {
            guard user.id != principal.userID else {
                throw ValidationFailure(fields: ["user": "You cannot deactivate yourself."])
            }
            guard user.role.rank <= principal.user.role.rank else {
                throw ValidationFailure(fields: [
                    "user": "You cannot deactivate someone with a higher role."
                ])
            }
            try await requireAnotherOwner(besides: user, on: req)
        }
        user.isActive = active
        try await user.save(on: req.db)
        if !active {
            try await UserSession.query(in: user.organizationID, on: req.db)
                .filter(\.$userID == user.requireID).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: req.now).update()
            try await RefreshToken.query(in: user.organizationID, on: req.db)
                .filter(\.$userID == user.requireID).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: req.now).update()
        }
        try await req.audit(
            active ? "user.reactivated" : "user.deactivated", entityType: "user",
            entityID: user.id?.uuidString)
    }

    private static func apply(
        _ changes: UserChanges, to user: User, isNew: Bool, by principal: Principal,
        check: inout FieldCheck, on req: Request
    ) async throws {
        if let name = changes.name?.trimmingCharacters(in: .whitespaces) {
            check.require(
                !name.isEmpty && name.count <= 120, "name", "Enter a name (up to 120 characters).")
            user.name = name
        } else if isNew {
            check.fail("name", "Enter a name.")
        }
        if let rawRole = changes.role {
            if let role = Role(rawValue: rawRole) {
                if role != user.role || isNew {
                    check.require(
                        role.rank <= principal.user.role.rank, "role",
                        "You cannot grant a role above your own.")
                    check.require(
                        isNew || user.id != principal.userID, "role",
                        "You cannot change your own role.")
                    if !isNew, user.role == .owner, role != .owner {
                        if try await activeOwners(
                            in: user.organizationID, on: req.db, excluding: user.id) == 0
                        {
                            check.fail("role", "The organization needs at least one active owner.")
                        }
                    }
                    user.role = role
                }
            } else {
                check.fail(
                    "role",
                    "Choose one of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        if let languages = changes.languages {
            check.require(
                languages.allSatisfy { $0.count <= 10 }, "languages",
                "Use language codes such as en, es.")
            user.languages = languages.isEmpty ? ["en"] : languages.map { $0.lowercased() }
        }
        if let states = changes.licensedStates {
            let invalid = states.filter { !USState.isValid($0) }
            check.require(
                invalid.isEmpty, "licensed_states",
                "Unknown state code(s): \(invalid.joined(separator: ", ")).")
            user.licensedStates = states.map { $0.uppercased() }.sorted()
        }
        if let skills = changes.skills {
            check.require(
                skills.allSatisfy { $0.count <= 60 }, "skills",
                "Keep each skill under 60 characters.")
            user.skills = skills
        }
        if let teamIDs = changes.teamIDs, !teamIDs.isEmpty {
            let found = try await Team.query(in: principal.organizationID, on: req.db)
                .filter(\.$id ~~ teamIDs).count()
            check.require(
                found == Set(teamIDs).count, "team_ids", "One or more teams do not exist.")
        }
    }

    private static func syncTeams(_ teamIDs: [UUID], for user: User, on database: any Database)
        async throws
    {
        let userID = try user.requireID
        try await TeamMember.query(in: user.organizationID, on: database).filter(
            \.$userID == userID
        ).delete()
        for teamID in Set(teamIDs) {
            try await TeamMember(
                organizationID: user.organizationID, teamID: teamID, userID: userID
            ).create(on: database)
        }
    }

    /// Team ids of a user.
    static func teamIDs(of user: User, on database: any Database) async throws -> [UUID] {
        try await TeamMember.query(in: user.organizationID, on: database)
            .filter(\.$userID == user.requireID).all().map(\.teamID)
    }

    private static func snapshot(_ user: User, on database: any Database) async throws -> [String:
        String]
    {
        [
            "name": user.name, "role": user.role.rawValue,
            "languages": user.languages.joined(separator: ","),
            "licensed_states": user.licensedStates.joined(separator: ","),
            "skills": user.skills.joined(separator: ","),
            "team_ids": try await teamIDs(of: user, on: database).map(\.uuidString).sorted().joined(
                separator: ","),
        ]
    }

    private static func activeOwners(
        in organizationID: UUID, on database: any Database, excluding: UUID?
    ) async throws -> Int {
        var query = User.query(in: organizationID, on: database).filter(\.$role == .owner).filter(
            \.$isActive == true)
        if let excluding { query = query.filter(\.$id != excluding) }
        return try await query.count()
    }

    private static func requireAnotherOwner(besides user: User, on req: Request) async throws {
        guard user.role == .owner else { return }
        if try await activeOwners(in: user.organizationID, on: req.db, excluding: user.id) == 0 {
            throw ValidationFailure(fields: [
                "user": "The organization needs at least one active owner."
            ])
        }
    }
}
