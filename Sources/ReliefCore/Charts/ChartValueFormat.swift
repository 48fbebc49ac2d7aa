import Foundation

/// How a chart prints its values in labels, tooltips and summaries. Output ignores the locale so
/// that charts are reproducible.
public enum ChartValueFormat: Sendable, Equatable {
    /// Grouped digits with up to two decimals: `1234.5` reads "1,234.5".
    case number
    /// Dollars: `1234` reads "$1,234", or "$1,234.00" when `cents` is true.
    case money(cents: Bool)
    /// A fraction as a percentage with up to one decimal: `0.25` reads "25%".
    case percent

    /// The text for one value; NaN and infinite values read as 0.
    public func format(_ value: Double) -> String {
        switch self {
        case .number:
            Self.decimal(value, fractionDigits: 2, trimsZeros: true)
        case .money(let cents):
            Self.dollars(value, fractionDigits: cents ? 2 : 0)
        case .percent:
            Self.decimal(value * 100, fractionDigits: 1, trimsZeros: true) + "%"
        }
    }

    /// The text for an axis tick: every tick gets the same number of decimals, enough to tell
    /// ticks `step` apart (so whole-dollar axes still print "$2.50" rather than "$3").
    func axisLabel(_ value: Double, step: Double) -> String {
        switch self {
        case .number:
            Self.decimal(value, fractionDigits: Self.fractionDigits(of: step), trimsZeros: false)
        case .money(let cents):
            Self.dollars(value, fractionDigits: cents || Self.fractionDigits(of: step) > 0 ? 2 : 0)
        case .percent:
            Self.decimal(
                value * 100, fractionDigits: Self.fractionDigits(of: step * 100), trimsZeros: false)
                + "%"
        }
    }

    /// The fewest decimals (at most 6) that print `step` exactly.
    private static func fractionDigits(of step: Double) -> Int {
        var digits = 0
        var scaled = abs(step)
        while digits < 6, abs(scaled - scaled.rounded()) > 1e-9 * max(1, scaled) {
            digits += 1
            scaled *= 10
        }
        return digits
    }

    private static func dollars(_ value: Double, fractionDigits: Int) -> String {
        let amount = decimal(abs(value), fractionDigits: fractionDigits, trimsZeros: false)
        return (isNegative(value, printedAs: amount) ? "-$" : "$") + amount
    }

    /// Comma-grouped digits with a "." decimal point, whatever the process locale.
    private static func decimal(_ value: Double, fractionDigits: Int, trimsZeros: Bool) -> String {
        let value = value.isFinite ? value : 0
        let digits = String(format: "%.\(fractionDigits)f", abs(value))
        let parts = digits.split(separator: ".", maxSplits: 1)
        var text = grouped(String(parts[0]))
        if parts.count == 2 {
            var fraction = Substring(parts[1])
            if trimsZeros {
                while fraction.last == "0" { fraction.removeLast() }
            }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return (isNegative(value, printedAs: text) ? "-" : "") + text
    }

    /// Whether a sign is needed: the value is negative and does not round to zero.
    private static func isNegative(_ value: Double, printedAs text: String) -> Bool {
        value < 0 && text.contains { $0.isNumber && $0 != "0" }
    }

    private static func grouped(_ integerDigits: String) -> String {
        var result = ""
        for (index, digit) in integerDigits.enumerated() {
            if index > 0, (integerDigits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }
}
