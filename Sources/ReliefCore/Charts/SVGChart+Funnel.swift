extension SVGChart {
    /// Centred horizontal bars, one per stage, sized against the largest stage, with each stage's
    /// value and its share of the previous stage on the right. Negative values show as 0.
    public static func funnel(
        title: String,
        stages: [FunnelStage],
        valueFormat: ChartValueFormat = .number,
        width: Int = 640,
        height: Int = 260
    ) -> String {
        let size = canvasSize(width: width, height: height)
        var canvas = SVGCanvas(kind: "funnel", title: title, width: size.width, height: size.height)
        guard !stages.isEmpty else { return canvas.emptyState() }

        let fontSize = 12.0
        let padding = 12.0
        let labelColumn = size.width * 0.28
        let valueColumn = size.width * 0.2
        let barArea = size.width - labelColumn - valueColumn - 2 * padding
        let barCenter = padding + labelColumn + barArea / 2
        let rowHeight = (size.height - 2 * padding) / Double(stages.count)
        let barHeight = min(rowHeight * 0.78, 44)
        let amounts = stages.map { max(0, $0.value.finiteOrZero) }
        let largest = amounts.max() ?? 0

        var summary: [String] = []
        for (index, stage) in stages.enumerated() {
            let value = valueFormat.format(amounts[index])
            let rowCenter = padding + rowHeight * (Double(index) + 0.5)
            let barWidth = largest > 0 ? barArea * amounts[index] / largest : 0
            canvas.add(
                "rect",
                [
                    "x": (barCenter - barWidth / 2).svgNumber,
                    "y": (rowCenter - barHeight / 2).svgNumber, "width": barWidth.svgNumber,
                    "height": barHeight.svgNumber, "rx": "3", "fill": ChartColor.series(index),
                ],
                tooltip: "\(stage.label): \(value)")
            canvas.addLabel(
                stage.label,
                maxCharacters: SVGCanvas.characters(fitting: labelColumn, fontSize: fontSize) - 1,
                [
                    "x": padding.svgNumber, "y": rowCenter.svgNumber, "dy": "0.35em",
                    "fill": "currentColor",
                ])

            var valueText = value
            var stageSummary = "\(stage.label): \(value)"
            if index > 0, amounts[index - 1] > 0 {
                let share = ChartValueFormat.percent.format(amounts[index] / amounts[index - 1])
                valueText += " · \(share)"
                stageSummary += " (\(share) of previous)"
            }
            canvas.add(
                "text",
                [
                    "x": (size.width - padding).svgNumber, "y": rowCenter.svgNumber,
                    "dy": "0.35em", "text-anchor": "end", "fill": "currentColor",
                ],
                text: valueText)
            summary.append(stageSummary)
        }
        return canvas.document(summary: summary.joined(separator: ", "))
    }
}
