import Fluent
import Vapor

/// A sales or servicing team with an optional manager; members are ``TeamMember`` rows.
final class Team: Model, TenantScoped, @unchecked Sendable {
    static let schema = "teams"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "name") var name: String
    @OptionalField(key: "manager_id") var managerID: UUID?

    init() {}

    init(organizationID: UUID, name: String, managerID: UUID?) {
        self.organizationID = organizationID
        self.name = name
        self.managerID = managerID
    }

    static func scoped(_ query: QueryBuilder<Team>, to organizationID: UUID) -> QueryBuilder<Team> {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A user's membership in a team (a user may be in several teams).
final class TeamMember: Model, TenantScoped, @unchecked Sendable {
    static let schema = "team_members"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "user_id") var userID: UUID

    init() {}

    init(organizationID: UUID, teamID: UUID, userID: UUID) {
        self.organizationID = organizationID
        self.teamID = teamID
        self.userID = userID
    }

    static func scoped(_ query: QueryBuilder<TeamMember>, to organizationID: UUID)
        -> QueryBuilder<TeamMember>
    {
        query.filter(\.$organizationID == organizationID)
    }
}
