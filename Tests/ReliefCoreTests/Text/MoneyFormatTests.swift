import ReliefCore
import Testing

@Suite("Money format")
struct MoneyFormatTests {
    @Test(
        "formats cents as dollars with thousands groups",
        arguments: [
            (Int64(0), "$0.00"), (5, "$0.05"), (123_456_789, "$1,234,567.89"),
            (100_000, "$1,000.00"), (-2_550, "-$25.50"), (99_999_999_999, "$999,999,999.99"),
        ])
    func dollars(cents: Int64, expected: String) {
        #expect(MoneyFormat.dollars(cents) == expected)
    }

    @Test func wholeDollarsRoundHalfUp() {
        #expect(MoneyFormat.dollars(1_234_550, wholeDollars: true) == "$12,346")
        #expect(MoneyFormat.dollars(1_234_549, wholeDollars: true) == "$12,345")
        #expect(MoneyFormat.dollars(100_000_000, wholeDollars: true) == "$1,000,000")
    }

    @Test func plainDecimal() {
        #expect(MoneyFormat.plain(1_234_567) == "12345.67")
        #expect(MoneyFormat.plain(-5) == "-0.05")
    }
}
