import Foundation
import ReliefCore
import Testing

@testable import ReliefApp

@Suite("Blind index")
struct BlindIndexTests {
    @Test("equal identifiers in any format give one index; kinds and keys differ")
    func index() throws {
        let ringA = KeyRing(masterKey: Array(repeating: 1, count: 32))
        let ringB = KeyRing(
            masterKey: Array(repeating: 2, count: 32),
            previousMasterKeys: [
                Array(repeating: 1, count: 32)
            ])
        let indexA = BlindIndex(keyRing: ringA)
        let a = try #require(indexA.compute("123-45-6789", kind: .ssn))
        #expect(a.keyID == ringA.keyID)
        #expect(a.value.count == 64)
        #expect(a.value.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(indexA.compute("123 45 6789", kind: .ssn) == a)
        #expect(
            indexA.compute("123456789", kind: .ssn)?.value
                != indexA.compute("123456789", kind: .phone)?.value)
        #expect(indexA.compute("12345", kind: .ssn) == nil)
        #expect(!a.value.contains("6789"))
        #expect(
            indexA.compute("Ann@Example.com ", kind: .email)
                == indexA.compute("ann@example.com", kind: .email))
        #expect(
            indexA.compute("(555) 555-0123", kind: .phone)
                == indexA.compute("+1 555-555-0123", kind: .phone))
        #expect(
            indexA.compute("6789", kind: .ssnLastFour)
                == indexA.compute("123-45-6789", kind: .ssnLastFour))

        let indexB = BlindIndex(keyRing: ringB)
        let b = try #require(indexB.compute("123-45-6789", kind: .ssn))
        #expect(b.keyID == ringB.keyID)
        #expect(b.value != a.value)
        #expect(indexB.lookupValues(for: "123456789", kind: .ssn) == [b, a])

        let short = BlindIndex(keyRing: ringA, encoding: .base64URL)
        let encoded = try #require(short.compute("123-45-6789", kind: .ssn))
        #expect(encoded.value.count == 43)
        #expect(Base64URL.decode(encoded.value).map { Array($0) } == hexBytes(a.value))
    }

    private func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
