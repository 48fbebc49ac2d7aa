import Foundation
import ReliefCore
import Testing

@Suite("Time-ordered UUIDs")
struct TimeOrderedUUIDTests {
    @Test("version 7 layout: the time in the first 48 bits, version and variant set")
    func layout() {
        let date = Date(timeIntervalSince1970: 1_764_000_123.456)
        let id = UUID.timeOrdered(at: date)
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        let milliseconds = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(milliseconds == 1_764_000_123_456)
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
        #expect(id.uuidString.hasPrefix("019AB"))
        #expect(id.uuidString.dropFirst(14).first == "7")
    }

    @Test("ids made later sort after earlier ones, as bytes and as text; ids differ")
    func order() {
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        let ids = (0..<1_000).map {
            UUID.timeOrdered(at: start.addingTimeInterval(Double($0) / 100))
        }
        let texts = ids.map(\.uuidString)
        // 10 ms apart: strictly ordered.
        #expect(texts == texts.sorted())
        #expect(Set(ids).count == ids.count)
        let sameInstant = (0..<1_000).map { _ in UUID.timeOrdered(at: start) }
        #expect(Set(sameInstant).count == 1_000)
        #expect(Set(sameInstant.map { $0.uuidString.prefix(13) }).count == 1)
    }
}
