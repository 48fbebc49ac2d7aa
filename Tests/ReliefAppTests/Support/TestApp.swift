import Foundation
import NIOConcurrencyHelpers
import ReliefCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// A clock tests can move.
final class TestClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = NIOLockedValueBox(start)
    }

    var now: Date { current.withLockedValue { $0 } }

    func advance(_ seconds: TimeInterval) {
        current.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Which database the suite runs against: `RELIEF_TEST_DATABASE=postgres` with
/// `RELIEF_TEST_POSTGRES_URL` (scripts/test starts a throwaway server), else in-memory SQLite.
enum TestDatabase {
    static var isPostgres: Bool {
        ProcessInfo.processInfo.environment["RELIEF_TEST_DATABASE"] == "postgres"
    }

    static func configuration() -> (AppConfig.Database, String?) {
        if isPostgres, let url = ProcessInfo.processInfo.environment["RELIEF_TEST_POSTGRES_URL"] {
            let schema =
                "t_"
                + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            return (.postgres(url: url), String(schema))
        }
        // A file (not :memory:) so SQLite runs in WAL mode with its busy handler, as in
        // production; in-memory shared-cache databases fail concurrent writers with LOCKED.
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("relief-test-\(UUID().uuidString).sqlite").path
        return (.sqliteFile(path: path), nil)
    }
}

/// Runs `body` with a configured, migrated application on a fresh database, then tears it
/// down (dropping the per-test PostgreSQL schema).
func withApp(
    clock: TestClock = TestClock(),
    baseURL: String = "http://localhost:8080",
    metricsToken: String? = nil,
    configuring adjust: (inout AppConfig) -> Void = { _ in },
    _ body: (Application, TestClock) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    let (database, schema) = TestDatabase.configuration()
    var config = AppConfig(
        database: database, baseURL: baseURL,
        masterKey: Array(repeating: 7, count: 32), bcryptCost: 4, postgresSchema: schema,
        metricsToken: metricsToken)
    adjust(&config)
    do {
        try await configure(app, config: config, now: { clock.now })
        try await app.autoMigrate()
        try await body(app, clock)
    } catch {
        try await teardown(app, schema: schema)
        throw error
    }
    try await teardown(app, schema: schema)
}

private func teardown(_ app: Application, schema: String?) async throws {
    if let schema, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    let config = app.relief.config
    try await app.asyncShutdown()
    if case .sqliteFile(let path) = config.database {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}

/// A seeded organization with one user per role (password ``Fixture/password``).
struct Fixture {
    static let password = "Correct-Horse-Battery-42"
    var organization: Organization
    var users: [ReliefCore.Role: User]

    var owner: User { users[.owner]! }

    static func make(_ app: Application, slug: String) async throws -> Fixture {
        let (org, owner) = try await OrganizationSetup.create(
            name: "Org \(slug)", slug: slug, timeZone: "America/New_York",
            ownerEmail: "owner@\(slug).example", ownerName: "Owner \(slug)",
            ownerPassword: password, app: app)
        var users: [ReliefCore.Role: User] = [.owner: owner]
        for role in ReliefCore.Role.allCases where role != .owner {
            users[role] = try await OrganizationSetup.addUser(
                to: org, email: "\(role.rawValue)@\(slug).example", name: "\(role.label) \(slug)",
                role: role, password: password, app: app)
        }
        return Fixture(organization: org, users: users)
    }
}
