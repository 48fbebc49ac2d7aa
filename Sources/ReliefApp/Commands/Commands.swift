import ConsoleKit
import Fluent
import Foundation
import NIOConcurrencyHelpers
import ReliefCore
import Vapor

/// Registers the `relief` commands on the application.
public func registerCommands(_ app: Application) {
    app.asyncCommands.use(ReliefServeCommand(), as: "serve", isDefault: true)
    app.asyncCommands.use(ReliefMigrateCommand(), as: "migrate")
    app.asyncCommands.use(CreateOrgCommand(), as: "create-org")
    app.asyncCommands.use(CreateUserCommand(), as: "create-user")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(ConfigCommand(), as: "config")
    app.asyncCommands.use(AuditCommands(), as: "audit")
    app.asyncCommands.use(WorkerCommand(), as: "worker")
    app.asyncCommands.use(JobsCommands(), as: "jobs")
    app.asyncCommands.use(KeysCommands(), as: "keys")
    app.asyncCommands.use(ImportCommands(), as: "import")
    app.asyncCommands.use(BenchCommands(), as: "bench")
    app.asyncCommands.use(DNCCommands(), as: "dnc")
    app.asyncCommands.use(ScoresCommands(), as: "scores")
}

/// Commands that do not need the database at start.
public let commandsWithoutDatabase: Set<String> = [
    "config", "routes", "bench", "dnc", "--help", "-h",
]

/// A failure a command reports as one line and a non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// `relief serve`: migrates (unless `--no-migrate`), seeds the demo organization with
/// `--demo`, starts a job worker (unless `--no-worker`), then serves HTTP on
/// `--hostname`/`--port`.
struct ReliefServeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "hostname", short: "H", help: "Address to listen on (default 127.0.0.1).")
        var hostname: String?
        @Option(name: "port", short: "p", help: "Port to listen on (default 8080).")
        var port: Int?
        @Flag(name: "no-migrate", help: "Do not run pending migrations at start.")
        var noMigrate: Bool
        @Flag(
            name: "demo", help: "Seed the demo organization on first start and print its sign-in.")
        var demo: Bool
        @Flag(name: "no-worker", help: "Do not run a job worker in this process.")
        var noWorker: Bool
    }

    var help: String { "Runs ReliefCRM's web server (migrating first)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if !signature.noMigrate { try await app.autoMigrate() }
        if signature.demo {
            let result = try await DemoSeeder.seed(app)
            context.console.info(result.summary)
        }
        try await DatabaseStatistics.refresh(on: app.db)
        app.lifecycle.use(LiveHubLifecycle())
        app.lifecycle.use(EngagementIngestLifecycle())
        app.engagement.start()
        await app.live.startListening()
        if !signature.noWorker {
            let worker = JobWorker(application: app)
            app.lifecycle.use(JobWorkerLifecycle(workers: [worker]))
            Task { await worker.run() }
        }
        if let hostname = signature.hostname { app.http.server.configuration.hostname = hostname }
        if let port = signature.port { app.http.server.configuration.port = port }
        // Vapor's serve command does the listening and signal handling; our options are
        // already applied to the server configuration, so it runs with no arguments.
        var serveContext = CommandContext(
            console: context.console, input: CommandInput(arguments: ["relief"]))
        serveContext.userInfo = context.userInfo
        try await app.servers.asyncCommand.run(using: &serveContext)
    }
}

/// `relief migrate [--revert] [--yes]`.
struct ReliefMigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "revert", help: "Revert the last batch of migrations.")
        var revert: Bool
        @Flag(name: "yes", short: "y", help: "Do not ask for confirmation.")
        var yes: Bool
    }

    var help: String { "Applies (or with --revert, reverts) database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let migrator = context.application.migrator
        try await migrator.setupIfNeeded().get()
        if signature.revert {
            let batch = try await migrator.previewRevertLastBatch().get()
            guard !batch.isEmpty else { return context.console.print("No migrations to revert.") }
            context.console.print("These migrations will be reverted (their data is lost):")
            for (migration, database) in batch {
                context.console.print("- \(migration.name) on \(database?.string ?? "default")")
            }
            guard signature.yes || context.console.confirm("Revert them?") else {
                return context.console.warning("Nothing reverted.")
            }
            try await migrator.revertLastBatch().get()
            context.console.info("Reverted \(batch.count) migration(s).")
        } else {
            let pending = try await migrator.previewPrepareBatch().get()
            guard !pending.isEmpty else {
                return context.console.print("The database is up to date.")
            }
            context.console.print("These migrations will be applied:")
            for (migration, _) in pending { context.console.print("- \(migration.name)") }
            guard signature.yes || context.console.confirm("Apply them?") else {
                return context.console.warning("Nothing applied.")
            }
            try await migrator.prepareBatch().get()
            context.console.info("Applied \(pending.count) migration(s).")
        }
    }
}

