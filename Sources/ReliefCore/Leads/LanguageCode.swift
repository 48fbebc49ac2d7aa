import Foundation

/// The languages a lead may prefer, as ISO 639-1 codes.
public enum LanguageCode {
    /// Codes of the languages most spoken in US homes, with their English and native names
    /// written without accents.
    private static let namesByCode: [String: [String]] = [
        "en": ["english", "ingles"], "es": ["spanish", "espanol", "castellano"],
        "fr": ["french", "francais"], "zh": ["chinese", "mandarin", "cantonese"],
        "vi": ["vietnamese", "tieng viet"], "ko": ["korean"], "tl": ["tagalog", "filipino"],
        "ru": ["russian"], "pt": ["portuguese", "portugues"], "ar": ["arabic"],
        "ht": ["haitian creole", "creole", "kreyol"], "de": ["german", "deutsch"],
        "it": ["italian", "italiano"], "pl": ["polish", "polski"], "ja": ["japanese"],
        "hi": ["hindi"], "fa": ["persian", "farsi"], "ur": ["urdu"], "bn": ["bengali", "bangla"],
        "pa": ["punjabi"], "gu": ["gujarati"], "hy": ["armenian"], "km": ["khmer", "cambodian"],
        "lo": ["lao"], "so": ["somali"], "am": ["amharic"], "el": ["greek"], "he": ["hebrew"],
        "uk": ["ukrainian"], "ro": ["romanian"],
    ]

    private static let codesByName: [String: String] = Dictionary(
        uniqueKeysWithValues: namesByCode.flatMap { code, names in names.map { ($0, code) } })

    /// The code for a code ("es", "ES", or a locale like "es-MX") or a name in English or in
    /// the language itself ("Spanish", "Español"); nil when the language is not one of these.
    public static func code(for input: String) -> String? {
        if input.utf8.count == 2 {
            let code = input.lowercased()
            return namesByCode[code] != nil ? code : nil
        }
        let folded = input.folding(options: .diacriticInsensitive, locale: nil).lowercased()
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let language = folded.split { $0 == "-" || $0 == "_" }.first.map(String.init) ?? ""
        if language.count == 2, namesByCode[language] != nil { return language }
        return codesByName[folded]
    }
}
