import Crypto
import Foundation

/// Every key the application uses, derived from the master key with HKDF-SHA-256 and a
/// purpose label, so one secret (`RELIEF_MASTER_KEY`) is all an operator keeps.
struct KeyRing: Sendable {
    private let master: SymmetricKey
    /// A short public identifier of the master key, stored beside every ciphertext so a later
    /// key rotation knows which key sealed a value.
    let keyID: String

    init(masterKey: [UInt8]) {
        master = SymmetricKey(data: masterKey)
        let digest = SHA256.hash(data: Data(masterKey) + Data("relief.key-id".utf8))
        keyID = digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// A 256-bit key for one purpose (e.g. `field-encryption`, `jwt`, `csrf`).
    func key(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: master, salt: Data("reliefcrm".utf8),
            info: Data(purpose.utf8), outputByteCount: 32)
    }
}

/// AES-256-GCM encryption of single field values (TOTP secrets now; SSN, bank data and
/// documents later). A sealed value reads `v1.<key id>.<base64url(nonce | ciphertext | tag)>`.
struct FieldCipher: Sendable {
    enum Failure: Error, CustomStringConvertible {
        case malformed
        case unknownKey(String)
        case authenticationFailed

        var description: String {
            switch self {
            case .malformed: "sealed value is malformed"
            case .unknownKey(let id): "sealed with unknown key id \(id)"
            case .authenticationFailed: "sealed value failed authentication"
            }
        }
    }

    private let key: SymmetricKey
    private let keyID: String

    init(keyRing: KeyRing) {
        key = keyRing.key(for: "field-encryption")
        keyID = keyRing.keyID
    }

    /// Seals `plaintext` with a random nonce; `context` (e.g. "users.totp_secret") is bound as
    /// associated data so a value cannot be moved to another column.
    func seal(_ plaintext: String, context: String) throws -> String {
        let box = try AES.GCM.seal(
            Data(plaintext.utf8), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw Failure.malformed }
        return "v1.\(keyID).\(Base64URL.encode(combined))"
    }

    /// Opens a value sealed by ``seal(_:context:)``.
    func open(_ sealed: String, context: String) throws -> String {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let data = Base64URL.decode(String(parts[2]))
        else { throw Failure.malformed }
        guard parts[1] == keyID else { throw Failure.unknownKey(String(parts[1])) }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw Failure.authenticationFailed
        }
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
