import Fluent
import Vapor

/// An e-mail the development mailer recorded instead of sending (shown on the outbox page).
final class OutboxMessage: Model, TenantScoped, @unchecked Sendable {
    static let schema = "outbox_messages"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String

    init() {}

    init(organizationID: UUID, recipient: String, subject: String, body: String) {
        self.organizationID = organizationID
        self.recipient = recipient
        self.subject = subject
        self.body = body
    }

    static func scoped(_ query: QueryBuilder<OutboxMessage>, to organizationID: UUID)
        -> QueryBuilder<OutboxMessage>
    {
        query.filter(\.$organizationID == organizationID)
    }
}
