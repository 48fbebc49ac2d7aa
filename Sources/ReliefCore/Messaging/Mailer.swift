/// An e-mail the application sends on its own behalf (password reset, invitation). Marketing
/// and client e-mail go through the messaging engine and the contact gate instead.
public struct OutgoingEmail: Sendable, Equatable {
    /// The organization the message is sent for.
    public var organizationID: String
    public var to: String
    public var subject: String
    /// Plain text body.
    public var body: String

    public init(organizationID: String, to: String, subject: String, body: String) {
        self.organizationID = organizationID
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// Sends system e-mail. Development records messages in an outbox page; the e-mail provider
/// issue adds real providers behind the same interface.
public protocol Mailer: Sendable {
    func send(_ email: OutgoingEmail) async throws
}
