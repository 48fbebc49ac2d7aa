/// A person's name in parts, and the clean-up applied to names from forms and files.
public struct PersonName: Sendable, Equatable {
    public var first: String
    public var middle: String?
    /// Empty when the full name was a single word.
    public var last: String
    /// "Jr.", "Sr.", "II", "III", ... when the full name ended with one.
    public var suffix: String?

    public init(first: String, middle: String? = nil, last: String, suffix: String? = nil) {
        self.first = first
        self.middle = middle
        self.last = last
        self.suffix = suffix
    }

    /// Lower-case words that begin a family name ("de la Cruz", "von der Heide"). "Van",
    /// "Le" and "Al" are left out: they are as often given names or whole family names.
    private static let particles: Set<String> = [
        "de", "del", "della", "la", "las", "los", "von", "der", "den", "da", "di", "du", "dos",
        "das",
    ]
    private static let honorifics: Set<String> = ["mr", "mrs", "ms", "miss", "mx", "dr"]
    private static let suffixes: [String: String] = [
        "jr": "Jr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV", "v": "V",
    ]

    /// Splits a full name: "Gomez, Alicia M." (family name first when there is a comma) or
    /// "Alicia M. Gomez". A leading title (Mr, Mrs, Ms, Miss, Mx, Dr) is dropped, a trailing
    /// suffix (Jr, Sr, II, III, IV, V) is kept apart, and the family name takes the
    /// lower-case particles before it ("Maria de la Cruz": first "Maria", last "de la Cruz").
    /// The words are cleaned as ``normalize(_:)`` does. Nil when there is no name at all.
    public static func split(_ fullName: String) -> PersonName? {
        let name = normalize(fullName)
        guard name.contains(where: \.isLetter) else { return nil }
        var suffix: String?
        var commaParts = name.split(separator: ",").map {
            $0.split(separator: " ").map(String.init)
        }.filter { !$0.isEmpty }
        if commaParts.count > 1, commaParts.last!.count == 1,
            let found = suffixes[key(commaParts.last![0])]
        {
            suffix = found
            commaParts.removeLast()
        }
        var words: [String]
        var lastName: [String]
        if commaParts.count > 1 {
            lastName = commaParts[0]
            words = Array(commaParts.dropFirst().joined())
        } else {
            words = commaParts.first ?? []
            if words.count > 2, suffix == nil, let found = suffixes[key(words.last!)] {
                suffix = found
                words.removeLast()
            }
            var start = words.count - 1
            while start > 1, particles.contains(words[start - 1].lowercased()) { start -= 1 }
            lastName = words.count > 1 ? Array(words[start...]) : []
            words = Array(words[..<max(start, 1)])
        }
        if words.count > 1, honorifics.contains(key(words[0])) { words.removeFirst() }
        let middle = words.dropFirst().joined(separator: " ")
        return PersonName(
            first: words.first ?? "", middle: middle.isEmpty ? nil : middle,
            last: lastName.joined(separator: " "), suffix: suffix)
    }

    /// `name` with runs of white space made one space, and, when it is typed all in capitals
    /// or all in lower case, each word capitalized: after a hyphen or apostrophe and after
    /// "Mc" too ("O'NEIL" is "O'Neil", "mcdonald" is "McDonald"), particles between the first
    /// and the last word in lower case ("MARIA DE LA CRUZ" is "Maria de la Cruz"), and Roman
    /// numerals in capitals. A name in mixed case is kept as typed ("McDonald", "de la Cruz",
    /// "DeShawn").
    public static func normalize(_ name: String) -> String {
        if isTidyMixedCaseASCII(name) { return name }
        let words = name.split(whereSeparator: \.isWhitespace)
        let letters = name.filter(\.isLetter)
        let isAllCaps = letters.allSatisfy(\.isUppercase)
        guard !letters.isEmpty, isAllCaps || letters.allSatisfy(\.isLowercase) else {
            return words.joined(separator: " ")
        }
        return words.enumerated().map { index, word in
            let lower = word.lowercased()
            if index > 0, index < words.count - 1, particles.contains(lower) { return lower }
            if index > 0, ["ii", "iii", "iv"].contains(key(lower)) { return lower.uppercased() }
            return capitalized(lower)
        }.joined(separator: " ")
    }

    /// Whether `name` is ASCII with upper- and lower-case letters and single spaces only
    /// between words, so ``normalize(_:)`` keeps it as it is.
    private static func isTidyMixedCaseASCII(_ name: String) -> Bool {
        var hasUpper = false
        var hasLower = false
        var afterSpace = true
        for byte in name.utf8 {
            guard byte >= 0x20, byte < 0x80, !(afterSpace && byte == 0x20) else { return false }
            afterSpace = byte == 0x20
            hasUpper = hasUpper || (0x41...0x5A).contains(byte)
            hasLower = hasLower || (0x61...0x7A).contains(byte)
        }
        return hasUpper && hasLower && !afterSpace
    }

    /// Capitals at the start and after a hyphen, apostrophe or a leading "Mc".
    private static func capitalized(_ word: String) -> String {
        var result = ""
        var capitalizeNext = true
        for character in word {
            result += capitalizeNext ? character.uppercased() : String(character)
            capitalizeNext = "-'’".contains(character) || (result == "Mc" && word.count > 3)
        }
        return result
    }

    /// A word without dots, lower-cased, for comparing with titles and suffixes.
    private static func key(_ word: String) -> String {
        word.lowercased().filter { $0 != "." }
    }
}
