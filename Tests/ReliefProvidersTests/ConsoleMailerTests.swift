import Logging
import ReliefCore
import ReliefProviders
import Synchronization
import Testing

/// Collects log records in memory.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    let records = Mutex<[(String, Logger.Metadata)]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        records.withLock { $0.append((event.message.description, event.metadata ?? [:])) }
    }
}

@Suite("Console mailer")
struct ConsoleMailerTests {
    let email = OutgoingEmail(
        organizationID: "org-1", to: "agent@example.com", subject: "Reset your password",
        body: "secret link https://crm.example/password/reset/abc")

    @Test("logs recipient and subject but never the body by default")
    func redactsBody() async throws {
        let handler = RecordingLogHandler()
        try await ConsoleMailer(logger: Logger(label: "test") { _ in handler }).send(email)
        let records = handler.records.withLock { $0 }
        #expect(records.count == 1)
        #expect(records[0].1["to"] == .string("agent@example.com"))
        #expect(records[0].1["subject"] == .string("Reset your password"))
        #expect(records[0].1["body"] == nil)
    }

    @Test("logs the body when asked to")
    func includesBody() async throws {
        let handler = RecordingLogHandler()
        try await ConsoleMailer(logger: Logger(label: "test") { _ in handler }, includeBody: true)
            .send(email)
        #expect(handler.records.withLock { $0 }.first?.1["body"] == .string(email.body))
    }
}
