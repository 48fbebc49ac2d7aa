import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

@Suite("Demo leads")
struct DemoLeadsTests {
    @Test("relief demo seeds 2,000 leads across 20+ states with pipeline history and consents")
    func demoLeads() async throws {
        try await withApp { app, _ in
            let result = try await DemoSeeder.seed(app)
            #expect(result.created)
            let org = try #require(
                try await Organization.query(on: app.db).filter(\.$slug == DemoSeeder.slug).first())
            let orgID = try org.requireID
            let leads = try await Lead.query(in: orgID, on: app.db).all()
            #expect(leads.count == 2_000)
            #expect(Set(leads.map(\.state)).count >= 20)
            #expect(Set(leads.compactMap(\.timeZone)).count >= 4)
            #expect(Set(leads.map(\.status)).count == LeadStatus.allCases.count)
            #expect(leads.filter { $0.ownerID == nil }.allSatisfy { $0.status == .new })
            #expect(leads.allSatisfy { $0.primaryPhone != nil && $0.timeZone != nil })
            let enrolled = leads.filter { $0.status == .enrolled }
            #expect(enrolled.allSatisfy { $0.enrolledDebtCents > 0 })

            // Every recorded status change is a move the pipeline allows, with its reason.
            let changes = try await Activity.query(in: orgID, on: app.db)
                .filter(\.$kind == .statusChange).all()
            #expect(changes.count > 1_000)
            for change in changes {
                let from = try #require(change.fromStatus.flatMap(LeadStatus.init(rawValue:)))
                let to = try #require(change.toStatus.flatMap(LeadStatus.init(rawValue:)))
                #expect(PipelineRules.allows(from, to), "\(from) → \(to)")
                if PipelineRules.requirements(for: to).contains(.reason) {
                    #expect(!(change.reason ?? "").isEmpty, "\(to) without a reason")
                }
            }
            #expect(try await Consent.query(in: orgID, on: app.db).count() > 1_000)
            #expect(try await LeadTask.query(in: orgID, on: app.db).count() > 500)
            #expect(try await LeadSource.query(in: orgID, on: app.db).count() == 8)
            #expect(try await Debt.query(in: orgID, on: app.db).count() > 4_000)
            #expect(
                try await Activity.query(in: orgID, on: app.db).filter(\.$kind == .note).count()
                    > 500)
            // Three weeks of engagement: people and some machine opens, scores rebuilt.
            let events = try await EngagementEventRecord.query(in: orgID, on: app.db).all()
            #expect(events.count > 1_000)
            #expect(events.contains { $0.machine })
            #expect(Set(events.map(\.type)).isSuperset(of: [.open, .click, .pageView, .scroll]))
            #expect(events.allSatisfy { $0.occurredAt <= app.relief.now() })
            let warm = try await Lead.query(in: orgID, on: app.db).filter(\.$heatRank != nil)
                .count()
            #expect(warm > 300)
            #expect(
                try await LandingPage.query(in: orgID, on: app.db).filter(\.$isPublished == true)
                    .count() == 1)
            #expect(!(try await DemoSeeder.seed(app)).created)
            #expect(try await Lead.query(in: orgID, on: app.db).count() == 2_000)
        }
    }
}
