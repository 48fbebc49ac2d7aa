import ReliefCore
import Testing

@Suite("Pipeline rules")
struct PipelineRulesTests {
    @Test("the main path moves forward one stage at a time")
    func mainPath() {
        #expect(PipelineRules.allows(.new, .contacted))
        #expect(PipelineRules.allows(.contacted, .qualified))
        #expect(PipelineRules.allows(.qualified, .enrolled))
        #expect(PipelineRules.allows(.enrolled, .settled))
        #expect(!PipelineRules.allows(.new, .enrolled))
        #expect(!PipelineRules.allows(.contacted, .settled))
    }

    @Test("every status has an entry, and no status lists itself")
    func tableIsComplete() {
        for status in LeadStatus.allCases {
            let targets = PipelineRules.transitions[status]
            #expect(targets?.contains(status) == false, "\(status)")
            #expect(targets?.isEmpty == false, "\(status)")
        }
    }

    @Test("only an enrolled client can be cancelled")
    func cancellation() {
        for status in LeadStatus.allCases where status != .enrolled {
            #expect(!PipelineRules.allows(status, .cancelled), "\(status)")
        }
        #expect(PipelineRules.allows(.enrolled, .cancelled))
    }

    @Test("unqualified and cancelled need a reason")
    func reasonRequired() {
        let noReason = TransitionFacts(reason: "  ", enrolledDebtCount: 1)
        #expect(
            PipelineRules.problems(from: .contacted, to: .unqualified, facts: noReason)
                == [TransitionProblem(field: "reason", message: "Give a reason for Unqualified.")])
        #expect(
            PipelineRules.problems(from: .enrolled, to: .cancelled, facts: noReason).map(\.field)
                == ["reason"])
        let withReason = TransitionFacts(reason: "DTI above plan maximum", enrolledDebtCount: 0)
        #expect(
            PipelineRules.problems(from: .contacted, to: .unqualified, facts: withReason).isEmpty)
    }

    @Test("enrolling needs at least one enrolled debt")
    func enrolledDebtRequired() {
        let none = TransitionFacts(reason: nil, enrolledDebtCount: 0)
        #expect(
            PipelineRules.problems(from: .qualified, to: .enrolled, facts: none).map(\.field)
                == ["debts"])
        let one = TransitionFacts(reason: nil, enrolledDebtCount: 1)
        #expect(PipelineRules.problems(from: .qualified, to: .enrolled, facts: one).isEmpty)
    }

    @Test("a move outside the table or to the same status is refused with a message")
    func refusedMoves() {
        let facts = TransitionFacts(reason: "x", enrolledDebtCount: 1)
        #expect(
            PipelineRules.problems(from: .new, to: .settled, facts: facts)
                == [
                    TransitionProblem(
                        field: "status", message: "A lead cannot move from New to Settled.")
                ])
        #expect(
            PipelineRules.problems(from: .new, to: .new, facts: facts).first?.message
                == "The lead is already New.")
    }

    @Test("board order is the main path, then the closed statuses")
    func ordering() {
        #expect(LeadStatus.allCases.sorted() == LeadStatus.mainPath + LeadStatus.closedLost)
        #expect(LeadStatus.enrolled.isClient && LeadStatus.settled.isClient)
        #expect(!LeadStatus.qualified.isClient)
    }
}
