/// UTF-8 validation with an ASCII fast path, reporting where the first bad byte is.
enum UTF8Validation {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The index (from 0) of the first byte that does not begin a well-formed UTF-8 sequence
    /// (Unicode table 3-7: no overlong forms, surrogates or values above U+10FFFF), or nil.
    /// A sequence cut short by the end of the bytes counts as malformed.
    static func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, second) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, second) = (3, 0x80...0x9F)
            case 0xF0: (length, second) = (4, 0x90...0xBF)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, second) = (4, 0x80...0x8F)
            default: return index
            }
            guard index + length <= count, second.contains(base[index + 1]) else { return index }
            for offset in 2..<length where base[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }

    /// Whether `bytes` are UTF-8; with `allowCutOff`, a sequence the end of the bytes cuts
    /// short is accepted (the bytes are the first part of a longer file).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, allowCutOff: Bool) -> Bool {
        guard let bad = firstInvalidByte(bytes) else { return true }
        return allowCutOff && bytes.count - bad < 4 && isPrefixOfSequence(bytes[bad...])
    }

    /// Whether the bytes are the start of a UTF-8 multi-byte sequence (a lead byte followed by
    /// fewer continuation bytes than it announces).
    private static func isPrefixOfSequence(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let lead = bytes.first else { return false }
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return false
        }
        return bytes.count < length && bytes.dropFirst().allSatisfy { $0 & 0xC0 == 0x80 }
    }
}

/// Windows-1252 (Microsoft's superset of ISO 8859-1) to Unicode.
enum Windows1252 {
    /// Unicode scalars for 0x80...0x9F, where Windows-1252 differs from ISO 8859-1; the five
    /// undefined positions (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same
    /// value, as the WHATWG Encoding Standard does.
    private static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    private static let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// Writes the UTF-8 encoding of the Windows-1252 `byte` at `offset` in `output` (which
    /// needs room for 3 bytes there) and returns the number of bytes written.
    static func encodeUTF8(
        _ byte: UInt8, into output: UnsafeMutableBufferPointer<UInt8>, at offset: Int
    ) -> Int {
        if byte < 0x80 {
            output[offset] = byte
            return 1
        }
        let scalar = byte < 0xA0 ? high[Int(byte - 0x80)] : UInt16(byte)
        if scalar < 0x800 {
            output[offset] = 0xC0 | UInt8(scalar >> 6)
            output[offset + 1] = 0x80 | UInt8(scalar & 0x3F)
            return 2
        }
        output[offset] = 0xE0 | UInt8(scalar >> 12)
        output[offset + 1] = 0x80 | UInt8((scalar >> 6) & 0x3F)
        output[offset + 2] = 0x80 | UInt8(scalar & 0x3F)
        return 3
    }

    /// Whether non-UTF-8 `bytes` read as Windows-1252 text: no byte the encoding leaves
    /// undefined, and at most one byte in four outside ASCII (names and addresses are mostly
    /// ASCII even in Spanish; other encodings and binary data are not).
    static func isPlausible(_ bytes: ArraySlice<UInt8>) -> Bool {
        var high = 0
        for byte in bytes where byte >= 0x80 {
            if undefined.contains(byte) { return false }
            high += 1
        }
        return high * 4 <= bytes.count
    }
}
