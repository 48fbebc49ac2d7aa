import Foundation
import ReliefCore
import Testing

@Suite("ISO 8601 instants")
struct ISO8601InstantTests {
    @Test("UTC, offsets and fractions give the same instants as Foundation")
    func agrees() {
        let foundation = ISO8601DateFormatter()
        for text in [
            "2026-11-25T15:00:00Z", "2026-03-08T07:30:00-04:00", "1999-12-31T23:59:59+05:30",
            "2024-02-29T00:00:00Z", "1970-01-01T00:00:00Z", "1969-07-20T20:17:40Z",
        ] {
            #expect(ISO8601Instant.parse(text) == foundation.date(from: text), "\(text)")
        }
        #expect(
            ISO8601Instant.parse("2026-11-25T15:00:00.250Z")
                == foundation.date(from: "2026-11-25T15:00:00Z")!.addingTimeInterval(0.25))
        #expect(
            ISO8601Instant.parse("2026-11-25t15:00:00z")
                == foundation.date(from: "2026-11-25T15:00:00Z"))
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", "noon", "2026-11-25", "2026-11-25T15:00Z", "2026-02-30T00:00:00Z",
            "2026-11-25T24:00:00Z", "2026-11-25T15:00:00", "2026-11-25T15:00:00+0500",
            "2026-11-25T15:00:00Z ", "2026-11-25T15:00:00.Z", "２０２６-11-25T15:00:00Z",
        ])
    func refused(text: String) {
        #expect(ISO8601Instant.parse(text) == nil)
    }
}
