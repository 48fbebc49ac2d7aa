import Crypto
import Foundation
import ReliefCore

/// A keyed blind index: HMAC-SHA-256 of a normalized identifier (SSN, last four, phone,
/// e-mail) under a key derived for purpose `blind-index`, so an encrypted column can be
/// searched by equality without storing the value or an unkeyed (brute-forceable) hash.
///
/// An index value is only comparable with values computed under the same master key, so it is
/// stored with the key id beside it (e.g. `ssn_index` and `ssn_index_key_id`). `relief keys
/// rotate` recomputes the indexes of every registered column from the opened value; until it
/// has, look up with ``lookupValues(for:kind:)``, which computes the index under every key of
/// the ring.
struct BlindIndex: Sendable {
    /// How the digest is written.
    enum Encoding: Sendable {
        /// Lower-case hex (64 characters for 32 bytes).
        case hex
        /// base64url without padding (43 characters for 32 bytes).
        case base64URL
    }

    /// One computed index and the id of the master key it was computed under.
    struct Value: Equatable, Sendable {
        let keyID: String
        let value: String
    }

    static let purpose = "blind-index"

    private let keyRing: KeyRing
    let encoding: Encoding
    /// Digest bytes kept (at most 32, the HMAC-SHA-256 length).
    let byteCount: Int

    init(keyRing: KeyRing, encoding: Encoding = .hex, byteCount: Int = 32) {
        precondition((16...32).contains(byteCount), "a blind index keeps 16 to 32 bytes")
        self.keyRing = keyRing
        self.encoding = encoding
        self.byteCount = byteCount
    }

    /// The index of `input` under the current key, or nil when `input` does not normalize as
    /// `kind` (store nil: an invalid value is never findable by index).
    func compute(_ input: String, kind: IdentifierKind) -> Value? {
        guard let normalized = kind.normalize(input) else { return nil }
        return digest(normalized, kind: kind, keyID: keyRing.keyID)
    }

    /// The index of `input` under every key of the ring, current first: the values to match
    /// (`WHERE index IN (...)`) while a rotation is recomputing indexes.
    func lookupValues(for input: String, kind: IdentifierKind) -> [Value] {
        guard let normalized = kind.normalize(input) else { return [] }
        return keyRing.knownKeyIDs.compactMap { digest(normalized, kind: kind, keyID: $0) }
    }

    private func digest(_ normalized: String, kind: IdentifierKind, keyID: String) -> Value? {
        guard let key = keyRing.key(for: Self.purpose, keyID: keyID) else { return nil }
        // The kind is part of the message, so a phone number and an SSN with the same digits
        // never share an index value.
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(kind.rawValue):\(normalized)".utf8), using: key)
        let bytes = Data(mac).prefix(byteCount)
        let text: String
        switch encoding {
        case .hex: text = bytes.map { String(format: "%02x", $0) }.joined()
        case .base64URL: text = Base64URL.encode(bytes)
        }
        return Value(keyID: keyID, value: text)
    }
}
