import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import Leaf
import ReliefCore
import SQLKit
import Vapor

/// Database connections each event loop may open.
let databasePoolPerEventLoop = (postgres: 8, sqlite: 1)

/// A fatal start-up problem, stated as one line that says what to fix.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Builds the application from a configuration: services, database, migrations, views,
/// middleware and routes. Tests call it with their own ``AppConfig`` and clock.
public func configure(
    _ app: Application, config: AppConfig, now: @escaping @Sendable () -> Date = { Date() },
    checkDatabase shouldCheckDatabase: Bool = true
) async throws {
    ReliefMetrics.bootstrap()
    let keys = KeyRing(masterKey: config.masterKey, previousMasterKeys: config.previousMasterKeys)
    let cipher = FieldCipher(keyRing: keys)
    let signer = JWTKeyCollection()
    await signer.add(
        hmac: HMACKey(key: keys.key(for: "jwt-access-token")), digestAlgorithm: .sha256)
    let locks = KeyedAsyncLock()
    let dataDirectory = app.directory.resourcesDirectory + "Data/"
    let geo = try GeoData.load(from: dataDirectory)
    app.relief = ReliefServices(
        config: config, keys: keys, cipher: cipher, blindIndex: BlindIndex(keyRing: keys),
        documents: LocalEncryptedDocumentStore(
            dataDirectory: config.dataDirectory, cipher: cipher,
            maxBytes: config.maxDocumentBytes),
        audit: AuditLog(
            locks: locks, now: now,
            onRecord: { [weak app] event in await app?.live.publishAudit(event) }),
        locks: locks,
        geo: geo, compliance: try ComplianceRuntime.load(from: dataDirectory, geo: geo),
        tokenSigner: signer, now: now,
        makeMailer: { database, logger in OutboxMailer(database: database, logger: logger) })

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    try useDatabase(app, config.database, schema: config.postgresSchema)
    app.migrations.add(Changelog.all)

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = config.isProduction

    app.middleware = Middlewares()
    app.middleware.use(ReliefErrorMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(StaticFilesMiddleware(publicDirectory: app.directory.publicDirectory))
    app.routes.defaultMaxBodySize = "1mb"

    _ = app.engagement  // created before any request can race to create it
    try routes(app)
    registerJobs(app)
    registerCommands(app)
    if shouldCheckDatabase { try await checkDatabase(app, config.database) }
    if let schema = config.postgresSchema, let sql = app.db as? any SQLDatabase {
        try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }
}

private func useDatabase(_ app: Application, _ database: AppConfig.Database, schema: String?) throws
{
    switch database {
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
    case .sqliteFile(let path):
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        app.databases.use(
            .sqlite(
                .file(path), maxConnectionsPerEventLoop: databasePoolPerEventLoop.sqlite,
                sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url):
        var configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw StartupError(
                description: "DATABASE_URL \(database.redacted) is not a usable PostgreSQL URL: "
                    + "\(error). Use postgres://user:password@host:5432/database.")
        }
        configuration.searchPath = [schema ?? "public"]
        app.databases.use(
            .postgres(
                configuration: configuration,
                maxConnectionsPerEventLoop: databasePoolPerEventLoop.postgres, sqlLogLevel: .trace),
            as: .psql)
    }
}

/// Fails start-up with one clear line when the database cannot be reached.
private func checkDatabase(_ app: Application, _ database: AppConfig.Database) async throws {
    guard let sql = app.db as? any SQLDatabase else { return }
    do {
        try await sql.raw("SELECT 1").run()
        if case .sqliteFile = database {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
    } catch {
        throw StartupError(
            description:
                "Cannot reach the database at \(database.redacted): \(String(describing: error)). "
                + "Check DATABASE_URL and that the server is running.")
    }
}