/// `relief create-org --name N --admin-email E --admin-password P`.
struct CreateOrgCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "Company name.") var name: String?
        @Option(name: "admin-email", help: "E-mail of the first owner.") var adminEmail: String?
        @Option(name: "admin-password", help: "Password of the first owner (12+ characters).")
        var adminPassword: String?
        @Option(name: "admin-name", help: "Name of the first owner.") var adminName: String?
        @Option(name: "slug", help: "URL-safe short name (derived from the name when omitted).")
        var slug: String?
        @Option(name: "time-zone", help: "IANA time zone, default America/New_York.") var timeZone:
            String?
    }

    var help: String { "Creates an organization with its first owner." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let name = signature.name, let email = signature.adminEmail,
            let password = signature.adminPassword
        else {
            throw CommandFailure(
                description: "create-org needs --name, --admin-email and --admin-password.")
        }
        let (org, _) = try await OrganizationSetup.create(
            name: name, slug: signature.slug, timeZone: signature.timeZone ?? "America/New_York",
            ownerEmail: email, ownerName: signature.adminName ?? "Owner", ownerPassword: password,
            app: context.application)
        context.console.print("organization id: \(try org.requireID.uuidString)")
        context.console.print("slug: \(org.slug)")
    }
}

/// `relief create-user --org SLUG --email E --name N --role R [--password P]`.
struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "org", help: "Organization slug.") var org: String?
        @Option(name: "email", help: "E-mail address.") var email: String?
        @Option(name: "name", help: "Full name.") var name: String?
        @Option(name: "role", help: "owner, admin, manager, agent, compliance or viewer.") var role:
            String?
        @Option(name: "password", help: "Password (12+ characters).") var password: String?
    }

    var help: String { "Creates a staff user in an organization." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let slug = signature.org, let email = signature.email,
            let password = signature.password
        else {
            throw CommandFailure(
                description: "create-user needs --org, --email and --password (and --name, --role)."
            )
        }
        guard let role = Role(rawValue: signature.role ?? "agent") else {
            throw CommandFailure(
                description:
                    "--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        let app = context.application
        guard let org = try await Organization.query(on: app.db).filter(\.$slug == slug).first()
        else {
            throw CommandFailure(description: "No organization with slug '\(slug)'.")
        }
        let user = try await OrganizationSetup.addUser(
            to: org, email: email, name: signature.name ?? email, role: role, password: password,
            app: app)
        context.console.print("user id: \(try user.requireID.uuidString)")
    }
}

/// `relief demo`: seeds the demo organization (idempotent).
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Seeds the demo organization (owner, manager, six agents in two teams)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        context.console.info(try await DemoSeeder.seed(context.application).summary)
    }
}

/// `relief config`: the effective configuration, secrets masked.
struct ConfigCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Prints the effective configuration with secrets masked." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let rows = context.application.relief.config.describedSettings
        let width = rows.map(\.name.count).max() ?? 0
        for row in rows {
            context.console.print(
                row.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + row.value)
        }
    }
}

/// `relief audit verify`.
struct AuditCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["verify": AuditVerifyCommand()] }
    var help: String { "Audit trail tools." }
}

/// Walks every organization's hash chain; exits non-zero naming the first broken row.
struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Verifies the audit trail's hash chain of every organization." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let broken = try await app.relief.audit.verifyAll(on: app.db)
        let total = try await AuditEvent.query(on: app.db).count()
        guard broken.isEmpty else {
            for (org, failure) in broken {
                context.console.error("audit chain of \(org.slug) is broken at \(failure)")
            }
            throw CommandFailure(
                description: "audit verify failed for \(broken.count) organization(s)")
        }
        context.console.info("audit trail intact: \(total) rows verified")
    }
}

/// `relief worker [--workers N] [--concurrency N]`: runs job workers only (no HTTP), until
/// SIGINT or SIGTERM; then finishes or releases running jobs.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "workers", help: "Worker loops in this process (default 2).")
        var workers: Int?
        @Option(name: "concurrency", help: "Jobs each worker runs at once (default 8).")
        var concurrency: Int?
        @Flag(name: "no-migrate", help: "Do not run pending migrations at start.")
        var noMigrate: Bool
    }

    var help: String { "Runs background job workers without the web server." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if !signature.noMigrate { try await app.autoMigrate() }
        var options = JobWorker.Options()
        options.concurrency = max(1, signature.concurrency ?? options.concurrency)
        let workers = (0..<max(1, signature.workers ?? 2)).map { _ in
            JobWorker(application: app, options: options)
        }
        context.console.info(
            "running \(workers.count) job worker(s) for: \(app.jobs.kinds.joined(separator: ", "))")
        let signal = await ShutdownSignal.wait {
            await withTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { await worker.run() } }
            }
        } onSignal: {
            for worker in workers { await worker.stop() }
        }
        context.console.info("stopped on \(signal)")
    }
}

/// Runs work until SIGINT or SIGTERM arrives, then runs the stop action and waits for the work.
enum ShutdownSignal {
    static func wait(
        _ work: @escaping @Sendable () async -> Void,
        onSignal stop: @escaping @Sendable () async -> Void
    ) async -> String {
        let names = [SIGINT: "SIGINT", SIGTERM: "SIGTERM"]
        let received = NIOLockedValueBox<String>("")
        let task = Task { await work() }
        let sources = names.keys.map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler {
                received.withLockedValue { $0 = names[number] ?? "signal" }
                Task { await stop() }
            }
            source.resume()
            return source
        }
        await task.value
        for source in sources { source.cancel() }
        return received.withLockedValue { $0 }
    }
}
