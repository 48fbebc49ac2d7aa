import ReliefCore
import Testing

@Suite("Money amounts")
struct MoneyAmountTests {
    @Test(
        "reads dollars as cents",
        arguments: [
            ("$12,345.67", 1_234_567), ("12345", 1_234_500), ("12,345", 1_234_500),
            (" $ 1,200 ", 120_000), ("1200.5", 120_050), ("0.99", 99), (".5", 50),
            ("1,234,567.89", 123_456_789), ("$0", 0), ("(100.00)", -10_000), ("-5", -500),
            ("-$5.25", -525), ("$-5", -500), ("($1,000)", -100_000), ("( 7 )", -700),
            ("92233720368547758.07", Int64.max),
        ] as [(String, Int64)])
    func cents(raw: String, cents: Int64) throws {
        #expect(try MoneyAmount.cents(raw) == cents)
    }

    @Test(
        "refuses what is not an amount",
        arguments: [
            ("", MoneyError.empty),
            ("  ", .empty),
            ("12.345", .tooManyDecimals),
            ("1.000", .tooManyDecimals),
            ("1,23,4", .misplacedComma),
            ("1234,567", .misplacedComma),
            (",123", .misplacedComma),
            ("12,34", .misplacedComma),
            ("ten", .invalidFormat),
            ("12a", .invalidFormat),
            ("$", .invalidFormat),
            ("5.", .invalidFormat),
            ("1.2.3", .invalidFormat),
            ("1 200", .invalidFormat),
            ("--5", .invalidFormat),
            ("(-5)", .invalidFormat),
            ("5 USD", .invalidFormat),
            ("12,345.67€", .invalidFormat),
            ("92233720368547758.08", .tooLarge),
            ("99999999999999999999", .tooLarge),
        ])
    func invalid(raw: String, error: MoneyError) {
        #expect(throws: error) { try MoneyAmount.cents(raw) }
    }

    @Test func nonNegativeAmountsRefuseNegatives() throws {
        #expect(try MoneyAmount.nonNegativeCents("$1,200") == 120_000)
        #expect(try MoneyAmount.nonNegativeCents("0") == 0)
        #expect(throws: MoneyError.negative) { try MoneyAmount.nonNegativeCents("(100.00)") }
        #expect(throws: MoneyError.invalidFormat) { try MoneyAmount.nonNegativeCents("abc") }
        #expect(MoneyError.negative.message == "The amount must not be negative.")
    }
}
