/// The plot area, value axis and category labels shared by the bar, stacked bar and line charts.
/// Categories sit in equal bands across the plot; values grow upwards.
struct CartesianFrame {
    private static let axisFontSize = 11.0
    /// Narrowest gap between two category labels before some are skipped.
    private static let minimumLabelSpacing = 40.0

    let scale: NiceScale
    let format: ChartValueFormat
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double
    let categoryCount: Int

    init(
        width: Double, height: Double, top: Double, scale: NiceScale, format: ChartValueFormat,
        categoryCount: Int
    ) {
        let widestTick = scale.ticks.map { format.axisLabel($0, step: scale.step).count }.max() ?? 1
        self.scale = scale
        self.format = format
        self.left = 10 + SVGCanvas.textWidth(characters: widestTick, fontSize: Self.axisFontSize)
        self.top = top
        self.right = width - 12
        self.bottom = height - 28
        self.categoryCount = categoryCount
    }

    var bandWidth: Double { (right - left) / Double(max(categoryCount, 1)) }

    /// The bar width for one band: most of it, but never wider than 72.
    var barWidth: Double { min(bandWidth * 0.7, 72) }

    func center(ofCategory index: Int) -> Double {
        left + bandWidth * (Double(index) + 0.5)
    }

    func y(_ value: Double) -> Double {
        let share = (value - scale.lowerBound) / (scale.upperBound - scale.lowerBound)
        return bottom - share * (bottom - top)
    }

    /// Horizontal grid lines with their tick values on the left.
    func drawValueAxis(on canvas: inout SVGCanvas) {
        for tick in scale.ticks {
            let y = y(tick).svgNumber
            canvas.add(
                "line",
                [
                    "x1": left.svgNumber, "y1": y, "x2": right.svgNumber, "y2": y,
                    "stroke": ChartColor.grid, "stroke-width": "1",
                ])
            canvas.add(
                "text",
                [
                    "x": (left - 6).svgNumber, "y": y, "dy": "0.35em", "text-anchor": "end",
                    "font-size": Self.axisFontSize.svgNumber, "fill": "currentColor",
                    "fill-opacity": "0.75",
                ],
                text: format.axisLabel(tick, step: scale.step))
        }
    }

    /// Category labels under the plot; when bands are narrow only every n-th label is shown.
    func drawCategoryLabels(_ labels: [String], on canvas: inout SVGCanvas) {
        let stride = Int((Self.minimumLabelSpacing / bandWidth).rounded(.up))
        let space = bandWidth * Double(stride)
        // One character short of the space, to keep neighbouring labels apart.
        let maxCharacters = SVGCanvas.characters(fitting: space, fontSize: Self.axisFontSize) - 1
        for (index, label) in labels.enumerated() where index % stride == 0 {
            canvas.addLabel(
                label, maxCharacters: maxCharacters,
                [
                    "x": center(ofCategory: index).svgNumber, "y": (bottom + 18).svgNumber,
                    "text-anchor": "middle", "font-size": Self.axisFontSize.svgNumber,
                    "fill": "currentColor", "fill-opacity": "0.75",
                ])
        }
    }

    /// A value printed just above a bar, when the bar is wide enough to carry it.
    func drawValueLabel(
        _ text: String, above value: Double, at index: Int, on canvas: inout SVGCanvas
    ) {
        guard barWidth >= 28 else { return }
        canvas.add(
            "text",
            [
                "x": center(ofCategory: index).svgNumber, "y": (y(value) - 5).svgNumber,
                "text-anchor": "middle", "font-size": Self.axisFontSize.svgNumber,
                "fill": "currentColor",
            ],
            text: text)
    }
}

/// A one-row legend of colour swatches and series names at the top left.
enum ChartLegend {
    static let height = 24.0

    static func draw(_ names: [String], width: Double, on canvas: inout SVGCanvas) {
        let itemWidth = (width - 24) / Double(max(names.count, 1))
        let maxCharacters = SVGCanvas.characters(fitting: itemWidth - 24, fontSize: 12)
        for (index, name) in names.enumerated() {
            let x = 12 + itemWidth * Double(index)
            canvas.add(
                "rect",
                [
                    "x": x.svgNumber, "y": "8", "width": "10", "height": "10", "rx": "2",
                    "fill": ChartColor.series(index),
                ])
            canvas.addLabel(
                name, maxCharacters: maxCharacters,
                ["x": (x + 15).svgNumber, "y": "17", "fill": "currentColor"])
        }
    }
}
