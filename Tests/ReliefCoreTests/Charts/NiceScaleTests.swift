import Foundation
import Testing

@testable import ReliefCore

@Suite("Nice axis ticks")
struct NiceScaleTests {
    @Test(
        "ticks for common ranges",
        arguments: [
            (0.0, 12.0, [0.0, 5, 10, 15]),
            (0, 100, [0, 25, 50, 75, 100]),
            (0, 7, [0, 2, 4, 6, 8]),
            (0, 1, [0, 0.25, 0.5, 0.75, 1]),
            (0, 0, [0, 0.25, 0.5, 0.75, 1]),
            (0, 0.3, [0, 0.1, 0.2, 0.3]),
            (0, 4410, [0, 2000, 4000, 6000]),
            (0, 1_000_000, [0, 250_000, 500_000, 750_000, 1_000_000]),
            (-8, 12, [-10, 0, 10, 20]),
        ])
    func ticks(minimum: Double, maximum: Double, expected: [Double]) {
        let scale = NiceScale(minimum: minimum, maximum: maximum)

        #expect(scale.ticks.count == expected.count)
        for (tick, wanted) in zip(scale.ticks, expected) {
            #expect(abs(tick - wanted) < 1e-9 * max(1, abs(wanted)))
        }
    }

    @Test func rangesFromZeroGetFourOrFiveTicksAtNiceSteps() {
        var maximum = 0.0013
        while maximum < 1e9 {
            let scale = NiceScale(minimum: 0, maximum: maximum)
            let mantissa = scale.step / pow(10, floor(log10(scale.step)))

            #expect((4...5).contains(scale.ticks.count), "maximum \(maximum)")
            #expect([1, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "maximum \(maximum)")
            #expect(scale.lowerBound == 0 && scale.upperBound >= maximum)
            maximum *= 1.37
        }
    }

}
