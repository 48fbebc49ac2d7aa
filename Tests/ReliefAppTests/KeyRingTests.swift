import Foundation
import Testing

@testable import ReliefApp

@Suite("Key ring and field cipher")
struct KeyRingTests {
    let keyA: [UInt8] = Array(repeating: 0xA1, count: 32)
    let keyB: [UInt8] = Array(repeating: 0xB2, count: 32)

    @Test("new values use the current key; values under a previous key still open")
    func previousKeysOpen() throws {
        let underA = try FieldCipher(keyRing: KeyRing(masterKey: keyA))
            .seal("JBSWY3DPEHPK3PXP", context: "users.totp_secret")
        let ring = KeyRing(masterKey: keyB, previousMasterKeys: [keyA])
        let cipher = FieldCipher(keyRing: ring)
        #expect(ring.knownKeyIDs == [KeyRing.keyID(of: keyB), KeyRing.keyID(of: keyA)])
        #expect(FieldCipher.keyID(of: underA) == KeyRing.keyID(of: keyA))
        #expect(try cipher.open(underA, context: "users.totp_secret") == "JBSWY3DPEHPK3PXP")
        let underB = try cipher.seal("JBSWY3DPEHPK3PXP", context: "users.totp_secret")
        #expect(FieldCipher.keyID(of: underB) == ring.keyID)
        #expect(underB.hasPrefix("v1.\(KeyRing.keyID(of: keyB))."))
        let resealed = try #require(try cipher.reseal(underA, context: "users.totp_secret"))
        #expect(FieldCipher.keyID(of: resealed) == ring.keyID)
        #expect(try cipher.reseal(resealed, context: "users.totp_secret") == nil)
        let onlyB = FieldCipher(keyRing: KeyRing(masterKey: keyB))
        #expect(try onlyB.open(resealed, context: "users.totp_secret") == "JBSWY3DPEHPK3PXP")
    }

    @Test("a previous key equal to the current one is ignored; the key id is stable")
    func duplicates() {
        let ring = KeyRing(masterKey: keyA, previousMasterKeys: [keyA, keyB, keyB])
        #expect(ring.previousKeyIDs == [KeyRing.keyID(of: keyB)])
        #expect(KeyRing(masterKey: keyA).keyID == KeyRing.keyID(of: keyA))
        #expect(KeyRing.keyID(of: keyA).count == 8)
    }

    @Test("an unknown key id is named, with the column and record; never garbage")
    func unknownKey() throws {
        let sealed = try FieldCipher(keyRing: KeyRing(masterKey: keyA))
            .seal("secret", context: "users.totp_secret")
        let cipher = FieldCipher(keyRing: KeyRing(masterKey: keyB))
        let idA = KeyRing.keyID(of: keyA)
        let error = #expect(throws: FieldCipher.Failure.self) {
            try cipher.open(sealed, context: "users.totp_secret", record: "user-42")
        }
        #expect(error?.reason == .unknownKey(idA))
        #expect(error?.record == "user-42")
        #expect(error?.description.contains(idA) == true)
        #expect(error?.description.contains("users.totp_secret of record user-42") == true)
    }

    @Test("a value whose key id was swapped to a known key fails authentication")
    func swappedKeyID() throws {
        let ring = KeyRing(masterKey: keyB, previousMasterKeys: [keyA])
        let cipher = FieldCipher(keyRing: ring)
        let underA = try FieldCipher(keyRing: KeyRing(masterKey: keyA)).seal("x", context: "c")
        let relabeled = underA.replacingOccurrences(
            of: "v1.\(KeyRing.keyID(of: keyA)).", with: "v1.\(ring.keyID).")
        let error = #expect(throws: FieldCipher.Failure.self) {
            try cipher.open(relabeled, context: "c", record: "r1")
        }
        #expect(error?.reason == .authenticationFailed)
        let malformed = #expect(throws: FieldCipher.Failure.self) {
            try cipher.open("v2.abc.def", context: "c")
        }
        #expect(malformed?.reason == .malformed)
        for length in [0, 5, 27, 28] {
            let short = "v1.\(ring.keyID).\(Base64URL.encode(Data(repeating: 1, count: length)))"
            #expect(throws: FieldCipher.Failure.self) { try cipher.open(short, context: "c") }
        }
    }

    @Test("RELIEF_PREVIOUS_MASTER_KEYS is parsed, validated and masked")
    func configuration() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            UUID().uuidString
        ).path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let current = Data(keyB).base64EncodedString()
        let old = Data(keyA).base64EncodedString()
        let config = try AppConfig.load(
            environment: [
                "RELIEF_MASTER_KEY": current, "RELIEF_PREVIOUS_MASTER_KEYS": " \(old) ,",
                "RELIEF_MAX_DOCUMENT_MB": "5",
            ],
            isProduction: true, workingDirectory: folder)
        #expect(config.previousMasterKeys == [keyA])
        #expect(config.maxDocumentBytes == 5 * 1024 * 1024)
        let printed = config.describedSettings.map { "\($0.name) \($0.value)" }.joined(
            separator: "\n")
        #expect(!printed.contains(old))
        #expect(!printed.contains(current))
        #expect(printed.contains("RELIEF_PREVIOUS_MASTER_KEYS 1 set, ****"))
        #expect(printed.contains(KeyRing.keyID(of: keyA)))
        let error = #expect(throws: ConfigError.self) {
            try AppConfig.load(
                environment: [
                    "RELIEF_MASTER_KEY": current, "RELIEF_PREVIOUS_MASTER_KEYS": "\(old),c2hvcnQ=",
                ],
                isProduction: true, workingDirectory: folder)
        }
        #expect(error?.description.contains("entry 2") == true)
        #expect(error?.description.contains("c2hvcnQ=") == false)
        #expect(
            try AppConfig.load(
                environment: ["RELIEF_MASTER_KEY": current], isProduction: true,
                workingDirectory: folder
            ).maxDocumentBytes == 25 * 1024 * 1024)
    }
}
