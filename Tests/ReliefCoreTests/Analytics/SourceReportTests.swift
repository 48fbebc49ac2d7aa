import ReliefCore
import Testing

@Suite("Sources report")
struct SourceReportTests {
    @Test("funnel stages come from every status a lead has had")
    func stages() {
        #expect(SourceFunnelStage.contacted.isReached(by: [.notInterested]))
        #expect(!SourceFunnelStage.contacted.isReached(by: [.new, .unreachable]))
        #expect(SourceFunnelStage.qualified.isReached(by: [.new, .qualified, .unqualified]))
        #expect(SourceFunnelStage.enrolled.isReached(by: [.cancelled]))
        #expect(!SourceFunnelStage.enrolled.isReached(by: [.qualified, .doNotContact]))
    }

    @Test("counts, enrolled debt, cost and cost per enrollment per source, with a total")
    func report() {
        let sources = [
            SourceCost(
                id: "fb", name: "Facebook", vendor: "Meta", campaign: "Spring",
                costPerLeadCents: 4_500),
            SourceCost(
                id: "radio", name: "Radio", vendor: "", campaign: "", costPerLeadCents: 1_000),
            SourceCost(id: "idle", name: "Idle", vendor: "", campaign: "", costPerLeadCents: 999),
        ]
        let leads = [
            SourceLeadFacts(sourceID: "fb", statuses: [.new], enrolledDebtCents: 0),
            SourceLeadFacts(
                sourceID: "fb", statuses: [.contacted, .notInterested],
                enrolledDebtCents: 0),
            SourceLeadFacts(
                sourceID: "fb", statuses: [.contacted, .qualified, .enrolled],
                enrolledDebtCents: 2_000_000),
            SourceLeadFacts(
                sourceID: "radio", statuses: [.enrolled, .cancelled],
                enrolledDebtCents: 500_000),
            SourceLeadFacts(sourceID: nil, statuses: [.unreachable], enrolledDebtCents: 0),
            SourceLeadFacts(sourceID: "gone", statuses: [.qualified], enrolledDebtCents: 0),
        ]
        let (rows, total) = SourceReport.build(sources: sources, leads: leads)
        #expect(rows.map(\.name) == ["Facebook", "Radio", "No source"])
        let facebook = rows[0]
        #expect(facebook.leads == 3)
        #expect(facebook.contacted == 2)
        #expect(facebook.qualified == 1)
        #expect(facebook.enrolled == 1)
        #expect(facebook.enrolledDebtCents == 2_000_000)
        #expect(facebook.costCents == 13_500)
        #expect(facebook.costPerEnrollmentCents == 13_500)
        #expect(facebook.vendor == "Meta")
        #expect(rows[1].costPerEnrollmentCents == 1_000)
        #expect(rows[2].leads == 2, "unknown sources count as no source")
        #expect(rows[2].costPerEnrollmentCents == nil)
        #expect(total.leads == 6)
        #expect(total.enrolled == 2)
        #expect(total.costCents == 14_500)
        #expect(total.costPerEnrollmentCents == 7_250)
        #expect(total.enrolledDebtCents == 2_500_000)
    }
}
