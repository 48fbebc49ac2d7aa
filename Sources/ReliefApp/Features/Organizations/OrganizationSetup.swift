import Fluent
import ReliefCore
import Vapor

/// Creating organizations and users outside a web request (commands, the demo seeder), with
/// the same rules and audit entries as the web pages.
enum OrganizationSetup {
    static func create(
        name rawName: String, slug rawSlug: String?, timeZone: String, ownerEmail: String,
        ownerName: String, ownerPassword: String, app: Application
    ) async throws -> (Organization, User) {
        let name = rawName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw CommandFailure(description: "--name must not be empty.") }
        guard TimeZone(identifier: timeZone) != nil else {
            throw CommandFailure(
                description:
                    "--time-zone '\(timeZone)' is not an IANA time zone such as America/New_York.")
        }
        let slug = Slug.make(rawSlug ?? name)
        guard !slug.isEmpty else {
            throw CommandFailure(description: "Cannot derive a slug from '\(name)'; pass --slug.")
        }
        if try await Organization.query(on: app.db).filter(\.$slug == slug).first() != nil {
            throw CommandFailure(description: "An organization with slug '\(slug)' already exists.")
        }
        let org = Organization(name: name, slug: slug, timeZone: timeZone)
        try await org.create(on: app.db)
        try await app.relief.audit.record(
            AuditEntry(
                organizationID: try org.requireID, actor: .system, action: "organization.created",
                entityType: "organization", entityID: org.id?.uuidString,
                changes: AuditDiff.details(["name": name, "slug": slug]), origin: .commandLine),
            on: app.db)
        let owner = try await addUser(
            to: org, email: ownerEmail, name: ownerName, role: .owner, password: ownerPassword,
            app: app)
        return (org, owner)
    }

    static func addUser(
        to org: Organization, email rawEmail: String, name: String, role: Role, password: String,
        app: Application
    ) async throws -> User {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard (try? EmailAddress.normalize(email)) != nil else {
            throw CommandFailure(description: "'\(rawEmail)' is not a valid e-mail address.")
        }
        let violations = PasswordPolicy.standard.violations(
            password: password, email: email, name: name)
        guard violations.isEmpty else {
            throw CommandFailure(
                description: "The password is not accepted: "
                    + violations.map(\.message).joined(separator: " "))
        }
        if try await User.query(on: app.db).filter(\.$email == email).first() != nil {
            throw CommandFailure(description: "A user with e-mail \(email) already exists.")
        }
        let user = User(organizationID: try org.requireID, email: email, name: name, role: role)
        user.passwordHash = try await app.password.async.hash(password)
        try await user.create(on: app.db)
        var diff = AuditDiff()
        diff.field("email", from: nil, to: email)
        diff.field("role", from: nil, to: role.rawValue)
        try await app.relief.audit.record(
            AuditEntry(
                organizationID: try org.requireID, actor: .system, action: "user.created",
                entityType: "user", entityID: user.id?.uuidString, changes: diff.json,
                origin: .commandLine),
            on: app.db)
        return user
    }
}

/// URL-safe short names for organizations.
enum Slug {
    static func make(_ text: String) -> String {
        let lowered = text.lowercased().folding(options: .diacriticInsensitive, locale: nil)
        var slug = ""
        for character in lowered {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.hasSuffix("-"), !slug.isEmpty {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(60))
    }
}

/// Seeds "Summit Debt Relief", a realistic demo organization: an owner, a manager, a
/// compliance officer and six agents in two teams with licensed states, languages and skills,
/// and 2,000 leads with their history (``DemoLeadSeeder``). Running it again changes nothing. Later feature issues add their own demo data here.
enum DemoSeeder {
    static let slug = "summit-demo"
    static let ownerEmail = "owner@summit-demo.example"
    static let password = "ReliefDemo!2026"

    struct Result {
        var created: Bool
        var summary: String
    }

    private struct Person {
        var name: String
        var email: String
        var role: Role
        var languages: [String]
        var states: [String]
        var skills: [String]
    }

