import ReliefCore
import Testing

@Suite("SVG charts")
struct SVGChartTests {
    static let hostile = "<script>alert(\"x\")</script> & 'quoted'\u{0}\u{7}"
    static let days = ["Mon", "Tue", "Wed"]
    static let twoSeries = [
        ChartSeries(name: "Email", values: [3, 5, 2]),
        ChartSeries(name: "SMS", values: [1, 0, 4]),
    ]

    /// One chart of every kind, each with hostile text in every label.
    static let hostileCharts: [String] = [
        SVGChart.bar(title: hostile, labels: [hostile, "b"], values: [1, 2]),
        SVGChart.line(
            title: hostile, labels: [hostile, "b"],
            series: [ChartSeries(name: hostile, values: [1, -2])]),
        SVGChart.stackedBar(
            title: hostile, labels: [hostile, "b"],
            series: [
                ChartSeries(name: hostile, values: [1, 2]), ChartSeries(name: "x", values: [3]),
            ]),
        SVGChart.funnel(
            title: hostile,
            stages: [FunnelStage(label: hostile, value: 10), FunnelStage(label: "b", value: 4)]),
        SVGChart.progressRing(title: hostile, fraction: 0.5, label: hostile),
        SVGChart.heatMap(
            title: hostile, rowLabels: [hostile], columnLabels: [hostile, "b"], values: [[1, 2]]),
    ]

