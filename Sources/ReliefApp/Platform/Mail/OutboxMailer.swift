import Fluent
import ReliefCore
import Vapor

/// The development ``Mailer``: stores each message as an ``OutboxMessage`` row that admins
/// read at `/app/admin/outbox`, and logs only the recipient and subject.
struct OutboxMailer: Mailer {
    let database: any Database
    let logger: Logger

    func send(_ email: OutgoingEmail) async throws {
        guard let organizationID = UUID(uuidString: email.organizationID) else {
            throw Abort(.internalServerError, reason: "mail without organization")
        }
        let message = OutboxMessage(
            organizationID: organizationID, recipient: email.to, subject: email.subject,
            body: email.body)
        try await message.save(on: database)
        logger.info("recorded e-mail in outbox", metadata: ["subject": .string(email.subject)])
    }
}
