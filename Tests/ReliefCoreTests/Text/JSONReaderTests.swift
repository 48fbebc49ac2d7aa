import Foundation
import ReliefCore
import Testing

@Suite("JSON reader")
struct JSONReaderTests {
    /// Reads `text` into plain Swift values the way the tests compare them.
    static func value(_ text: String) throws -> Any? {
        var reader = JSONReader(Array(text.utf8))
        let value = try read(&reader)
        try reader.finish()
        return value
    }

    private static func read(_ reader: inout JSONReader) throws -> Any? {
        switch reader.peekKind() {
        case .object:
            var object: [String: Any?] = [:]
            try reader.readObject { name, reader in object[name] = try read(&reader) }
            return object
        case .array:
            var array: [Any?] = []
            try reader.readArray { reader in array.append(try read(&reader)) }
            return array
        case .string: return try reader.readString()
        case .bool: return try reader.readBool()
        case .null, .number, nil:
            try reader.skipValue()
            return nil
        }
    }

    /// The failure reading `text`, if any.
    static func failure(_ text: String) -> JSONReader.Failure? {
        do {
            _ = try value(text)
            return nil
        } catch let failure as JSONReader.Failure {
            return failure
        } catch {
            return nil
        }
    }

    @Test("objects, arrays, strings, booleans and skipped members")
    func structure() throws {
        let read = try #require(
            try Self.value(#" { "a" : ["x", true, false, null, -1.5e+3, 0], "b": {}, "c": [] } "#)
                as? [String: Any?])
        let array = try #require(read["a"] as? [Any?])
        #expect(array.count == 6)
        #expect(array[0] as? String == "x")
        #expect(array[1] as? Bool == true)
        #expect(array[2] as? Bool == false)
        #expect((read["b"] as? [String: Any?])?.isEmpty == true)
        #expect((read["c"] as? [Any?])?.isEmpty == true)
    }

    @Test("a member the caller does not read is skipped")
    func unreadMembers() throws {
        var reader = JSONReader(Array(#"{"skip":{"deep":[1,{"x":"y"}]},"keep":"yes"}"#.utf8))
        var kept: String?
        try reader.readObject { name, reader in
            if name == "keep" { kept = try reader.readString() }
        }
        try reader.finish()
        #expect(kept == "yes")
    }

    @Test(
        "string escapes and non-ASCII text",
        arguments: [
            (#""plain""#, "plain"),
            (#""quote \" slash \/ back \\""#, #"quote " slash / back \"#),
            (#""\b\f\n\r\t""#, "\u{08}\u{0C}\n\r\t"),
            (#""caf\u00e9 \u20AC""#, "café €"),
            (#""\ud83d\ude00""#, "😀"),
            (#""naïve 😀""#, "naïve 😀"),
        ])
    func strings(json: String, expected: String) throws {
        #expect(try Self.value(json) as? String == expected)
    }

    @Test(
        "malformed documents name the byte where they break",
        arguments: [
            (#"{"a":1,}"#, 7, "Expected a member name in quotes"),
            (#"{"a" 1}"#, 5, "Expected ':' after a member name"),
            (#"[1 2]"#, 3, "Expected ',' or ']' in an array"),
            (#"{"a":"x"]"#, 8, "Expected ',' or '}' in an object"),
            (#"["abc"#, 1, "Unterminated string"),
            (#"["a\qb"]"#, 4, "Unknown escape"),
            (#"["\ud800x"]"#, 2, "Unpaired surrogate escape"),
            (#"[01]"#, 2, "Expected ',' or ']' in an array"),
            (#"[-]"#, 2, "Expected a digit"),
            (#"[1.]"#, 3, "Expected a digit after the decimal point"),
            (#"[tru]"#, 1, "Expected true or false"),
            (#"{"a":1} x"#, 8, "Unexpected content after the document"),
            (#"{"a":"#, 5, "Unexpected end of the document"),
            ("[\"a\u{01}\"]", 3, "Control character inside a string"),
        ])
    func malformed(json: String, offset: Int, message: String) throws {
        let failure = try #require(Self.failure(json))
        #expect(failure.offset == offset)
        #expect(failure.message == message)
    }

    @Test("invalid UTF-8 inside a string is refused at the string's start")
    func invalidUTF8() throws {
        var reader = JSONReader(
            [UInt8(ascii: "["), UInt8(ascii: "\""), 0xC3, 0x28] + Array("\"]".utf8))
        #expect(throws: JSONReader.Failure(offset: 2, message: "The string is not valid UTF-8")) {
            try reader.readArray { reader in _ = try reader.readString() }
        }
    }

    @Test("nesting deeper than the limit is refused, not followed")
    func depthLimit() throws {
        let deep =
            String(repeating: "[", count: JSONReader.maximumDepth + 1)
            + String(repeating: "]", count: JSONReader.maximumDepth + 1)
        let failure = try #require(Self.failure(deep))
        #expect(failure.message.hasPrefix("Nested deeper than"))
        let allowed =
            String(repeating: "[", count: JSONReader.maximumDepth)
            + String(repeating: "]", count: JSONReader.maximumDepth)
        #expect(Self.failure(allowed) == nil)
    }

    @Test("reads what JSONSerialization writes for random documents")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aé\"\\/\n\t😀x\u{01}€ ")
        for _ in 0..<200 {
            var object: [String: Any] = [:]
            for index in 0..<Int.random(in: 0...6, using: &generator) {
                let text = String(
                    (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                        alphabet.randomElement(using: &generator)!
                    })
                object["k\(index)"] = index.isMultiple(of: 2) ? text : [text, true]
            }
            let data = try JSONSerialization.data(withJSONObject: object)
            var reader = JSONReader(Array(data))
            var read: [String: Any] = [:]
            try reader.readObject { name, reader in
                if reader.peekKind() == .string {
                    read[name] = try reader.readString()
                } else {
                    var items: [Any] = []
                    try reader.readArray { reader in
                        items.append(
                            reader.peekKind() == .string
                                ? try reader.readString() as Any : try reader.readBool())
                    }
                    read[name] = items
                }
            }
            try reader.finish()
            #expect(read.keys.sorted() == object.keys.sorted())
            for (key, value) in object {
                if let text = value as? String {
                    #expect(read[key] as? String == text)
                } else {
                    #expect(
                        (read[key] as? [Any])?.first as? String == (value as? [Any])?.first
                            as? String)
                }
            }
        }
    }
}
