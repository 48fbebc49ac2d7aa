import Fluent
import ReliefCore
import Vapor

/// One stored assignment rule: its place in the order and the ``AssignmentRule`` as JSON.
final class AssignmentRuleRecord: Model, TenantScoped, @unchecked Sendable {
    static let schema = "assignment_rules"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "is_active") var isActive: Bool
    /// JSON of the rule's conditions and target (``AssignmentRule``).
    @Field(key: "definition") var definition: String

    init() {}

    init(organizationID: UUID, position: Int, rule: AssignmentRule) throws {
        self.organizationID = organizationID
        self.position = position
        try store(rule)
    }

    /// Writes `rule`'s name, state and definition into the row.
    func store(_ rule: AssignmentRule) throws {
        name = rule.name
        isActive = rule.isActive
        definition = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
    }

    /// The rule, with the row id as its id.
    var rule: AssignmentRule {
        get throws {
            var rule = try JSONDecoder().decode(AssignmentRule.self, from: Data(definition.utf8))
            rule.id = id?.uuidString ?? rule.id
            rule.name = name
            rule.isActive = isActive
            return rule
        }
    }

    static func scoped(_ query: QueryBuilder<AssignmentRuleRecord>, to organizationID: UUID)
        -> QueryBuilder<AssignmentRuleRecord>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A team member's round-robin counter.
final class RoundRobinCounter: Model, TenantScoped, @unchecked Sendable {
    static let schema = "round_robin_counters"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "assigned_count") var assignedCount: Int

    init() {}

    init(organizationID: UUID, teamID: UUID, userID: UUID, assignedCount: Int) {
        self.organizationID = organizationID
        self.teamID = teamID
        self.userID = userID
        self.assignedCount = assignedCount
    }

    static func scoped(_ query: QueryBuilder<RoundRobinCounter>, to organizationID: UUID)
        -> QueryBuilder<RoundRobinCounter>
    {
        query.filter(\.$organizationID == organizationID)
    }
}
