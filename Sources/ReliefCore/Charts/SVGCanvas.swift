import Foundation

/// Accumulates the markup of one chart and wraps it in an accessible, themeable `<svg>` root.
struct SVGCanvas {
    /// Approximate advance of one character, as a share of the font size, used to fit labels.
    private static let characterWidth = 0.6

    let kind: String
    let title: String
    let width: Double
    let height: Double
    private var body = ""

    init(kind: String, title: String, width: Double, height: Double) {
        self.kind = kind
        self.title = title
        self.width = width
        self.height = height
    }

    /// Roughly how wide `count` characters are at `fontSize`.
    static func textWidth(characters count: Int, fontSize: Double) -> Double {
        Double(count) * fontSize * characterWidth
    }

    /// Roughly how many characters fit in `width` at `fontSize`.
    static func characters(fitting width: Double, fontSize: Double) -> Int {
        Int(width / (fontSize * characterWidth))
    }

    /// Appends one element. `text` and `tooltip` are plain text; the tooltip becomes a `<title>`
    /// child, which browsers show on hover and screen readers announce.
    mutating func add(
        _ name: String,
        _ attributes: KeyValuePairs<String, String>,
        text: String? = nil,
        tooltip: String? = nil
    ) {
        body += "<" + name + Self.markup(attributes)
        let content =
            (text.map(Self.escaped) ?? "")
            + (tooltip.map { "<title>\(Self.escaped($0))</title>" } ?? "")
        body += content.isEmpty ? "/>" : ">\(content)</\(name)>"
    }

    /// Appends a text label cut to `maxCharacters` with an ellipsis; a cut label carries the full
    /// text as its tooltip.
    mutating func addLabel(
        _ label: String, maxCharacters: Int, _ attributes: KeyValuePairs<String, String>
    ) {
        let limit = max(maxCharacters, 2)
        if label.count > limit {
            add("text", attributes, text: String(label.prefix(limit - 1)) + "…", tooltip: label)
        } else {
            add("text", attributes, text: label)
        }
    }

    /// The finished chart with a centred "No data yet" message in place of data.
    func emptyState() -> String {
        var canvas = self
        canvas.add(
            "text",
            [
                "x": (width / 2).svgNumber, "y": (height / 2).svgNumber, "dy": "0.35em",
                "text-anchor": "middle", "font-size": "13", "fill": "currentColor",
                "fill-opacity": "0.7",
            ],
            text: "No data yet")
        return canvas.document(summary: "No data yet")
    }

    /// The finished `<svg>` element. Its id prefix is a hash of the chart's content, so equal
    /// input gives equal output and charts with different content get different ids.
    func document(summary: String) -> String {
        let id = "chart-" + Self.fingerprint([kind, title, summary, body])
        let attributes: KeyValuePairs<String, String> = [
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "relief-chart relief-chart-\(kind)",
            "width": "100%",
            "viewBox": "0 0 \(width.svgNumber) \(height.svgNumber)",
            "role": "img",
            "aria-labelledby": "\(id)-title",
            "aria-describedby": "\(id)-desc",
            "font-size": "12",
        ]
        return "<svg\(Self.markup(attributes))>"
            + "<title id=\"\(id)-title\">\(Self.escaped(title))</title>"
            + "<desc id=\"\(id)-desc\">\(Self.escaped(summary))</desc>"
            + body + "</svg>"
    }

    /// The attributes as ` key="value"` pairs, values escaped.
    private static func markup(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { key, value in " \(key)=\"\(escaped(value))\"" }.joined()
    }

    /// Escapes XML's five special characters and drops control characters XML cannot carry.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// FNV-1a over the parts, in base 36.
    private static func fingerprint(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 + [0] {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return String(hash, radix: 36)
    }
}

/// The palette and line colours, as CSS custom properties with fallbacks so pages can theme them.
enum ChartColor {
    private static let fallbacks = [
        "#3b82f6", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#06b6d4",
    ]

    /// Grid and axis lines, and empty tracks.
    static let grid = "var(--chart-grid, #d0d5dd)"

    /// Palette colour `index`, cycling through `--chart-1` to `--chart-6`.
    static func series(_ index: Int) -> String {
        let slot = index % fallbacks.count
        return "var(--chart-\(slot + 1), \(fallbacks[slot]))"
    }
}

extension Double {
    /// The value as an SVG coordinate: at most two decimals, no exponent.
    var svgNumber: String {
        let value = isFinite ? self : 0
        var text = String(format: "%.2f", value)
        while text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// The value with NaN and infinities read as 0.
    var finiteOrZero: Double { isFinite ? self : 0 }
}