    @Test(
        "every kind is well-formed, accessible XML even with hostile labels",
        arguments: hostileCharts)
    func wellFormedAndAccessible(svg: String) throws {
        let parsed = try ParsedSVG(svg)

        let root = parsed.root
        #expect(root.name == "svg")
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["width"] == "100%")
        #expect(root.attributes["viewBox"]?.hasPrefix("0 0 ") == true)
        let title = try #require(parsed.element(withID: root.attributes["aria-labelledby"] ?? ""))
        #expect(title.name == "title")
        #expect(title.text == "<script>alert(\"x\")</script> & 'quoted'")
        let desc = try #require(parsed.element(withID: root.attributes["aria-describedby"] ?? ""))
        #expect(desc.name == "desc")
        #expect(!desc.text.isEmpty)
        #expect(!svg.contains("<script"))
    }

    @Test func barDrawsOneRectPerLabelWithTooltipsAndSummary() throws {
        let svg = SVGChart.bar(title: "Leads", labels: ["Mon", "Tue"], values: [3, 5])
        let parsed = try ParsedSVG(svg)

        #expect(parsed.count("rect") == 2)
        #expect(parsed.tooltips(of: "rect") == ["Mon: 3", "Tue: 5"])
        #expect(parsed.all("desc").first?.text == "Mon: 3, Tue: 5")
        #expect(
            parsed.all("rect").allSatisfy { $0.attributes["fill"] == "var(--chart-1, #3b82f6)" })
        #expect(
            parsed.all("line").allSatisfy {
                $0.attributes["stroke"] == "var(--chart-grid, #d0d5dd)"
            })
        #expect(parsed.all("text").allSatisfy { $0.attributes["fill"] == "currentColor" })
    }

    @Test func barReadsNegativeNaNInfiniteAndMissingValuesAsZero() throws {
        let svg = SVGChart.bar(
            title: "Odd", labels: ["a", "b", "c", "d", "e"], values: [-4, .nan, .infinity, 2])
        let parsed = try ParsedSVG(svg)

        #expect(parsed.tooltips(of: "rect") == ["a: 0", "b: 0", "c: 0", "d: 2", "e: 0"])
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        #expect(parsed.all("rect").allSatisfy { Double($0.attributes["height"] ?? "") ?? -1 >= 0 })
    }

    @Test func allZeroDataDrawsAZeroToOneAxis() throws {
        let svg = SVGChart.bar(title: "Quiet", labels: ["a", "b"], values: [0, 0])
        let parsed = try ParsedSVG(svg)

        #expect(parsed.count("rect") == 2)
        #expect(parsed.all("rect").allSatisfy { $0.attributes["height"] == "0" })
        #expect(parsed.texts.starts(with: ["0.00", "0.25", "0.50", "0.75", "1.00"]))
    }

    @Test func barAxisUsesNiceTicksInTheValueFormat() throws {
        let svg = SVGChart.bar(
            title: "Fees", labels: ["Jan", "Feb"], values: [1200, 4410],
            valueFormat: .money(cents: false))
        let parsed = try ParsedSVG(svg)

        #expect(parsed.texts.starts(with: ["$0", "$2,000", "$4,000", "$6,000"]))
        #expect(parsed.tooltips(of: "rect") == ["Jan: $1,200", "Feb: $4,410"])
    }

    @Test func longLabelsAreCutWithAnEllipsisAndKeepTheFullTextAsTooltip() throws {
        let long = "Consumers enrolled through the partner referral programme"
        let svg = SVGChart.bar(title: "Sources", labels: [long, "Web"], values: [1, 2])
        let parsed = try ParsedSVG(svg)

        let label = try #require(parsed.all("text").first { $0.tooltip == long })
        #expect(label.text.hasSuffix("…"))
        #expect(label.text.count < long.count)
        #expect(long.hasPrefix(label.text.dropLast()))
        #expect(parsed.texts.contains("Web"))
    }

    @Test func crowdedCategoryLabelsAreThinnedOut() throws {
        let labels = (1...60).map { "Day \($0)" }
        let svg = SVGChart.bar(title: "Daily", labels: labels, values: labels.map { _ in 1 })
        let parsed = try ParsedSVG(svg)

        let shown = parsed.texts.filter { $0.hasPrefix("Day") }
        #expect(shown.count < 20)
        #expect(shown.first == "Day 1")
    }

    @Test func stackedBarDrawsASegmentPerSeriesAndCategoryPlusLegend() throws {
        let svg = SVGChart.stackedBar(title: "Outreach", labels: Self.days, series: Self.twoSeries)
        let parsed = try ParsedSVG(svg)

        #expect(parsed.count("rect") == 2 * 3 + 2)
        #expect(parsed.tooltips(of: "rect").prefix(2) == ["Email, Mon: 3", "SMS, Mon: 1"])
        #expect(parsed.texts.contains("Email") && parsed.texts.contains("SMS"))
        #expect(parsed.all("desc").first?.text.hasPrefix("Mon: Email 3, SMS 1 (total 4)") == true)
        let fills = Set(parsed.all("rect").compactMap { $0.attributes["fill"] })
        #expect(fills == ["var(--chart-1, #3b82f6)", "var(--chart-2, #10b981)"])
    }

    @Test func singleSeriesChartsHaveNoLegend() throws {
        let series = [ChartSeries(name: "Email", values: [3, 5, 2])]
        let stacked = try ParsedSVG(
            SVGChart.stackedBar(title: "T", labels: Self.days, series: series))
        let line = try ParsedSVG(SVGChart.line(title: "T", labels: Self.days, series: series))

        #expect(stacked.count("rect") == 3)
        #expect(!line.texts.contains("Email"))
    }

    @Test func lineDrawsAPathPerSeriesAndADotPerValue() throws {
        let svg = SVGChart.line(title: "Trend", labels: Self.days, series: Self.twoSeries)
        let parsed = try ParsedSVG(svg)

        #expect(parsed.count("path") == 2)
        #expect(parsed.count("circle") == 6)
        #expect(parsed.all("path").allSatisfy { $0.attributes["d"]?.hasPrefix("M") == true })
        #expect(parsed.tooltips(of: "circle").first == "Email, Mon: 3")
        #expect(
            parsed.all("desc").first?.text
                == "Email – Mon: 3, Tue: 5, Wed: 2; SMS – Mon: 1, Tue: 0, Wed: 4")
    }

    @Test func lineAxisReachesBelowZeroForNegativeValues() throws {
        let series = [ChartSeries(name: "Net", values: [-8, 12])]
        let parsed = try ParsedSVG(SVGChart.line(title: "Net", labels: ["a", "b"], series: series))

        #expect(parsed.texts.starts(with: ["-10", "0", "10", "20"]))
    }

    @Test func funnelDrawsAStagePerRowWithConversionFromThePreviousStage() throws {
        let stages = [
            FunnelStage(label: "Leads", value: 1200), FunnelStage(label: "Qualified", value: 800),
            FunnelStage(label: "Enrolled", value: -5),
        ]
        let parsed = try ParsedSVG(SVGChart.funnel(title: "Pipeline", stages: stages))

        #expect(parsed.count("rect") == 3)
        #expect(parsed.tooltips(of: "rect") == ["Leads: 1,200", "Qualified: 800", "Enrolled: 0"])
        #expect(parsed.texts.contains("800 · 66.7%"))
        #expect(parsed.texts.contains("0 · 0%"))
        let widths = parsed.all("rect").compactMap { Double($0.attributes["width"] ?? "") }
        #expect(widths[0] > widths[1] && widths[2] == 0)
    }

    @Test func progressRingShowsTheClampedPercentage() throws {
        let cases: [(fraction: Double, text: String)] = [
            (0.42, "42%"), (1.7, "100%"), (-1, "0%"), (.nan, "0%"),
        ]
        for (fraction, text) in cases {
            let parsed = try ParsedSVG(SVGChart.progressRing(title: "Goal", fraction: fraction))
            #expect(parsed.count("circle") == 2)
            #expect(parsed.texts == [text])
        }
    }

    @Test func progressRingArcCoversTheFraction() throws {
        let parsed = try ParsedSVG(
            SVGChart.progressRing(title: "Goal", fraction: 0.25, label: "of target"))

        let arc = try #require(parsed.all("circle").last?.attributes["stroke-dasharray"])
        let parts = arc.split(separator: " ").compactMap { Double($0) }
        #expect(parts.count == 2)
        #expect(abs(parts[0] / parts[1] - 0.25) < 0.001)
        #expect(parsed.texts == ["25%", "of target"])
        #expect(parsed.all("desc").first?.text == "of target: 25%")
    }

    @Test func heatMapCellOpacityIsProportionalToTheLargestValue() throws {
        let svg = SVGChart.heatMap(
            title: "Answers", rowLabels: ["Mon", "Tue"], columnLabels: ["9", "10"],
            values: [[2, 4], [1]])
        let parsed = try ParsedSVG(svg)

        #expect(parsed.count("rect") == 4)
        #expect(
            parsed.all("rect").map { $0.attributes["fill-opacity"] } == [
                "0.500", "1.000", "0.250", "0.000",
            ])
        #expect(
            parsed.tooltips(of: "rect") == ["Mon, 9: 2", "Mon, 10: 4", "Tue, 9: 1", "Tue, 10: 0"])
        #expect(parsed.all("desc").first?.text.hasPrefix("Highest: Mon, 10 (4).") == true)
    }

    @Test func heatMapWithOnlyZerosHasTransparentCells() throws {
        let svg = SVGChart.heatMap(
            title: "None", rowLabels: ["a"], columnLabels: ["x", "y"], values: [[0, 0]])
        let parsed = try ParsedSVG(svg)

        #expect(parsed.all("rect").allSatisfy { $0.attributes["fill-opacity"] == "0" })
    }

    static let emptyCharts: [String] = [
        SVGChart.bar(title: "Empty", labels: [], values: []),
        SVGChart.bar(title: "Empty", labels: ["a"], values: []),
        SVGChart.line(title: "Empty", labels: ["a"], series: []),
        SVGChart.stackedBar(title: "Empty", labels: [], series: twoSeries),
        SVGChart.funnel(title: "Empty", stages: []),
        SVGChart.heatMap(title: "Empty", rowLabels: [], columnLabels: ["a"], values: []),
    ]

    @Test("charts without data say so", arguments: emptyCharts)
    func emptyState(svg: String) throws {
        let parsed = try ParsedSVG(svg)

        #expect(parsed.texts == ["No data yet"])
        #expect(parsed.all("desc").first?.text == "No data yet")
        #expect(parsed.count("rect") == 0)
    }

    @Test func outputIsReproducibleAndIDsDifferBetweenCharts() throws {
        let first = SVGChart.bar(title: "Leads", labels: Self.days, values: [1, 2, 3])
        let again = SVGChart.bar(title: "Leads", labels: Self.days, values: [1, 2, 3])
        let other = SVGChart.bar(title: "Leads", labels: Self.days, values: [1, 2, 4])

        #expect(first == again)
        let firstID = try ParsedSVG(first).root.attributes["aria-labelledby"]
        let otherID = try ParsedSVG(other).root.attributes["aria-labelledby"]
        #expect(firstID != otherID)
    }
}
