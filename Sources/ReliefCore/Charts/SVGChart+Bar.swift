extension SVGChart {
    /// Vertical bars, one per label. Negative values show as 0.
    public static func bar(
        title: String,
        labels: [String],
        values: [Double],
        valueFormat: ChartValueFormat = .number,
        width: Int = 640,
        height: Int = 260
    ) -> String {
        let size = canvasSize(width: width, height: height)
        var canvas = SVGCanvas(kind: "bar", title: title, width: size.width, height: size.height)
        guard !labels.isEmpty, !values.isEmpty else { return canvas.emptyState() }

        let amounts = labels.indices.map { amount(values, at: $0) }
        let frame = CartesianFrame(
            width: size.width, height: size.height, top: plotTop,
            scale: NiceScale(minimum: 0, maximum: amounts.max() ?? 0), format: valueFormat,
            categoryCount: labels.count)
        frame.drawValueAxis(on: &canvas)
        for (index, label) in labels.enumerated() {
            let top = frame.y(amounts[index])
            let text = valueFormat.format(amounts[index])
            canvas.add(
                "rect",
                [
                    "x": (frame.center(ofCategory: index) - frame.barWidth / 2).svgNumber,
                    "y": top.svgNumber, "width": frame.barWidth.svgNumber,
                    "height": (frame.bottom - top).svgNumber, "fill": ChartColor.series(0),
                ],
                tooltip: "\(label): \(text)")
            frame.drawValueLabel(text, above: amounts[index], at: index, on: &canvas)
        }
        frame.drawCategoryLabels(labels, on: &canvas)

        let summary = labels.enumerated().map { index, label in
            "\(label): \(valueFormat.format(amounts[index]))"
        }
        return canvas.document(summary: summary.joined(separator: ", "))
    }

    /// Bars split into one coloured segment per series, with a legend when there are several
    /// series. Negative values show as 0.
    public static func stackedBar(
        title: String,
        labels: [String],
        series: [ChartSeries],
        valueFormat: ChartValueFormat = .number,
        width: Int = 640,
        height: Int = 260
    ) -> String {
        let size = canvasSize(width: width, height: height)
        var canvas = SVGCanvas(
            kind: "stacked-bar", title: title, width: size.width, height: size.height)
        guard !labels.isEmpty, series.contains(where: { !$0.values.isEmpty }) else {
            return canvas.emptyState()
        }

        let amounts = series.map { item in labels.indices.map { amount(item.values, at: $0) } }
        let totals = labels.indices.map { index in amounts.reduce(0) { $0 + $1[index] } }
        let hasLegend = series.count > 1
        let frame = CartesianFrame(
            width: size.width, height: size.height,
            top: plotTop + (hasLegend ? ChartLegend.height : 0),
            scale: NiceScale(minimum: 0, maximum: totals.max() ?? 0), format: valueFormat,
            categoryCount: labels.count)
        if hasLegend {
            ChartLegend.draw(series.map(\.name), width: size.width, on: &canvas)
        }
        frame.drawValueAxis(on: &canvas)
        for (index, label) in labels.enumerated() {
            var base = 0.0
            for (seriesIndex, item) in series.enumerated() {
                let value = amounts[seriesIndex][index]
                let top = frame.y(base + value)
                canvas.add(
                    "rect",
                    [
                        "x": (frame.center(ofCategory: index) - frame.barWidth / 2).svgNumber,
                        "y": top.svgNumber, "width": frame.barWidth.svgNumber,
                        "height": (frame.y(base) - top).svgNumber,
                        "fill": ChartColor.series(seriesIndex),
                    ],
                    tooltip: "\(item.name), \(label): \(valueFormat.format(value))")
                base += value
            }
            frame.drawValueLabel(
                valueFormat.format(totals[index]), above: totals[index], at: index, on: &canvas)
        }
        frame.drawCategoryLabels(labels, on: &canvas)

        let summary = labels.enumerated().map { index, label in
            let parts = series.enumerated().map { seriesIndex, item in
                "\(item.name) \(valueFormat.format(amounts[seriesIndex][index]))"
            }
            return "\(label): " + parts.joined(separator: ", ")
                + " (total \(valueFormat.format(totals[index])))"
        }
        return canvas.document(summary: summary.joined(separator: "; "))
    }
}
