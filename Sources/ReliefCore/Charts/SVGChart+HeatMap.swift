import Foundation

extension SVGChart {
    /// A grid of square cells, one per row and column, each as opaque as its share of the
    /// largest value. The chart's size follows from `cellSize` and the number of cells; missing
    /// and negative values show as empty cells.
    public static func heatMap(
        title: String,
        rowLabels: [String],
        columnLabels: [String],
        values: [[Double]],
        valueFormat: ChartValueFormat = .number,
        cellSize: Int = 22
    ) -> String {
        guard !rowLabels.isEmpty, !columnLabels.isEmpty else {
            return SVGCanvas(kind: "heat-map", title: title, width: 320, height: 120).emptyState()
        }

        let cell = Double(max(cellSize, 8))
        let fontSize = 10.0
        let padding = 8.0
        let rowLabelCharacters = min(rowLabels.map(\.count).max() ?? 0, 16)
        let left =
            padding + SVGCanvas.textWidth(characters: rowLabelCharacters, fontSize: fontSize) + 6
        let top = padding + 16
        var canvas = SVGCanvas(
            kind: "heat-map", title: title,
            width: left + cell * Double(columnLabels.count) + padding,
            height: top + cell * Double(rowLabels.count) + padding)

        let amounts = rowLabels.indices.map { row in
            columnLabels.indices.map {
                amount(values.indices.contains(row) ? values[row] : [], at: $0)
            }
        }
        let largest = amounts.joined().max() ?? 0

        let columnStride = Int((24 / cell).rounded(.up))
        for (column, label) in columnLabels.enumerated() where column % columnStride == 0 {
            canvas.addLabel(
                label,
                maxCharacters: SVGCanvas.characters(
                    fitting: cell * Double(columnStride), fontSize: fontSize),
                [
                    "x": (left + cell * (Double(column) + 0.5)).svgNumber,
                    "y": (top - 6).svgNumber, "text-anchor": "middle",
                    "font-size": fontSize.svgNumber, "fill": "currentColor", "fill-opacity": "0.75",
                ])
        }
        for (row, rowLabel) in rowLabels.enumerated() {
            let y = top + cell * Double(row)
            canvas.addLabel(
                rowLabel, maxCharacters: rowLabelCharacters,
                [
                    "x": (left - 6).svgNumber, "y": (y + cell / 2).svgNumber, "dy": "0.35em",
                    "text-anchor": "end", "font-size": fontSize.svgNumber, "fill": "currentColor",
                    "fill-opacity": "0.75",
                ])
            for (column, columnLabel) in columnLabels.enumerated() {
                let value = amounts[row][column]
                canvas.add(
                    "rect",
                    [
                        "x": (left + cell * Double(column) + 1).svgNumber, "y": (y + 1).svgNumber,
                        "width": (cell - 2).svgNumber, "height": (cell - 2).svgNumber, "rx": "3",
                        "fill": ChartColor.series(0),
                        "fill-opacity": largest > 0 ? String(format: "%.3f", value / largest) : "0",
                        "stroke": ChartColor.grid, "stroke-width": "0.5",
                    ],
                    tooltip: "\(rowLabel), \(columnLabel): \(valueFormat.format(value))")
            }
        }

        var summary = ""
        if largest > 0, let row = amounts.firstIndex(where: { $0.contains(largest) }),
            let column = amounts[row].firstIndex(of: largest)
        {
            summary =
                "Highest: \(rowLabels[row]), \(columnLabels[column])"
                + " (\(valueFormat.format(largest))). "
        }
        let rows = rowLabels.enumerated().map { row, rowLabel in
            let parts = columnLabels.enumerated().map { column, columnLabel in
                "\(columnLabel): \(valueFormat.format(amounts[row][column]))"
            }
            return "\(rowLabel) – " + parts.joined(separator: ", ")
        }
        return canvas.document(summary: summary + rows.joined(separator: "; "))
    }
}
