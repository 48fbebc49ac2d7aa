import Fluent
import Vapor

/// One append-only audit entry. Rows of an organization form a hash chain:
/// `hash = SHA-256(previous_hash || canonical JSON of the row)`, checked by `relief audit verify`.
final class AuditEvent: Model, TenantScoped, @unchecked Sendable {
    static let schema = "audit_events"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    /// 1, 2, 3... within the organization, with no gaps.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "occurred_at") var occurredAt: Date
    @Field(key: "actor_type") var actorType: String
    @OptionalField(key: "actor_id") var actorID: String?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @OptionalField(key: "entity_id") var entityID: String?
    /// JSON object `{"field": {"from": ..., "to": ...}}` or other details; "" when none.
    @Field(key: "changes") var changes: String
    @Field(key: "ip") var ip: String
    @Field(key: "user_agent") var userAgent: String
    @Field(key: "request_id") var requestID: String
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    static func scoped(_ query: QueryBuilder<AuditEvent>, to organizationID: UUID)
        -> QueryBuilder<AuditEvent>
    {
        query.filter(\.$organizationID == organizationID)
    }
}
