import Foundation

extension SVGChart {
    /// A ring filled to `fraction` (clamped to 0...1) with the percentage in the middle and an
    /// optional short label under it.
    public static func progressRing(
        title: String,
        fraction: Double,
        label: String? = nil,
        size: Int = 140
    ) -> String {
        let side = Double(max(size, 60))
        let fraction = min(max(fraction.finiteOrZero, 0), 1)
        let percent = "\(Int((fraction * 100).rounded()))%"
        let center = (side / 2).svgNumber
        let strokeWidth = side * 0.1
        let radius = side / 2 - strokeWidth / 2 - 2
        let circumference = 2 * Double.pi * radius
        var canvas = SVGCanvas(kind: "progress-ring", title: title, width: side, height: side)

        canvas.add(
            "circle",
            [
                "cx": center, "cy": center, "r": radius.svgNumber, "fill": "none",
                "stroke": ChartColor.grid, "stroke-width": strokeWidth.svgNumber,
            ])
        canvas.add(
            "circle",
            [
                "cx": center, "cy": center, "r": radius.svgNumber, "fill": "none",
                "stroke": ChartColor.series(0), "stroke-width": strokeWidth.svgNumber,
                "stroke-dasharray":
                    "\((circumference * fraction).svgNumber) \(circumference.svgNumber)",
                "transform": "rotate(-90 \(center) \(center))",
            ],
            tooltip: "\(label ?? title): \(percent)")
        canvas.add(
            "text",
            [
                "x": center, "y": (label == nil ? side / 2 : side * 0.46).svgNumber,
                "dy": "0.35em", "text-anchor": "middle", "font-size": (side * 0.2).svgNumber,
                "font-weight": "600", "fill": "currentColor",
            ],
            text: percent)
        if let label {
            let fontSize = max(10, side * 0.08)
            // Roughly the chord of the ring's hole along the label's line.
            let innerWidth = (radius - strokeWidth / 2) * 1.9
            canvas.addLabel(
                label,
                maxCharacters: SVGCanvas.characters(fitting: innerWidth, fontSize: fontSize),
                [
                    "x": center, "y": (side * 0.62).svgNumber, "dy": "0.35em",
                    "text-anchor": "middle", "font-size": fontSize.svgNumber,
                    "fill": "currentColor", "fill-opacity": "0.75",
                ])
        }
        return canvas.document(summary: label.map { "\($0): \(percent)" } ?? percent)
    }
}
