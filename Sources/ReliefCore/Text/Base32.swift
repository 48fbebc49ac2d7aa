/// RFC 4648 base32 (the alphabet A–Z, 2–7), as used for TOTP secrets.
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Uppercase base32 of `bytes`, padded with "=" to a multiple of 8 characters when `padding`
    /// is true.
    public static func encode(_ bytes: [UInt8], padding: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 4) / 5 * 8)
        var buffer: UInt32 = 0
        var bitCount = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[Int(buffer >> UInt32(bitCount) & 0x1F)])
            }
        }
        if bitCount > 0 {
            output.append(alphabet[Int(buffer << UInt32(5 - bitCount) & 0x1F)])
        }
        if padding {
            while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of a base32 string, read case-insensitively, ignoring whitespace and "=" padding;
    /// nil when it holds any other character or has a length no encoding produces.
    public static func decode(_ string: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bitCount = 0
        var characterCount = 0
        for character in string where !character.isWhitespace && character != "=" {
            guard let ascii = character.asciiValue,
                let value = alphabet.firstIndex(of: Self.uppercased(ascii))
            else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bitCount += 5
            characterCount += 1
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bitCount)))
            }
        }
        // A final group of 1, 3 or 6 characters cannot come from whole bytes.
        guard ![1, 3, 6].contains(characterCount % 8) else { return nil }
        return output
    }

    private static func uppercased(_ ascii: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ascii) ? ascii - 0x20 : ascii
    }
}
