import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The job kinds and schedules this process knows, installed on the application by
/// `configure`. Feature areas register their handlers in `registerJobs(_:)`.
final class JobsService: Sendable {
    private let handlers = NIOLockedValueBox<[String: AnyJobHandler]>([:])
    private let scheduleList = NIOLockedValueBox<[JobSchedule]>([])

    /// Makes `handler` run jobs of its kind.
    func register<Handler: JobHandler>(_ handler: Handler) {
        handlers.withLockedValue { $0[Handler.kind] = AnyJobHandler(handler) }
    }

    /// Adds a recurring job.
    func schedule(_ schedule: JobSchedule) {
        scheduleList.withLockedValue { $0.append(schedule) }
    }

    func handler(for kind: String) -> AnyJobHandler? {
        handlers.withLockedValue { $0[kind] }
    }

    var kinds: [String] { handlers.withLockedValue { Array($0.keys).sorted() } }
    var schedules: [JobSchedule] { scheduleList.withLockedValue { $0 } }
}

extension Application {
    private struct JobsKey: StorageKey {
        typealias Value = JobsService
    }

    /// Registered job kinds and schedules.
    var jobs: JobsService {
        if let existing = storage[JobsKey.self] { return existing }
        let service = JobsService()
        storage[JobsKey.self] = service
        return service
    }
}

/// Every job kind and schedule of the application, in one place.
func registerJobs(_ app: Application) {
    app.jobs.register(MaintenanceJob())
    app.jobs.register(ImportLeadsJob())
    app.jobs.schedule(
        JobSchedule(
            name: "maintenance", rule: .daily(hour: 3, minute: 0), kind: MaintenanceJob.kind,
            perOrganization: false, payload: "{}"))
    app.jobs.register(DatabaseStatisticsJob())
    // Not in the tests: they start hundreds of short-lived apps that share SQLite's two pool
    // threads, and an extra writer at every worker start only adds lock waits there.
    if app.environment != .testing {
        app.jobs.schedule(
            JobSchedule(
                name: "database-statistics", rule: .every(minutes: 60),
                kind: DatabaseStatisticsJob.kind, perOrganization: false, payload: "{}"))
    }
    app.jobs.register(TaskReminderJob())
    app.jobs.schedule(
        JobSchedule(
            name: "task-reminders", rule: .every(minutes: 1), kind: TaskReminderJob.kind,
            perOrganization: false, payload: "{}"))
}
