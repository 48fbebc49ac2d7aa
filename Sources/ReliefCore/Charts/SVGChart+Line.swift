extension SVGChart {
    /// One line per series across the labels, with a dot at each value and a legend when there
    /// are several series. Negative values are drawn below a zero line.
    public static func line(
        title: String,
        labels: [String],
        series: [ChartSeries],
        valueFormat: ChartValueFormat = .number,
        width: Int = 640,
        height: Int = 260
    ) -> String {
        let size = canvasSize(width: width, height: height)
        var canvas = SVGCanvas(kind: "line", title: title, width: size.width, height: size.height)
        guard !labels.isEmpty, series.contains(where: { !$0.values.isEmpty }) else {
            return canvas.emptyState()
        }

        let points = series.map { item in labels.indices.map { value(item.values, at: $0) } }
        let allValues = points.flatMap { $0 }
        let hasLegend = series.count > 1
        let frame = CartesianFrame(
            width: size.width, height: size.height,
            top: plotTop + (hasLegend ? ChartLegend.height : 0),
            scale: NiceScale(
                minimum: min(0, allValues.min() ?? 0), maximum: max(0, allValues.max() ?? 0)),
            format: valueFormat, categoryCount: labels.count)
        if hasLegend {
            ChartLegend.draw(series.map(\.name), width: size.width, on: &canvas)
        }
        frame.drawValueAxis(on: &canvas)
        for (seriesIndex, item) in series.enumerated() {
            let color = ChartColor.series(seriesIndex)
            let path = points[seriesIndex].enumerated().map { index, value in
                let x = frame.center(ofCategory: index).svgNumber
                return "\(index == 0 ? "M" : "L")\(x) \(frame.y(value).svgNumber)"
            }
            canvas.add(
                "path",
                [
                    "d": path.joined(separator: " "), "fill": "none", "stroke": color,
                    "stroke-width": "2", "stroke-linejoin": "round", "stroke-linecap": "round",
                ],
                tooltip: item.name)
            for (index, value) in points[seriesIndex].enumerated() {
                canvas.add(
                    "circle",
                    [
                        "cx": frame.center(ofCategory: index).svgNumber,
                        "cy": frame.y(value).svgNumber, "r": "3", "fill": color,
                    ],
                    tooltip: "\(item.name), \(labels[index]): \(valueFormat.format(value))")
            }
        }
        frame.drawCategoryLabels(labels, on: &canvas)

        let summary = series.enumerated().map { seriesIndex, item in
            let parts = labels.enumerated().map { index, label in
                "\(label): \(valueFormat.format(points[seriesIndex][index]))"
            }
            return "\(item.name) – " + parts.joined(separator: ", ")
        }
        return canvas.document(summary: summary.joined(separator: "; "))
    }
}
