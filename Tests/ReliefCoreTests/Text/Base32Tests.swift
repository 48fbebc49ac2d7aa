import ReliefCore
import Testing

@Suite("Base32")
struct Base32Tests {
    /// RFC 4648 section 10.
    static let vectors = [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ]

    @Test("encodes the RFC 4648 vectors", arguments: vectors)
    func encode(plain: String, encoded: String) {
        let bytes = Array(plain.utf8)

        #expect(Base32.encode(bytes, padding: true) == encoded)
        #expect(Base32.encode(bytes) == encoded.filter { $0 != "=" })
    }

    @Test("decodes the RFC 4648 vectors", arguments: vectors)
    func decode(plain: String, encoded: String) {
        #expect(Base32.decode(encoded) == Array(plain.utf8))
        #expect(Base32.decode(encoded.filter { $0 != "=" }) == Array(plain.utf8))
    }

    @Test func decodingIgnoresCaseSpacesAndPadding() {
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW6YTBOI==\n====") == Array("foobar".utf8))
    }

    @Test func decodingRejectsCharactersOutsideTheAlphabet() {
        #expect(Base32.decode("MZXW6YT1") == nil)
        #expect(Base32.decode("MZXW6YT8") == nil)
        #expect(Base32.decode("MZXW-6YTB") == nil)
        #expect(Base32.decode("MZXWÉYTB") == nil)
        #expect(Base32.decode("MZXWßYTB") == nil)
    }

    @Test func decodingRejectsLengthsNoEncodingProduces() {
        #expect(Base32.decode("M") == nil)
        #expect(Base32.decode("MZX") == nil)
        #expect(Base32.decode("MZXW6Y") == nil)
    }

    @Test func roundTripsEveryByteValue() {
        let bytes = (0...255).map { UInt8($0) }

        #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        #expect(Base32.decode(Base32.encode(Array(bytes.prefix(20)))) == Array(bytes.prefix(20)))
    }
}
