import Logging
import ReliefCore

/// A development ``Mailer`` that writes each message to the log instead of sending it: the
/// recipient and subject always, the body only when `includeBody` is set (bodies can hold
/// one-time links, so production logs never carry them).
public struct ConsoleMailer: Mailer {
    private let logger: Logger
    private let includeBody: Bool

    public init(logger: Logger, includeBody: Bool = false) {
        self.logger = logger
        self.includeBody = includeBody
    }

    public func send(_ email: OutgoingEmail) async throws {
        var metadata: Logger.Metadata = [
            "to": .string(email.to), "subject": .string(email.subject),
            "organization": .string(email.organizationID),
        ]
        if includeBody { metadata["body"] = .string(email.body) }
        logger.info("e-mail (console provider, not sent)", metadata: metadata)
    }
}
