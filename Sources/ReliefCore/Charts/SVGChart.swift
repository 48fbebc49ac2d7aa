/// Server-side charts as inline `<svg>` markup for pages, e-mails and the client portal.
///
/// Every chart scales to its container (`width="100%"` with a `viewBox`), is announced by screen
/// readers through its `<title>` and a `<desc>` that lists the data, and takes its colours from
/// CSS custom properties with fallbacks: `--chart-1` to `--chart-6` for data, `--chart-grid` for
/// lines, and `currentColor` for text, so one stylesheet themes light and dark pages. Categories
/// come from the labels: a missing value reads as 0, and NaN or infinite values read as 0.
public enum SVGChart {
    /// Plot top when there is no legend: room for the value printed above the tallest bar.
    static let plotTop = 20.0

    /// The finite value at `index`, or 0 when it is missing, NaN or infinite.
    static func value(_ values: [Double], at index: Int) -> Double {
        values.indices.contains(index) ? values[index].finiteOrZero : 0
    }

    /// Like ``value(_:at:)`` but never below zero, for charts that only grow upwards.
    static func amount(_ values: [Double], at index: Int) -> Double {
        max(0, value(values, at: index))
    }

    static func canvasSize(width: Int, height: Int) -> (width: Double, height: Double) {
        (Double(max(width, 160)), Double(max(height, 120)))
    }
}
