import Fluent
import Foundation
import ReliefCore

/// Why a lead's score is what it is: its events read back and explained with the organization's
/// weights (the lead page, hot lead alerts).
struct HeatExplanations {
    let database: any Database

    /// The lead's score at `instant` explained from its stored events (the last 90 days: older
    /// ones have decayed to nothing at any half-life the settings allow). `settings` are the
    /// organization's, read here when the caller has not read them already.
    func explain(
        lead: UUID, in organizationID: UUID, at instant: Date, limit: Int = 5,
        settings: EngagementSettings.Values? = nil
    ) async throws -> HeatScoreExplanation {
        let values: EngagementSettings.Values
        if let settings {
            values = settings
        } else {
            values = try await EngagementSettings.values(in: organizationID, on: database)
        }
        let events = try await EngagementEventRecord.query(in: organizationID, on: database)
            .filter(\.$leadID == lead)
            .filter(\.$occurredAt >= instant.addingTimeInterval(-90 * 86_400))
            .sort(\.$occurredAt).all()
        return HeatScoreExplanation(
            events: events.map(\.event), weights: values.weights, halfLife: values.halfLife,
            asOf: instant, limit: limit)
    }
}
