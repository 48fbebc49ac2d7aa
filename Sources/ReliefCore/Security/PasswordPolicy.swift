/// The rules a new password must pass, following NIST SP 800-63B: length and a block list
/// rather than character-class rules.
public struct PasswordPolicy: Sendable {
    /// 12 to 256 characters.
    public static let standard = PasswordPolicy()

    /// Fewest characters (user-perceived characters, not bytes).
    public var minimumLength: Int
    /// Most characters.
    public var maximumLength: Int

    public init(minimumLength: Int = 12, maximumLength: Int = 256) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
    }

    /// Every rule `password` breaks, in ``PasswordViolation`` order; empty when it is acceptable.
    /// Words of four or more characters from `name` count like the e-mail's local part.
    public func violations(
        password: String, email: String, name: String? = nil
    ) -> [PasswordViolation] {
        var broken: Set<PasswordViolation> = []
        if password.count < minimumLength { broken.insert(.tooShort) }
        if password.count > maximumLength { broken.insert(.tooLong) }
        let lowered = password.lowercased()
        if !email.isEmpty, lowered == email.lowercased() {
            broken.insert(.matchesEmail)
        } else if Self.personalWords(email: email, name: name).contains(where: lowered.contains) {
            broken.insert(.containsEmailName)
        }
        if Self.isCommon(lowered) { broken.insert(.common) }
        return PasswordViolation.allCases.filter(broken.contains)
    }

    /// The e-mail's local part and its words, and the words of the name, when four or more
    /// characters long, lowercased.
    private static func personalWords(email: String, name: String?) -> Set<String> {
        let email = email.lowercased()
        let localPart = String(email[..<(email.lastIndex(of: "@") ?? email.endIndex)])
        let words = [localPart] + words(in: localPart) + words(in: name?.lowercased() ?? "")
        return Set(words.filter { $0.count >= 4 })
    }

    private static func words(in text: String) -> [String] {
        text.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// Whether the lowercased password is a common password once spaces, trailing digits and
    /// symbols, and leetspeak are taken away: "P@ssw0rd2024" is "password".
    private static func isCommon(_ lowered: String) -> Bool {
        var candidates: Set<String> = [lowered, lowered.filter { !$0.isWhitespace }]
        candidates.formUnion(candidates.map { trimmingTrailing($0, where: isSymbol) })
        candidates.formUnion(
            candidates.map { trimmingTrailing($0) { isSymbol($0) || $0.isNumber } })
        candidates.formUnion(candidates.flatMap(withoutLeetspeak))
        return candidates.contains { !$0.isEmpty && CommonPasswords.all.contains($0) }
    }

    private static func isSymbol(_ character: Character) -> Bool {
        character.isPunctuation || character.isSymbol || character.isWhitespace
    }

    private static func trimmingTrailing(
        _ text: String, where shouldTrim: (Character) -> Bool
    ) -> String {
        var text = Substring(text)
        while let last = text.last, shouldTrim(last) { text.removeLast() }
        return String(text)
    }

    /// The text with look-alike digits and symbols read as letters; "1" may stand for "i" or "l",
    /// so there are two readings.
    private static func withoutLeetspeak(_ text: String) -> [String] {
        let letters: [Character: Character] = [
            "0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
        ]
        return ["i", "l"].map { one in
            String(text.map { $0 == "1" ? one : letters[$0] ?? $0 })
        }
    }
}

/// A rule a password breaks; the raw value is a stable code for APIs and logs.
public enum PasswordViolation: String, Sendable, CaseIterable {
    case tooShort = "too_short"
    case matchesEmail = "matches_email"
    case containsEmailName = "contains_email_name"
    case common = "common"
    case tooLong = "too_long"

    /// A sentence telling the user what to change, for the standard policy's limits.
    public var message: String {
        switch self {
        case .tooShort:
            "Use at least \(PasswordPolicy.standard.minimumLength) characters."
        case .matchesEmail:
            "Don't use your e-mail address as your password."
        case .containsEmailName:
            "Don't include your name or the name in your e-mail address."
        case .common:
            "This password is too common. Choose something harder to guess."
        case .tooLong:
            "Use at most \(PasswordPolicy.standard.maximumLength) characters."
        }
    }
}
