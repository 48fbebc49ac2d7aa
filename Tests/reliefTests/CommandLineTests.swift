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
        #expect(output.contains("running 2 job worker(s) for: "))
        #expect(output.contains("maintenance.prune"))
        #expect(output.contains("stopped on SIGTERM"))
    }

    @Test("import leads reads a file, prints the summary and writes the rejected rows")
    func importLeads() throws {
        let workspace = try Workspace()
        #expect(try workspace.run(["demo"]).status == 0)
        let file = workspace.folder.appendingPathComponent("leads.csv")
        let csv =
            "First Name,Last Name,Email,Phone,Address,City,State,Zip,Total Unsecured Debt,Monthly Income,Source,Notes\n"
            + "Nia,Cruz,nia@example.com,(512) 555-0171,1 Oak St,Austin,TX,78701,\"$9,500\",\"3,000\",Radio,\n"
            + "Omar,Ali,omar@example.com,512.555.0172,,,,78701,12000,,,\n"
            + "Pat,Lin,pat@example.com,555-12,,,,78701,100,,,\n"
            + "Nia,Cruz,,+1 512 555 0171,,,,,,,,\n"
        try Data(csv.utf8).write(to: file)
        let run = try workspace.run([
            "import", "leads", file.path, "--org", "summit-demo", "--duplicates", "skip",
        ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("rows                 4"))
        #expect(run.output.contains("created              2"))
        #expect(run.output.contains("skipped duplicates   1"))
        #expect(run.output.contains("rejected             1"))
        let rejected = try String(contentsOfFile: file.path + ".rejected.csv", encoding: .utf8)
        #expect(rejected.contains("4,"))
        #expect(rejected.contains("phone:"))
        let missing = try workspace.run(["import", "leads", file.path, "--org", "nobody"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("--org"))
    }

    @Test("an upload declaring more than RELIEF_MAX_IMPORT_MB is refused before its body is read")
    func oversizedUploadRefusedEarly() async throws {
        let workspace = try Workspace()
        #expect(try workspace.run(["demo"]).status == 0)
        let port = Int.random(in: 20_000...40_000)
        let server = Process()
        server.executableURL = CommandLineTests.binary
        server.arguments = ["serve", "--port", String(port), "--no-worker", "--no-migrate"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = "sqlite://\(workspace.databasePath)"
        environment["RELIEF_DATA_DIR"] = workspace.folder.appendingPathComponent("data").path
        environment["RELIEF_MAX_IMPORT_MB"] = "1"
        server.environment = environment
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // A raw HTTP client: sign in, then declare a 2 GB body and send only its first line.
        let script = #"""
            import json, socket, sys, time
            port = int(sys.argv[1])
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close(); break
                except OSError:
                    time.sleep(0.1)
            def request(raw):
                s = socket.create_connection(("127.0.0.1", port), 10)
                s.sendall(raw)
                data = b""
                s.settimeout(10)
                while b"\r\n\r\n" not in data:
                    chunk = s.recv(65536)
                    if not chunk: break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                while len(body) < length:
                    chunk = s.recv(65536)
                    if not chunk: break
                    body += chunk
                s.close()
                return head.split(b"\r\n")[0].decode(), body.decode()
            login = json.dumps({"email": "owner@summit-demo.example", "password": "ReliefDemo!2026"}).encode()
            status, body = request(b"POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + str(len(login)).encode() + b"\r\n\r\n" + login)
            token = json.loads(body)["access_token"]
            started = time.time()
            status, body = request(("POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\nContent-Type: text/csv\r\nContent-Length: 2147483648\r\n\r\n").encode() + b"First Name,Last Name\n")
            print(status)
            print(body)
            print("seconds %.2f" % (time.time() - started))
            """#
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = ["python3", "-c", script, String(port)]
        let pipe = Pipe()
        client.standardOutput = pipe
        client.standardError = pipe
        try client.run()
        let output = String(
            decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        client.waitUntilExit()
        #expect(output.contains("413"), "\(output)")
        #expect(output.contains("RELIEF_MAX_IMPORT_MB"), "\(output)")
        let seconds =
            output.split(separator: "\n").last { $0.hasPrefix("seconds ") }
            .flatMap { Double($0.dropFirst("seconds ".count)) } ?? 99
        #expect(seconds < 5, "the refusal took \(seconds) s")
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
