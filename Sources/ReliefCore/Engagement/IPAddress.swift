/// An IP address parsed from text, without any networking API, for rules that look at where a
/// request came from.
public enum IPAddress: Sendable, Hashable {
    /// An IPv4 address, the first octet in the high byte.
    case v4(UInt32)
    /// An IPv6 address as two 64-bit halves, the first group in the high bits of `high`.
    case v6(high: UInt64, low: UInt64)

    /// Parses the strict textual forms: dotted decimal for IPv4 ("17.58.0.1": four parts of 1 to
    /// 3 digits, each at most 255, without leading zeros, signs or spaces), and RFC 4291 text for
    /// IPv6 (eight groups of 1 to 4 hex digits, one "::" for a run of zero groups, and dotted
    /// IPv4 in the last 32 bits, as in "::ffff:17.58.0.1"). Zone ids ("%eth0"), brackets, ports
    /// and prefix lengths are rejected.
    public init?(_ text: some StringProtocol) {
        let text = Substring(text)
        if text.contains(":") {
            guard let (high, low) = Self.parseIPv6(text) else { return nil }
            self = .v6(high: high, low: low)
        } else {
            guard let address = Self.parseIPv4(text) else { return nil }
            self = .v4(address)
        }
    }

    /// The IPv4 address, or the one an IPv4-mapped IPv6 address (`::ffff:0:0/96`) carries: the
    /// form a dual-stack server reports IPv4 clients in.
    public var ipv4: UInt32? {
        switch self {
        case .v4(let address):
            return address
        case .v6(let high, let low):
            guard high == 0, low >> 32 == 0xFFFF else { return nil }
            return UInt32(truncatingIfNeeded: low)
        }
    }

    /// Dotted decimal IPv4, strictly: see ``init(_:)``.
    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.count == 1 || part.first != UInt8(ascii: "0")
            else { return nil }
            var octet: UInt32 = 0
            for byte in part {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
            }
            guard octet <= 255 else { return nil }
            address = address << 8 | octet
        }
        return address
    }

    /// RFC 4291 IPv6 text: see ``init(_:)``.
    private static func parseIPv6(_ text: Substring) -> (UInt64, UInt64)? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        let groups: [UInt16]
        switch halves.count {
        case 1:
            guard let all = parseGroups(halves[0], endsAddress: true), all.count == 8 else {
                return nil
            }
            groups = all
        case 2:
            guard let head = parseGroups(halves[0], endsAddress: false),
                let tail = parseGroups(halves[1], endsAddress: true),
                head.count + tail.count <= 7
            else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        default:
            return nil
        }
        let pack = { (slice: ArraySlice<UInt16>) in
            slice.reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        }
        return (pack(groups[0..<4]), pack(groups[4..<8]))
    }

    /// The groups of one side of "::" (none for an empty side). When the side ends the address,
    /// its last part may be dotted IPv4, which gives two groups.
    private static func parseGroups(_ text: Substring, endsAddress: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if endsAddress, index == parts.count - 1, part.contains(".") {
                guard let address = parseIPv4(part) else { return nil }
                groups += [UInt16(address >> 16), UInt16(truncatingIfNeeded: address)]
            } else {
                guard (1...4).contains(part.utf8.count), part.utf8.allSatisfy(isHexDigit),
                    let group = UInt16(part, radix: 16)
                else { return nil }
                groups.append(group)
            }
        }
        return groups
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }
}
