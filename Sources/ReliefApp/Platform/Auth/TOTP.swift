import Crypto
import Foundation
import ReliefCore

/// RFC 6238 time-based one-time passwords: HMAC-SHA-1, 30-second steps, 6 digits, one step
/// of clock skew either way. Each accepted step is remembered so a code works once.
enum TOTP {
    static let period: TimeInterval = 30
    static let digits = 6
    static let issuer = "ReliefCRM"

    /// A new random 160-bit secret, base32 encoded for authenticator apps.
    static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base32.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The time step containing `date`.
    static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / period).rounded(.down))
    }

    /// The code for one time step (RFC 4226 dynamic truncation).
    static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(
            HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        let text = String(value)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step a code matches at `date` (±1 step), when it is later than `lastUsedStep`.
    static func verify(_ code: String, secret: String, at date: Date, lastUsedStep: Int64?)
        -> Int64?
    {
        let digitsOnly = code.filter { !$0.isWhitespace }
        guard digitsOnly.count == digits, digitsOnly.allSatisfy(\.isASCII),
            digitsOnly.allSatisfy(\.isNumber), let key = Base32.decode(secret)
        else { return nil }
        let current = step(at: date)
        for candidate in [current - 1, current, current + 1] {
            if let lastUsedStep, candidate <= lastUsedStep { continue }
            if SecureToken.constantTimeEquals(TOTP.code(secret: key, step: candidate), digitsOnly) {
                return candidate
            }
        }
        return nil
    }

    /// The `otpauth://` URI authenticator apps read.
    static func provisioningURI(secret: String, account: String, issuer: String = issuer) -> String
    {
        let label = "\(issuer):\(account)".percentEncodedForQuery
        return "otpauth://totp/\(label)?secret=\(secret)&issuer=\(issuer.percentEncodedForQuery)"
            + "&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }
}
