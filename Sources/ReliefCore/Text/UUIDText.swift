import Foundation

/// The 36-character text form of a UUID (`8-4-4-4-12` hex digits), read and written without
/// `UUID(uuidString:)` and `uuidString`, which go through `sscanf` and `snprintf` on Linux and
/// showed up as a tenth of a 10,000-check gate batch (every id crosses text four times: the
/// request, the SQLite binds and rows, the answer).
public enum UUIDText {
    /// The UUID written in `text`, either case; nil unless it is exactly the 36-character form.
    public static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// The UUID written in `bytes` (UTF-8), either case; nil unless exactly the 36-character form.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard bytes.count == 36 else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &value) { output -> Bool in
            var index = 0
            for slot in 0..<16 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard bytes[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                }
                guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1])
                else { return false }
                output[slot] = high << 4 | low
                index += 2
            }
            return true
        }
        return parsed ? UUID(uuid: value) : nil
    }

    /// The uppercase 36-character form, the same text as `uuid.uuidString`.
    public static func format(_ uuid: UUID) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            write(uuid, into: UnsafeMutableRawBufferPointer(buffer))
            return 36
        }
    }

    /// Appends the uppercase 36-character form to `bytes`.
    public static func append(_ uuid: UUID, to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 36))
        bytes.withUnsafeMutableBytes {
            write(uuid, into: UnsafeMutableRawBufferPointer(rebasing: $0[start...]))
        }
    }

    private static let digits = Array("0123456789ABCDEF".utf8)

    private static func write(_ uuid: UUID, into output: UnsafeMutableRawBufferPointer) {
        withUnsafeBytes(of: uuid.uuid) { input in
            var index = 0
            for slot in 0..<16 {
                if slot == 4 || slot == 6 || slot == 8 || slot == 10 {
                    output[index] = UInt8(ascii: "-")
                    index += 1
                }
                output[index] = digits[Int(input[slot] >> 4)]
                output[index + 1] = digits[Int(input[slot] & 0x0F)]
                index += 2
            }
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
