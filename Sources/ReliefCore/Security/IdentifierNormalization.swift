import Foundation

/// The canonical form of an identifier before it is blind-indexed, so "123-45-6789" and
/// "123 45 6789" (or "(555) 555-0123" and "+1 555 555 0123") find the same record.
public enum IdentifierKind: String, Sendable, CaseIterable {
    /// A Social Security number: its nine digits.
    case ssn
    /// The last four digits of an SSN (from four digits or a full SSN).
    case ssnLastFour = "ssn-last4"
    /// A phone number as E.164 digits without "+": 10-digit NANP numbers get country code 1.
    case phone
    /// An e-mail address, trimmed and lower-cased.
    case email

    /// The normalized value, or nil when the input is not a valid identifier of this kind.
    public func normalize(_ input: String) -> String? {
        let digits = input.filter { $0.isASCII && $0.isNumber }
        switch self {
        case .ssn:
            guard digits.count == 9, !input.contains(where: { $0.isLetter }) else { return nil }
            return digits
        case .ssnLastFour:
            guard digits.count == 4 || digits.count == 9, !input.contains(where: { $0.isLetter })
            else { return nil }
            return String(digits.suffix(4))
        case .phone:
            guard !input.contains(where: { $0.isLetter }) else { return nil }
            let international = input.trimmingCharacters(in: .whitespaces).hasPrefix("+")
            if !international && digits.count == 10 { return "1" + digits }
            if !international && digits.count == 11 && digits.hasPrefix("1") { return digits }
            if international && (8...15).contains(digits.count) && !digits.hasPrefix("0") {
                return digits
            }
            return nil
        case .email:
            let email = input.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
                !email.contains(where: { $0.isWhitespace })
            else { return nil }
            return email
        }
    }
}
