import Foundation
import Testing

/// Runs the built `relief` executable as an operator would and checks what it prints and its
/// exit status.
@Suite("relief commands")
struct CommandLineTests {
    struct Run {
        var status: Int32
        var output: String
    }

    /// The `relief` binary next to the test bundle (`.build/debug/relief`).
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("relief")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(
            fileURLWithPath: FileManager.default.currentDirectoryPath + "/.build/debug/relief")
    }

    /// A scratch folder with its own database and key file.
    final class Workspace {
        let folder: URL

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "relief-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        var databasePath: String { folder.appendingPathComponent("relief.sqlite").path }

        func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Run {
            let process = Process()
            process.executableURL = CommandLineTests.binary
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = "sqlite://\(databasePath)"
            environment["RELIEF_DATA_DIR"] = folder.appendingPathComponent("data").path
            environment["RELIEF_MASTER_KEY"] = nil
            for (key, value) in extra { environment[key] = value }
            process.environment = environment
            process.currentDirectoryURL = URL(
                fileURLWithPath: FileManager.default.currentDirectoryPath)
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Run(
                status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
        }

        /// Runs SQL on the workspace database with Python's sqlite3 module.
        func sql(_ statement: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()",
                databasePath, statement,
            ]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "SQL failed: \(statement)")
        }
    }

    @Test("create-org, create-user and audit verify; verify fails after a row is edited")
    func organizationAndAudit() throws {
        let workspace = try Workspace()
        #expect(try workspace.run(["migrate", "--yes"]).status == 0)
        let created = try workspace.run([
            "create-org", "--name", "Harbor Debt Help", "--admin-email", "boss@harbor.example",
            "--admin-password", "Tidal-Compass-Orchard-7",
        ])
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains("slug: harbor-debt-help"))
        #expect(
            created.output.range(
                of: #"organization id: [0-9A-F-]{36}"#, options: .regularExpression) != nil)
        let weak = try workspace.run([
            "create-user", "--org", "harbor-debt-help", "--email", "a@harbor.example", "--password",
            "password123",
        ])
        #expect(weak.status != 0)
        #expect(weak.output.contains("not accepted"))
        let agent = try workspace.run([
            "create-user", "--org", "harbor-debt-help", "--email", "agent@harbor.example", "--name",
            "Ana", "--role", "agent", "--password", "Granite-Meadow-Lamp-31",
        ])
        #expect(agent.status == 0, "\(agent.output)")

        let verified = try workspace.run(["audit", "verify"])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("audit trail intact: 3 rows verified"))

        try workspace.sql("UPDATE audit_events SET actor_label = 'mallory' WHERE sequence = 2")
        let broken = try workspace.run(["audit", "verify"])
        #expect(broken.status != 0)
        #expect(broken.output.contains("harbor-debt-help is broken at row 2"), "\(broken.output)")
    }

    @Test("demo seeds once and prints the sign-in")
    func demo() throws {
        let workspace = try Workspace()
        let first = try workspace.run(["demo"])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("owner@summit-demo.example"))
        let second = try workspace.run(["demo"])
        #expect(second.output.contains("Demo organization ready"))
        #expect(try workspace.run(["audit", "verify"]).status == 0)
    }

    @Test("config masks secrets")
    func config() throws {
        let workspace = try Workspace()
        let key = Data(repeating: 9, count: 32).base64EncodedString()
        let run = try workspace.run(
            ["config"],
            environment: [
                "RELIEF_MASTER_KEY": key,
                "DATABASE_URL": "postgres://relief:hunter2@db.internal:5432/relief",
            ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("postgres://relief:****@db.internal:5432/relief"))
        #expect(!run.output.contains("hunter2"))
        #expect(!run.output.contains(key))
    }

    @Test("relief worker runs until SIGTERM and then stops cleanly")
    func workerStopsOnSignal() async throws {
        let workspace = try Workspace()
        #expect(try workspace.run(["migrate", "--yes"]).status == 0)
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["worker", "--workers", "2"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = "sqlite://\(workspace.databasePath)"
        environment["RELIEF_DATA_DIR"] = workspace.folder.appendingPathComponent("data").path
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(process.isRunning)
        process.terminate()
        process.waitUntilExit()
        let output = String(
            decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("running 2 job worker(s) for: maintenance.prune"))
        #expect(output.contains("stopped on SIGTERM"))
    }

    @Test("bad configuration stops start-up with one clear line")
    func badConfiguration() throws {
        let workspace = try Workspace()
        let badURL = try workspace.run(
            ["migrate", "--yes"], environment: ["DATABASE_URL": "mysql://x"])
        #expect(badURL.status == 1)
        #expect(badURL.output.contains("DATABASE_URL 'mysql://x' is not understood"))
        let production = try workspace.run(["migrate", "--yes", "--env", "production"])
        #expect(production.status == 1)
        #expect(production.output.contains("RELIEF_MASTER_KEY is not set"))
        let unreachable = try workspace.run(
            ["migrate", "--yes"],
            environment: ["DATABASE_URL": "postgres://relief@127.0.0.1:1/relief"])
        #expect(unreachable.status == 1)
        #expect(
            unreachable.output.contains(
                "Cannot reach the database at postgres://relief@127.0.0.1:1/relief"))
    }
}
