import Fluent
import ReliefCore
import Vapor

/// A kind of background work. Register one value per kind with `app.jobs.register(_:)` and
/// enqueue work with ``Jobs/enqueue(_:_:organizationID:runAt:uniqueKey:on:now:)``.
///
/// Handlers must be idempotent: a job whose worker died runs again after its lease lapses.
protocol JobHandler: Sendable {
    associatedtype Payload: Codable & Sendable
    /// The stable name stored in `jobs.kind` (e.g. `maintenance.prune`).
    static var kind: String { get }
    /// Attempts and backoff for this kind.
    static var retryPolicy: RetryPolicy { get }
    /// Does the work; throwing schedules a retry (or marks the job dead after the last attempt).
    func run(_ payload: Payload, context: JobContext) async throws
}

extension JobHandler {
    static var retryPolicy: RetryPolicy { RetryPolicy() }
}

/// What a running job may use.
struct JobContext: Sendable {
    let application: Application
    let jobID: UUID
    let organizationID: UUID?
    /// 1 for the first attempt.
    let attempt: Int
    let logger: Logger

    var db: any Database { application.db }
    var now: Date { application.relief.now() }
}

/// A handler with its payload type erased, as the worker calls it.
struct AnyJobHandler: Sendable {
    let kind: String
    let retryPolicy: RetryPolicy
    /// Decodes the payload (throwing ``JobPayloadError`` when it cannot) and runs the job.
    let perform: @Sendable (String, JobContext) async throws -> Void

    init<Handler: JobHandler>(_ handler: Handler) {
        kind = Handler.kind
        retryPolicy = Handler.retryPolicy
        perform = { text, context in
            let payload: Handler.Payload
            do {
                payload = try JSONDecoder().decode(Handler.Payload.self, from: Data(text.utf8))
            } catch {
                throw JobPayloadError(
                    description: "payload of \(Handler.kind) does not decode: \(error)")
            }
            try await handler.run(payload, context: context)
        }
    }
}

/// A payload that no longer decodes: the job goes straight to `dead`.
struct JobPayloadError: Error, CustomStringConvertible {
    let description: String
}

/// A recurring job: one job per slot of `rule`, for the deployment or for every organization
/// (in the organization's time zone).
struct JobSchedule: Sendable {
    var name: String
    var rule: ScheduleRule
    var kind: String
    var perOrganization: Bool
    /// The JSON payload each job gets.
    var payload: String
}
