/// How far a lead got in the sales funnel, from every status it has had.
public enum SourceFunnelStage: String, Sendable, CaseIterable {
    /// Someone spoke with the lead: Contacted or beyond, or closed after a conversation
    /// (Not interested, Unqualified). Unreachable and Do not contact alone do not count.
    case contacted
    /// Qualified or beyond.
    case qualified
    /// Enrolled at some point (Enrolled, Settled, or Cancelled after enrolling).
    case enrolled

    /// The statuses that prove a lead reached this stage.
    public var statuses: Set<LeadStatus> {
        switch self {
        case .contacted:
            [.contacted, .qualified, .enrolled, .settled, .cancelled, .notInterested, .unqualified]
        case .qualified: [.qualified, .enrolled, .settled, .cancelled]
        case .enrolled: [.enrolled, .settled, .cancelled]
        }
    }

    /// Whether a lead that has had `statuses` (its current one and every status it moved to)
    /// reached this stage.
    public func isReached(by statuses: Set<LeadStatus>) -> Bool {
        !self.statuses.isDisjoint(with: statuses)
    }
}

/// What the sources report needs to know about one lead.
public struct SourceLeadFacts: Sendable, Equatable {
    /// The source's id, nil for leads without a source.
    public var sourceID: String?
    /// The current status and every status the lead moved to.
    public var statuses: Set<LeadStatus>
    /// The balance of the lead's enrolled debts.
    public var enrolledDebtCents: Int64

    public init(sourceID: String?, statuses: Set<LeadStatus>, enrolledDebtCents: Int64) {
        self.sourceID = sourceID
        self.statuses = statuses
        self.enrolledDebtCents = enrolledDebtCents
    }
}

/// A lead source with what one of its leads costs.
public struct SourceCost: Sendable, Equatable {
    public var id: String
    public var name: String
    public var vendor: String
    public var campaign: String
    public var costPerLeadCents: Int64

    public init(id: String, name: String, vendor: String, campaign: String, costPerLeadCents: Int64)
    {
        self.id = id
        self.name = name
        self.vendor = vendor
        self.campaign = campaign
        self.costPerLeadCents = costPerLeadCents
    }
}

/// One line of the sources report.
public struct SourceReportRow: Sendable, Equatable {
    /// The source id; nil for the "no source" line and the total.
    public var sourceID: String?
    public var name: String
    public var vendor: String = ""
    public var campaign: String = ""
    public var leads = 0
    public var contacted = 0
    public var qualified = 0
    public var enrolled = 0
    /// Enrolled debt of the leads that enrolled.
    public var enrolledDebtCents: Int64 = 0
    /// Leads × cost per lead.
    public var costCents: Int64 = 0

    /// Cost divided by enrollments, rounded to the cent; nil without enrollments.
    public var costPerEnrollmentCents: Int64? {
        enrolled == 0 ? nil : (costCents + Int64(enrolled) / 2) / Int64(enrolled)
    }

    /// The share of leads that enrolled (0 without leads).
    public var enrollmentRate: Double { leads == 0 ? 0 : Double(enrolled) / Double(leads) }
}

/// Leads, funnel progress, enrolled debt and cost per lead source.
public enum SourceReport {
    /// The line of every source with leads (most leads first, then by name), a "No source"
    /// line when some leads have none, and the total.
    public static func build(sources: [SourceCost], leads: [SourceLeadFacts])
        -> (rows: [SourceReportRow], total: SourceReportRow)
    {
        let costs = Dictionary(sources.map { ($0.id, $0) }) { first, _ in first }
        var rows: [String: SourceReportRow] = [:]
        var total = SourceReportRow(name: "Total")
        for lead in leads {
            let source = lead.sourceID.flatMap { costs[$0] }
            let key = source?.id ?? ""
            var row =
                rows[key]
                ?? SourceReportRow(
                    sourceID: source?.id, name: source?.name ?? "No source",
                    vendor: source?.vendor ?? "", campaign: source?.campaign ?? "")
            add(lead, cost: source?.costPerLeadCents ?? 0, to: &row)
            add(lead, cost: source?.costPerLeadCents ?? 0, to: &total)
            rows[key] = row
        }
        let ordered = rows.values.sorted {
            if ($0.sourceID == nil) != ($1.sourceID == nil) { return $1.sourceID == nil }
            if $0.leads != $1.leads { return $0.leads > $1.leads }
            return $0.name.lowercased() < $1.name.lowercased()
        }
        return (ordered, total)
    }

    private static func add(_ lead: SourceLeadFacts, cost: Int64, to row: inout SourceReportRow) {
        row.leads += 1
        row.costCents += cost
        if SourceFunnelStage.contacted.isReached(by: lead.statuses) { row.contacted += 1 }
        if SourceFunnelStage.qualified.isReached(by: lead.statuses) { row.qualified += 1 }
        if SourceFunnelStage.enrolled.isReached(by: lead.statuses) {
            row.enrolled += 1
            row.enrolledDebtCents += lead.enrolledDebtCents
        }
    }
}
