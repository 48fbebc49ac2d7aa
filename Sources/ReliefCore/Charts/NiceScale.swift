import Foundation

/// Evenly spaced axis ticks at "nice" steps (1, 2, 2.5 or 5 × 10ⁿ) that cover a value range with
/// at most four intervals: four or five ticks for a range that starts at zero.
struct NiceScale: Equatable {
    let ticks: [Double]
    let step: Double

    var lowerBound: Double { ticks[0] }
    var upperBound: Double { ticks[ticks.count - 1] }

    /// A scale covering `minimum...maximum`; an empty range widens to `minimum...minimum + 1`.
    init(minimum: Double, maximum: Double) {
        let maximum = maximum > minimum ? maximum : minimum + 1
        var exponent = Int(log10((maximum - minimum) / 4).rounded(.down)) - 1
        while true {
            let magnitude = pow(10, Double(exponent))
            for multiplier in [1, 2, 2.5, 5] {
                let step = multiplier * magnitude
                let first = Int((minimum / step + 1e-9).rounded(.down))
                let last = Int((maximum / step - 1e-9).rounded(.up))
                if last - first <= 4 {
                    self.step = step
                    self.ticks = (first...last).map { Double($0) * step }
                    return
                }
            }
            exponent += 1
        }
    }
}
