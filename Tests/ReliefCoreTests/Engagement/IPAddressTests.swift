import ReliefCore
import Testing

extension EngagementTests {
    @Suite("IP address")
    struct IPAddressTests {
        @Test(
            "dotted decimal IPv4",
            arguments: [
                ("0.0.0.0", 0x0000_0000), ("17.0.0.1", 0x1100_0001),
                ("255.255.255.255", 0xFFFF_FFFF), ("192.168.1.10", 0xC0A8_010A),
                ("10.0.100.9", 0x0A00_6409),
            ] as [(String, UInt32)])
        func ipv4(text: String, value: UInt32) {
            #expect(IPAddress(text) == .v4(value))
            #expect(IPAddress(text)?.ipv4 == value)
        }

        @Test(
            "malformed IPv4 is rejected",
            arguments: [
                "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1.2.3.999", "01.2.3.4",
                "1.2.3.04", "1..3.4", ".1.2.3", "1.2.3.", "1.2.3.4 ", " 1.2.3.4", "+1.2.3.4",
                "-1.2.3.4", "1.2.3.a", "0x11.0.0.1", "1234.1.1.1", "17", "17.1", "1.2.3.4/8",
                "1.2.3.4:80", "１.2.3.4", "1.2.3.4\n",
            ])
        func malformedIPv4(text: String) {
            #expect(IPAddress(text) == nil)
        }

        @Test(
            "RFC 4291 IPv6",
            arguments: [
                ("::", 0, 0), ("::1", 0, 1),
                ("2001:db8::1", 0x2001_0DB8_0000_0000, 1),
                ("2001:DB8:0:0:8:800:200C:417A", 0x2001_0DB8_0000_0000, 0x0008_0800_200C_417A),
                ("fe80::", 0xFE80_0000_0000_0000, 0),
                ("1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004, 0x0005_0006_0007_0008),
                ("1:2:3:4:5:6:7::", 0x0001_0002_0003_0004, 0x0005_0006_0007_0000),
                ("::2:3:4:5:6:7:8", 0x0000_0002_0003_0004, 0x0005_0006_0007_0008),
                ("::ffff:17.58.0.1", 0, 0x0000_FFFF_113A_0001),
                ("64:ff9b::192.0.2.33", 0x0064_FF9B_0000_0000, 0x0000_0000_C000_0221),
                ("1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004, 0x0005_0006_0102_0304),
            ] as [(String, UInt64, UInt64)])
        func ipv6(text: String, high: UInt64, low: UInt64) {
            #expect(IPAddress(text) == .v6(high: high, low: low))
        }

        @Test(
            "malformed IPv6 is rejected",
            arguments: [
                ":", ":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
                "::1:2:3:4:5:6:7:8", "12345::", "g::1", ":1::", "1::2:", "fe80::1%eth0",
                "[::1]", "::ffff:1.2.3", "::ffff:256.1.1.1", "1.2.3.4::", "::1.2.3.4:5",
                "::+1", "::-1", "2001:db8::/32", "1:2:3:4:5:6:7:1.2.3.4",
            ])
        func malformedIPv6(text: String) {
            #expect(IPAddress(text) == nil)
        }

        @Test func anIPv4MappedAddressCarriesItsIPv4Address() {
            #expect(IPAddress("::ffff:17.58.0.1")?.ipv4 == 0x113A_0001)
            #expect(IPAddress("::FFFF:0:1")?.ipv4 == 0x0000_0001)
            #expect(IPAddress("::1")?.ipv4 == nil)
            #expect(IPAddress("::fffe:17.58.0.1")?.ipv4 == nil)
            #expect(IPAddress("1::ffff:17.58.0.1")?.ipv4 == nil)
        }
    }
}
