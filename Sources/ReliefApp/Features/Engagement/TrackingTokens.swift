import Crypto
import Foundation
import ReliefCore

/// What a tracking link carries: the organization, message and lead an open or a click belongs
/// to, when the message was sent (opens and clicks seconds later are machine activity), how many
/// tracked links the message has, and for a click its destination. Nothing is looked up to
/// record an open, so the pixel answers without touching the database.
struct TrackingToken: Equatable, Sendable {
    var kind: TrackedRequest.Kind
    var organizationID: UUID
    var messageID: UUID
    var leadID: UUID
    /// Whole seconds.
    var sentAt: Date
    var linkCount: Int
    /// A click's destination: an absolute `http` or `https` URL.
    var url: String?
}

/// Signs and verifies ``TrackingToken``s. A token is base64url of
/// `version | kind | org | message | lead | sent (u32 seconds) | links (u16) | url bytes` and
/// the first 16 bytes of HMAC-SHA-256 over them, keyed by `tracking-tokens` from the master
/// key: it cannot be forged, changed (a click cannot be pointed elsewhere: no open redirect) or
/// guessed. Tokens signed under a previous master key still verify after a rotation, so links
/// in mail already sent keep working.
struct TrackingTokenSigner: Sendable {
    static let version: UInt8 = 1
    static let macLength = 16
    /// Longer tokens (a click URL of several kilobytes) are refused unread.
    static let maximumLength = 4_096
    private let keys: [SymmetricKey]

    init(keyRing: KeyRing) {
        keys = keyRing.knownKeyIDs.compactMap { keyRing.key(for: "tracking-tokens", keyID: $0) }
    }

    func sign(_ token: TrackingToken) -> String {
        var bytes: [UInt8] = [Self.version, token.kind == .open ? 1 : 2]
        for id in [token.organizationID, token.messageID, token.leadID] {
            withUnsafeBytes(of: id.uuid) { bytes.append(contentsOf: $0) }
        }
        let seconds = UInt32(clamping: Int64(token.sentAt.timeIntervalSince1970))
        withUnsafeBytes(of: seconds.bigEndian) { bytes.append(contentsOf: $0) }
        let links = UInt16(clamping: token.linkCount)
        withUnsafeBytes(of: links.bigEndian) { bytes.append(contentsOf: $0) }
        if let url = token.url { bytes.append(contentsOf: url.utf8) }
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: keys[0])
        bytes.append(contentsOf: mac.prefix(Self.macLength))
        return Base64URL.encode(Data(bytes))
    }

    /// The token in `text`, or nil when it is malformed, too long or not signed by us.
    func verify(_ text: String) -> TrackingToken? {
        guard text.utf8.count <= Self.maximumLength, let data = Base64URL.decode(text) else {
            return nil
        }
        let bytes = [UInt8](data)
        let fixed = 2 + 48 + 4 + 2
        guard bytes.count >= fixed + Self.macLength, bytes[0] == Self.version else { return nil }
        let body = bytes[..<(bytes.count - Self.macLength)]
        let mac = bytes[(bytes.count - Self.macLength)...]
        guard
            keys.contains(where: { key in
                let expected = HMAC<SHA256>.authenticationCode(for: body, using: key)
                return Self.constantTimeEquals(Array(expected.prefix(Self.macLength)), Array(mac))
            })
        else { return nil }
        let kind: TrackedRequest.Kind
        switch body[1] {
        case 1: kind = .open
        case 2: kind = .click
        default: return nil
        }
        func uuid(at offset: Int) -> UUID {
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: body[offset..<(offset + 16)]) }
            return UUID(uuid: value)
        }
        let seconds = body[50..<54].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let links = body[54..<56].reduce(UInt16(0)) { $0 << 8 | UInt16($1) }
        var url: String?
        if kind == .click {
            guard let text = String(validating: body[fixed...], as: UTF8.self),
                Self.isWebURL(text)
            else { return nil }
            url = text
        }
        return TrackingToken(
            kind: kind, organizationID: uuid(at: 2), messageID: uuid(at: 18), leadID: uuid(at: 34),
            sentAt: Date(timeIntervalSince1970: TimeInterval(seconds)), linkCount: Int(links),
            url: url)
    }

    /// An absolute `http` or `https` URL with a host: the only destinations a click may have.
    static func isWebURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    private static func constantTimeEquals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
