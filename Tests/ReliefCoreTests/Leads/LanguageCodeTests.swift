import ReliefCore
import Testing

@Suite("Language codes")
struct LanguageCodeTests {
    @Test(
        "reads language codes and names",
        arguments: [
            ("en", "en"), ("ES", "es"), ("es-MX", "es"), ("en_US", "en"), ("English", "en"),
            ("Spanish", "es"), ("Español", "es"), ("espanol", "es"), ("Haitian  Creole", "ht"),
            ("Vietnamese", "vi"), ("Tiếng Việt", "vi"), ("xx", nil), ("Klingon", nil), ("", nil),
        ] as [(String, String?)])
    func languages(input: String, code: String?) {
        #expect(LanguageCode.code(for: input) == code)
    }
}