    private static let people: [Person] = [
        Person(
            name: "Dana Whitfield", email: ownerEmail, role: .owner, languages: ["en"], states: [],
            skills: []),
        Person(
            name: "Marcus Lee", email: "marcus.lee@summit-demo.example", role: .manager,
            languages: ["en"], states: ["FL", "GA", "NC", "NY", "TX", "CA"],
            skills: ["coaching", "escalations"]),
        Person(
            name: "Priya Raman", email: "priya.raman@summit-demo.example", role: .compliance,
            languages: ["en"], states: [], skills: ["tsr", "tcpa"]),
        Person(
            name: "Alicia Gómez", email: "alicia.gomez@summit-demo.example", role: .agent,
            languages: ["en", "es"], states: ["FL", "GA", "NC"],
            skills: ["spanish", "high-balance"]),
        Person(
            name: "Ben Carter", email: "ben.carter@summit-demo.example", role: .agent,
            languages: ["en"], states: ["NY", "NJ", "PA"], skills: ["credit-card-debt"]),
        Person(
            name: "Chloe Nguyen", email: "chloe.nguyen@summit-demo.example", role: .agent,
            languages: ["en", "vi"], states: ["FL", "VA", "MD"],
            skills: ["medical-debt", "hardship"]),
        Person(
            name: "Diego Ramírez", email: "diego.ramirez@summit-demo.example", role: .agent,
            languages: ["en", "es"], states: ["TX", "AZ", "NM"], skills: ["spanish", "collections"]),
        Person(
            name: "Emma Brooks", email: "emma.brooks@summit-demo.example", role: .agent,
            languages: ["en"], states: ["CA", "WA", "OR"],
            skills: ["high-balance", "small-business"]),
        Person(
            name: "Farid Haddad", email: "farid.haddad@summit-demo.example", role: .agent,
            languages: ["en", "ar"], states: ["TX", "CO", "UT"], skills: ["personal-loans"]),
    ]

    static func seed(_ app: Application) async throws -> Result {
        if try await Organization.query(on: app.db).filter(\.$slug == slug).first() != nil {
            return Result(
                created: false,
                summary:
                    "Demo organization ready. Sign in as \(ownerEmail) with password \(password)")
        }
        let (org, _) = try await OrganizationSetup.create(
            name: "Summit Debt Relief", slug: slug, timeZone: "America/New_York",
            ownerEmail: ownerEmail,
            ownerName: people[0].name, ownerPassword: password, app: app)
        org.addressLine1 = "200 Biscayne Blvd Way, Suite 400"
        org.city = "Miami"
        org.state = "FL"
        org.postalCode = "33131"
        org.primaryColor = "#0f766e"
        try await org.save(on: app.db)
        var users: [String: User] = [:]
        for person in people {
            let user: User
            if person.email == ownerEmail {
                guard
                    let owner = try await User.query(on: app.db).filter(\.$email == ownerEmail)
                        .first()
                else { continue }
                user = owner
            } else {
                user = try await OrganizationSetup.addUser(
                    to: org, email: person.email, name: person.name, role: person.role,
                    password: password, app: app)
            }
            user.languages = person.languages
            user.licensedStates = person.states
            user.skills = person.skills
            try await user.save(on: app.db)
            users[person.email] = user
        }
        let manager = users["marcus.lee@summit-demo.example"]
        let teams = [
            ("East Coast Closers", ["alicia.gomez", "ben.carter", "chloe.nguyen"]),
            ("West & Southwest", ["diego.ramirez", "emma.brooks", "farid.haddad"]),
        ]
        let orgID = try org.requireID
        var teamIDs: [String: UUID] = [:]
        var teamOf: [UUID: UUID] = [:]
        var agents: [User] = []
        for (name, members) in teams {
            let team = Team(organizationID: orgID, name: name, managerID: manager?.id)
            try await team.create(on: app.db)
            teamIDs[name] = try team.requireID()
            for member in members {
                guard let user = users["\(member)@summit-demo.example"] else { continue }
                try await TeamMember(
                    organizationID: orgID, teamID: try team.requireID(), userID: try user.requireID
                ).create(on: app.db)
                teamOf[try user.requireID] = try team.requireID()
                agents.append(user)
            }
            try await app.relief.audit.record(
                AuditEntry(
                    organizationID: orgID, actor: .system, action: "team.created",
                    entityType: "team",
                    entityID: team.id?.uuidString, changes: AuditDiff.details(["name": name]),
                    origin: .commandLine),
                on: app.db)
        }
        try await DemoLeadSeeder.seed(
            app, organization: org, agents: agents, teamOf: teamOf, teams: teamIDs,
            fallbackOwner: manager)
        try await DemoComplianceSeeder.seed(
            app, organization: org, officer: users["priya.raman@summit-demo.example"])
        try await DemoEngagementSeeder.seed(app, organization: org)
        return Result(
            created: true,
            summary:
                "Demo organization created. Sign in as \(ownerEmail) with password \(password) "
                + "(every demo user has the same password).")
    }
}
