import Crypto
import Foundation

/// Every key the application uses, derived with HKDF-SHA-256 and a purpose label from a master
/// key, so the master keys are all an operator keeps.
///
/// The ring holds the current master key (`RELIEF_MASTER_KEY`), which seals every new value and
/// signs every new token, and any previous master keys (`RELIEF_PREVIOUS_MASTER_KEYS`), which
/// only open values sealed before a rotation. `relief keys rotate` re-seals those values under the
/// current key; after it reports nothing left, the previous keys can be dropped.
struct KeyRing: Sendable {
    private let current: SymmetricKey
    private let previous: [String: SymmetricKey]
    /// The short public identifier of the current master key, stored beside every ciphertext
    /// so a rotation knows which key sealed a value.
    let keyID: String
    /// The identifiers of the previous master keys, oldest last as configured.
    let previousKeyIDs: [String]

    init(masterKey: [UInt8], previousMasterKeys: [[UInt8]] = []) {
        current = SymmetricKey(data: masterKey)
        keyID = Self.keyID(of: masterKey)
        var previous: [String: SymmetricKey] = [:]
        var ids: [String] = []
        for key in previousMasterKeys {
            let id = Self.keyID(of: key)
            guard id != keyID, previous[id] == nil else { continue }
            previous[id] = SymmetricKey(data: key)
            ids.append(id)
        }
        self.previous = previous
        previousKeyIDs = ids
    }

    /// The key id of a master key: the first four bytes of SHA-256(key | "relief.key-id"), hex.
    static func keyID(of masterKey: [UInt8]) -> String {
        let digest = SHA256.hash(data: Data(masterKey) + Data("relief.key-id".utf8))
        return digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// Every key id this ring can open, current first.
    var knownKeyIDs: [String] { [keyID] + previousKeyIDs }

    /// The current 256-bit key for one purpose (e.g. `field-encryption`, `jwt`, `csrf`).
    func key(for purpose: String) -> SymmetricKey {
        Self.derive(from: current, purpose: purpose)
    }

    /// The key for `purpose` under the master key with id `keyID`, current or previous; nil
    /// when the ring does not hold that master key.
    func key(for purpose: String, keyID id: String) -> SymmetricKey? {
        if id == keyID { return key(for: purpose) }
        return previous[id].map { Self.derive(from: $0, purpose: purpose) }
    }

    private static func derive(from master: SymmetricKey, purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, salt: Data("reliefcrm".utf8),
            info: Data(purpose.utf8), outputByteCount: 32)
    }
}

/// AES-256-GCM encryption of single field values (TOTP secrets now; SSN, bank data and the
/// data keys of documents). A sealed value reads `v1.<key id>.<base64url(nonce | ciphertext |
/// tag)>`; new values use the current key, values under a previous key of the ring still open.
struct FieldCipher: Sendable {
    /// Why a sealed value did not open, with the column (context) and, when the caller named
    /// it, the record, so an operator can find the row. Never carries the value itself.
    struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        enum Reason: Equatable, Sendable {
            case malformed
            case unknownKey(String)
            case authenticationFailed
        }

        let reason: Reason
        let context: String
        let record: String?

        var description: String {
            let place = "\(context)" + (record.map { " of record \($0)" } ?? "")
            switch reason {
            case .malformed:
                return "cannot open \(place): the sealed value is malformed"
            case .unknownKey(let id):
                return "cannot open \(place): it is sealed with key id \(id), which is neither "
                    + "RELIEF_MASTER_KEY nor one of RELIEF_PREVIOUS_MASTER_KEYS"
            case .authenticationFailed:
                return "cannot open \(place): the sealed value failed authentication "
                    + "(tampered, or moved from another column)"
            }
        }
    }

    static let purpose = "field-encryption"

    private let keyRing: KeyRing
    private let key: SymmetricKey

    init(keyRing: KeyRing) {
        self.keyRing = keyRing
        key = keyRing.key(for: Self.purpose)
    }

    /// The id of the key that seals new values.
    var currentKeyID: String { keyRing.keyID }

    /// Seals `plaintext` with a random nonce; `context` (e.g. "users.totp_secret") is bound as
    /// associated data so a value cannot be moved to another column.
    func seal(_ plaintext: String, context: String) throws -> String {
        try sealData(Data(plaintext.utf8), context: context)
    }

    /// Seals bytes like ``seal(_:context:)``.
    func sealData(_ plaintext: Data, context: String) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else {
            throw Failure(reason: .malformed, context: context, record: nil)
        }
        return "v1.\(keyRing.keyID).\(Base64URL.encode(combined))"
    }

    /// Opens a value sealed by ``seal(_:context:)`` under any key of the ring. `record` (a row
    /// id, a file name) only names the value in the error.
    func open(_ sealed: String, context: String, record: String? = nil) throws -> String {
        let plain = try openData(sealed, context: context, record: record)
        guard let text = String(data: plain, encoding: .utf8) else {
            throw Failure(reason: .malformed, context: context, record: record)
        }
        return text
    }

    /// Opens a value sealed by ``sealData(_:context:)``.
    func openData(_ sealed: String, context: String, record: String? = nil) throws -> Data {
        func fail(_ reason: Failure.Reason) -> Failure {
            Failure(reason: reason, context: context, record: record)
        }
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let data = Base64URL.decode(String(parts[2]))
        else { throw fail(.malformed) }
        let id = String(parts[1])
        guard let key = keyRing.key(for: Self.purpose, keyID: id) else {
            throw fail(.unknownKey(id))
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        } catch {
            throw fail(.authenticationFailed)
        }
    }

    /// The key id a sealed value names, without opening it; nil when it is not a sealed value.
    static func keyID(of sealed: String) -> String? {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1" else { return nil }
        return String(parts[1])
    }

    /// The value re-sealed under the current key, or nil when it already is (rotation).
    func reseal(_ sealed: String, context: String, record: String? = nil) throws -> String? {
        if Self.keyID(of: sealed) == keyRing.keyID { return nil }
        return try sealData(openData(sealed, context: context, record: record), context: context)
    }
}

/// Random tokens and their stored digests. Tokens are shown once; the database keeps only
/// SHA-256 digests, so a database leak does not leak live sessions, keys or reset links.
enum SecureToken {
    /// `byteCount` random bytes as base64url.
    static func generate(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Base64URL.encode(Data(bytes))
    }

    /// Hex SHA-256 of a token, the form stored and looked up.
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Constant-time comparison of two strings.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

/// URL-safe base64 without padding (RFC 4648 section 5).
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ string: String) -> Data? {
        var base64 = string.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
