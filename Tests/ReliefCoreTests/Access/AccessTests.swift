import ReliefCore
import Testing

@Suite("Roles, permissions and record scopes")
struct AccessTests {
    @Test("owners and admins hold every permission; every role can use the app")
    func matrixShape() {
        for role in [Role.owner, .admin] {
            #expect(PermissionMatrix.permissions(for: role) == Set(Permission.allCases))
        }
        for role in Role.allCases {
            #expect(PermissionMatrix.allows(role, .signedIn))
        }
    }

    @Test("sensitive data, audit and user management stay with the roles that need them")
    func separationOfDuties() {
        #expect(!PermissionMatrix.allows(.agent, .sensitiveRead))
        #expect(!PermissionMatrix.allows(.manager, .sensitiveRead))
        #expect(PermissionMatrix.allows(.compliance, .sensitiveRead))
        #expect(PermissionMatrix.allows(.compliance, .auditRead))
        #expect(!PermissionMatrix.allows(.manager, .auditRead))
        #expect(!PermissionMatrix.allows(.compliance, .usersManage))
        #expect(!PermissionMatrix.allows(.viewer, .leadsWrite))
        #expect(!PermissionMatrix.allows(.agent, .leadsExport))
    }

    @Test(
        "role ranks order owner above admin above manager",
        arguments: [
            (Role.owner, Role.admin), (.admin, .manager), (.manager, .compliance),
            (.compliance, .agent),
            (.agent, .viewer),
        ])
    func ranks(higher: Role, lower: Role) {
        #expect(lower < higher)
    }

    @Test("agents see what the organization allows; managers see their teams")
    func recordScopes() {
        let teams: Set<String> = ["east"]
        let own = RecordScope.resolve(
            role: .agent, userID: "u1", teamIDs: teams, agentVisibility: .own)
        #expect(own.includes(ownerID: "u1", teamID: "east"))
        #expect(!own.includes(ownerID: "u2", teamID: "east"))

        let team = RecordScope.resolve(
            role: .agent, userID: "u1", teamIDs: teams, agentVisibility: .ownAndTeam)
        #expect(team.includes(ownerID: "u2", teamID: "east"))
        #expect(!team.includes(ownerID: "u2", teamID: "west"))
        #expect(team.includes(ownerID: "u1", teamID: nil))
        #expect(!team.includes(ownerID: nil, teamID: nil))

        let everyone = RecordScope.resolve(
            role: .agent, userID: "u1", teamIDs: [], agentVisibility: .organization)
        #expect(everyone == .organization)
        #expect(
            RecordScope.resolve(role: .manager, userID: "m", teamIDs: teams, agentVisibility: .own)
                == .teams(teams, userID: "m"))
        #expect(
            RecordScope.resolve(role: .compliance, userID: "c", teamIDs: [], agentVisibility: .own)
                == .organization)
    }
}
