import Fluent
import Foundation
import ReliefCore
import SQLKit
import Testing
import Vapor

@testable import ReliefApp

/// A test-only table shaped like a future feature's: a sealed SSN with its blind index and a
/// sealed bank account number.
enum SecretsTable {
    static let name = "test_client_secrets"
    static let ssn = SealedColumn(
        table: name, column: "ssn", context: "test_client_secrets.ssn",
        index: .init(column: "ssn_index", keyIDColumn: "ssn_index_key_id", kind: .ssn))
    static let bankAccount = SealedColumn(
        table: name, column: "bank_account", context: "test_client_secrets.bank_account")

    static func create(on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            CREATE TABLE test_client_secrets (
                id UUID PRIMARY KEY, ssn TEXT, ssn_index TEXT, ssn_index_key_id TEXT,
                bank_account TEXT)
            """
        ).run()
    }

    static func insert(
        id: UUID, ssn: String, bankAccount: String, cipher: FieldCipher, index: BlindIndex,
        on sql: any SQLDatabase
    ) async throws {
        let blind = index.compute(ssn, kind: .ssn)
        try await sql.insert(into: name)
            .columns("id", "ssn", "ssn_index", "ssn_index_key_id", "bank_account")
            .values(
                SQLBind(id), SQLBind(try cipher.seal(ssn, context: Self.ssn.context)),
                SQLBind(blind?.value), SQLBind(blind?.keyID),
                SQLBind(try cipher.seal(bankAccount, context: Self.bankAccount.context))
            ).run()
    }

    struct Row: Decodable {
        var id: UUID
        var ssn: String
        var ssnIndex: String?
        var ssnIndexKeyID: String?
        var bankAccount: String

        enum CodingKeys: String, CodingKey {
            case id, ssn
            case ssnIndex = "ssn_index"
            case ssnIndexKeyID = "ssn_index_key_id"
            case bankAccount = "bank_account"
        }
    }

    static func rows(on sql: any SQLDatabase) async throws -> [Row] {
        try await sql.select().column("*").from(name).orderBy("id").all(decoding: Row.self)
    }
}

@Suite("Encryption at rest")
struct EncryptionAtRestTests {
    let keyA: [UInt8] = Array(repeating: 0xA1, count: 32)
    let keyB: [UInt8] = Array(repeating: 0xB2, count: 32)

    @Test("relief keys rotate moves sealed fields, blind indexes and documents from key A to B")
    func rotation() async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("relief-rotate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ringA = KeyRing(masterKey: keyA)
        let cipherA = FieldCipher(keyRing: ringA)
        let ringOnlyB = KeyRing(masterKey: keyB)
        let cipherOnlyB = FieldCipher(keyRing: ringOnlyB)
        let onKeyBWithA: (inout AppConfig) -> Void = {
            $0.masterKey = keyB
            $0.previousMasterKeys = [keyA]
            $0.dataDirectory = folder
        }
        try await withApp(configuring: onKeyBWithA) { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            // Setup: everything written under key A, as before the operator changed the key.
            let fixture = try await Fixture.make(app, slug: "rotate")
            let users = fixture.users.values.sorted { $0.email < $1.email }
            for (number, user) in users.enumerated() {
                user.totpSecret = try cipherA.seal("SECRET\(number)", context: "users.totp_secret")
                try await user.save(on: app.db)
            }
            let onB = try #require(fixture.users[.viewer])
            onB.totpSecret = try app.relief.cipher.seal("ALREADY-B", context: "users.totp_secret")
            try await onB.save(on: app.db)

            try await SecretsTable.create(on: sql)
            let ssns = ["123-45-6789", "987-65-4321", "555-12-3456"]
            for (number, ssn) in ssns.enumerated() {
                try await SecretsTable.insert(
                    id: UUID(), ssn: ssn, bankAccount: "00012345678\(number)", cipher: cipherA,
                    index: BlindIndex(keyRing: ringA), on: sql)
            }
            let org = try fixture.organization.requireID()
            let storeA = LocalEncryptedDocumentStore(
                dataDirectory: folder, cipher: cipherA, maxBytes: 1 << 20)
            let pdfID = UUID()
            let pngID = UUID()
            _ = try await storeA.put(
                SampleFiles.pdf, declaredType: nil, organizationID: org, id: pdfID)
            _ = try await storeA.put(
                SampleFiles.png, declaredType: nil, organizationID: org, id: pngID)

            // The app on B with A as previous key still reads everything.
            let owner = try #require(try await User.find(fixture.owner.id, on: app.db))
            #expect(
                try app.relief.cipher.open(owner.totpSecret!, context: "users.totp_secret")
                    .hasPrefix("SECRET"))
            #expect(
                try await app.relief.documents.get(organizationID: org, id: pdfID).1
                    == SampleFiles.pdf)
            let lookups = app.relief.blindIndex.lookupValues(for: "123456789", kind: .ssn).map(
                \.value)
            let found = try await sql.select().column("id").from(SecretsTable.name)
                .where("ssn_index", .in, lookups).all()
            #expect(found.count == 1)

            // Act: rotate in batches of two.
            let columns = SealedColumns.all + [SecretsTable.ssn, SecretsTable.bankAccount]
            let report = try await KeysRotateCommand.rotate(app, columns: columns, batchSize: 2)
            #expect(report.failures.isEmpty)
            #expect(report.remaining == 0)
            #expect(
                report.lines.contains(
                    "users.totp_secret: \(users.count - 1) re-encrypted, 1 already current, "
                        + "0 changed meanwhile, 0 failed, 0 left on other keys"))
            #expect(
                report.lines.contains(
                    "test_client_secrets.ssn: 3 re-encrypted, 0 already current, 0 changed meanwhile, "
                        + "0 failed, 0 left on other keys"))
            #expect(
                report.lines.contains(
                    "documents: 2 re-encrypted, 0 already current, 0 failed"))
            #expect(report.lines.last?.hasPrefix("done:") == true)

            // Idempotent: a second run finds nothing to do.
            let again = try await KeysRotateCommand.rotate(app, columns: columns, batchSize: 2)
            #expect(
                again.lines.contains(
                    "users.totp_secret: 0 re-encrypted, \(users.count) already current, "
                        + "0 changed meanwhile, 0 failed, 0 left on other keys"))
            #expect(again.lines.contains("documents: 0 re-encrypted, 2 already current, 0 failed"))

            // Check: key A is no longer needed.
            for user in try await User.query(on: app.db).all() {
                let secret = try cipherOnlyB.open(user.totpSecret!, context: "users.totp_secret")
                #expect(secret.hasPrefix("SECRET") || secret == "ALREADY-B")
            }
            let rows = try await SecretsTable.rows(on: sql)
            let indexB = BlindIndex(keyRing: ringOnlyB)
            #expect(
                Set(
                    try rows.map { try cipherOnlyB.open($0.ssn, context: SecretsTable.ssn.context) }
                ) == Set(ssns))
            for row in rows {
                let ssn = try cipherOnlyB.open(row.ssn, context: SecretsTable.ssn.context)
                #expect(row.ssnIndex == indexB.compute(ssn, kind: .ssn)?.value)
                #expect(row.ssnIndexKeyID == ringOnlyB.keyID)
                #expect(
                    try cipherOnlyB.open(row.bankAccount, context: SecretsTable.bankAccount.context)
                        .hasPrefix("00012345678"))
            }
            let storeB = LocalEncryptedDocumentStore(
                dataDirectory: folder, cipher: cipherOnlyB, maxBytes: 1 << 20)
            let (pdf, pdfBytes) = try await storeB.get(organizationID: org, id: pdfID)
            #expect(pdfBytes == SampleFiles.pdf)
            #expect(pdf.keyID == ringOnlyB.keyID)
            #expect(pdf.contentType == "application/pdf")
            #expect(try await storeB.get(organizationID: org, id: pngID).1 == SampleFiles.png)
            await #expect(throws: FieldCipher.Failure.self) {
                _ = try await storeA.get(organizationID: org, id: pdfID)
            }
        }
    }

    @Test("a value under a key that is in no configuration is reported, not skipped silently")
    func unknownKeyDuringRotation() async throws {
        let onKeyB: (inout AppConfig) -> Void = { $0.masterKey = keyB }
        try await withApp(configuring: onKeyB) { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            try await SecretsTable.create(on: sql)
            let id = UUID()
            try await SecretsTable.insert(
                id: id, ssn: "123-45-6789", bankAccount: "000123456789",
                cipher: FieldCipher(keyRing: KeyRing(masterKey: keyA)),
                index: app.relief.blindIndex, on: sql)
            let report = try await KeysRotateCommand.rotate(
                app, columns: [SecretsTable.ssn], batchSize: 10)
            #expect(report.failures.count == 1)
            #expect(report.failures.first?.contains(id.uuidString.lowercased()) == true)
            #expect(report.failures.first?.contains(KeyRing.keyID(of: keyA)) == true)
            #expect(report.lines.last?.hasPrefix("not finished") == true)
        }
    }

    @Test("SSNs and bank account numbers never reach the database file in the clear")
    func noPlaintextInStorage() async throws {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("relief-leak-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: file + suffix)
            }
        }
        let onFile: (inout AppConfig) -> Void = {
            if case .sqliteFile = $0.database { $0.database = .sqliteFile(path: file) }
        }
        try await withApp(configuring: onFile) { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            try await SecretsTable.create(on: sql)
            try await SecretsTable.insert(
                id: UUID(), ssn: "123-45-6789", bankAccount: "000123456789",
                cipher: app.relief.cipher, index: app.relief.blindIndex, on: sql)
            let owner = try await Fixture.make(app, slug: "leak").owner
            owner.totpSecret = try app.relief.cipher.seal(
                "123-45-6789", context: "users.totp_secret")
            try await owner.save(on: app.db)

            let stored: Data
            if TestDatabase.isPostgres {
                let raw = try await sql.raw(
                    "SELECT CAST(row_to_json(t) AS TEXT) AS raw FROM test_client_secrets t"
                ).all().map { try $0.decode(column: "raw", as: String.self) }
                let users = try await sql.raw(
                    "SELECT CAST(row_to_json(u) AS TEXT) AS raw FROM users u"
                ).all().map { try $0.decode(column: "raw", as: String.self) }
                stored = Data((raw + users).joined(separator: "\n").utf8)
            } else {
                stored = ["", "-wal", "-shm"].reduce(into: Data()) { bytes, suffix in
                    bytes.append(FileManager.default.contents(atPath: file + suffix) ?? Data())
                }
            }
            // The rows are really there, sealed.
            let row = try #require(try await SecretsTable.rows(on: sql).first)
            #expect(stored.range(of: Data(row.ssn.utf8)) != nil)
            #expect(stored.range(of: Data(row.bankAccount.utf8)) != nil)
            for secret in ["123-45-6789", "123456789", "000123456789"] {
                #expect(
                    stored.range(of: Data(secret.utf8)) == nil, "\(secret) is stored in the clear")
            }
        }
    }
}
