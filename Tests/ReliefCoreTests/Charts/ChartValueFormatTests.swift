import Testing

@testable import ReliefCore

@Suite("Chart value formats")
struct ChartValueFormatTests {
    @Test(
        "formats values without regard to locale",
        arguments: [
            (ChartValueFormat.number, 1234.5, "1,234.5"),
            (.number, 1_234_567, "1,234,567"),
            (.number, 0.333, "0.33"),
            (.number, -5, "-5"),
            (.number, -0.001, "0"),
            (.number, .nan, "0"),
            (.number, -.infinity, "0"),
            (.money(cents: false), 1234, "$1,234"),
            (.money(cents: false), 1234.56, "$1,235"),
            (.money(cents: true), 1234.5, "$1,234.50"),
            (.money(cents: false), -50, "-$50"),
            (.money(cents: false), -0.2, "$0"),
            (.percent, 0.25, "25%"),
            (.percent, 0.125, "12.5%"),
            (.percent, 1, "100%"),
        ])
    func format(format: ChartValueFormat, value: Double, expected: String) {
        #expect(format.format(value) == expected)
    }

    @Test func axisLabelsShowEnoughDecimalsForTheStep() {
        #expect(ChartValueFormat.number.axisLabel(2.5, step: 2.5) == "2.5")
        #expect(ChartValueFormat.number.axisLabel(5, step: 2.5) == "5.0")
        #expect(ChartValueFormat.number.axisLabel(5000, step: 2500) == "5,000")
        #expect(ChartValueFormat.money(cents: false).axisLabel(2.5, step: 2.5) == "$2.50")
        #expect(ChartValueFormat.money(cents: false).axisLabel(2000, step: 1000) == "$2,000")
        #expect(ChartValueFormat.percent.axisLabel(0.025, step: 0.025) == "2.5%")
        #expect(ChartValueFormat.percent.axisLabel(0.5, step: 0.25) == "50%")
    }
}
