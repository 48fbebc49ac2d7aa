/// One named run of values in a multi-series chart, one value per category label.
public struct ChartSeries: Sendable, Equatable {
    /// The series name shown in the legend and tooltips.
    public var name: String
    /// One value per category label; a missing value reads as 0.
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// One stage of a funnel chart, such as "Leads" or "Enrolled".
public struct FunnelStage: Sendable, Equatable {
    public var label: String
    public var value: Double

    public init(label: String, value: Double) {
        self.label = label
        self.value = value
    }
}
