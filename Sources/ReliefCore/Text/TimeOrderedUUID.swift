import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): 48 bits of Unix time in milliseconds, then random bits.
    /// Ids made one after another sort (as bytes and as `uuidString`) in the order they were
    /// made, to the millisecond, so rows written in bulk land next to each other in primary-key
    /// and foreign-key indexes instead of all over them.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return timeOrdered(at: date, using: &generator)
    }

    /// ``timeOrdered(at:)`` with the random bits from `generator`.
    public static func timeOrdered(
        at date: Date, using generator: inout some RandomNumberGenerator
    ) -> UUID {
        let milliseconds = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { raw in
            for index in 0..<6 {
                raw[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index)))
            }
            for index in 6..<8 { raw[index] = UInt8(truncatingIfNeeded: high >> (8 * index)) }
            for index in 8..<16 { raw[index] = UInt8(truncatingIfNeeded: low >> (8 * (index - 8))) }
            raw[6] = 0x70 | (raw[6] & 0x0F)  // version 7
            raw[8] = 0x80 | (raw[8] & 0x3F)  // variant 10
        }
        return UUID(uuid: bytes)
    }
}
