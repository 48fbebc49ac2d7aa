import Foundation
import Testing

@testable import ReliefApp

@Suite("Configuration")
struct ConfigTests {
    @Test("DATABASE_URL forms")
    func databaseURLs() throws {
        #expect(
            try AppConfig.parseDatabaseURL(nil, workingDirectory: "/srv")
                == .sqliteFile(path: "/srv/relief.sqlite"))
        #expect(
            try AppConfig.parseDatabaseURL("sqlite:///data/x.sqlite", workingDirectory: "/srv")
                == .sqliteFile(path: "/data/x.sqlite"))
        #expect(
            try AppConfig.parseDatabaseURL("postgres://u:p@db:5432/relief", workingDirectory: "/")
                == .postgres(url: "postgres://u:p@db:5432/relief"))
        #expect(throws: ConfigError.self) {
            try AppConfig.parseDatabaseURL("mysql://x", workingDirectory: "/")
        }
        #expect(throws: ConfigError.self) {
            try AppConfig.parseDatabaseURL("postgres://host-only", workingDirectory: "/")
        }
        #expect(
            AppConfig.Database.postgres(url: "postgres://relief:hunter2@db/x").redacted
                == "postgres://relief:****@db/x")
    }

    @Test("production needs a master key; development makes one")
    func masterKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            UUID().uuidString
        ).path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(environment: [:], isProduction: true, workingDirectory: folder)
        }
        #expect(throws: ConfigError.self) {
            try AppConfig.load(
                environment: ["RELIEF_MASTER_KEY": "short"], isProduction: true,
                workingDirectory: folder)
        }
        let key = Data(repeating: 1, count: 32).base64EncodedString()
        let production = try AppConfig.load(
            environment: ["RELIEF_MASTER_KEY": key], isProduction: true, workingDirectory: folder)
        #expect(production.logFormat == "json")
        #expect(!production.describedSettings.map(\.value).joined().contains(key))
        let first = try AppConfig.load(
            environment: [:], isProduction: false, workingDirectory: folder)
        let second = try AppConfig.load(
            environment: [:], isProduction: false, workingDirectory: folder)
        #expect(first.masterKey == second.masterKey)
        #expect(first.masterKeySource == .developmentFile)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: folder + "/.relief/master.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: ConfigError.self) {
            try AppConfig.load(
                environment: ["RELIEF_BASE_URL": "ftp://x"], isProduction: false,
                workingDirectory: folder)
        }
        #expect(first.trackingEventsPerAddressPerMinute == 600)
        for bad in ["-1", "many"] {
            #expect(throws: ConfigError.self) {
                try AppConfig.load(
                    environment: ["RELIEF_TRACKING_IP_LIMIT": bad], isProduction: false,
                    workingDirectory: folder)
            }
        }
        let unlimited = try AppConfig.load(
            environment: ["RELIEF_TRACKING_IP_LIMIT": "0"], isProduction: false,
            workingDirectory: folder)
        #expect(unlimited.trackingEventsPerAddressPerMinute == 0)
    }

    @Test("field encryption round-trips, binds its context and detects tampering")
    func fieldCipher() throws {
        let cipher = FieldCipher(keyRing: KeyRing(masterKey: Array(repeating: 3, count: 32)))
        let sealed = try cipher.seal("123-45-6789", context: "leads.ssn")
        #expect(!sealed.contains("6789"))
        #expect(try cipher.open(sealed, context: "leads.ssn") == "123-45-6789")
        #expect(try cipher.seal("123-45-6789", context: "leads.ssn") != sealed)
        #expect(throws: FieldCipher.Failure.self) { try cipher.open(sealed, context: "leads.dob") }
        var tampered = Array(sealed)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        #expect(throws: FieldCipher.Failure.self) {
            try cipher.open(String(tampered), context: "leads.ssn")
        }
        let other = FieldCipher(keyRing: KeyRing(masterKey: Array(repeating: 4, count: 32)))
        #expect(throws: FieldCipher.Failure.self) { try other.open(sealed, context: "leads.ssn") }
    }
}
