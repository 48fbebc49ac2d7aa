import Fluent
import Foundation
import ReliefCore
import SQLKit

/// The stored heat scores on `leads`: adding a batch of events (O(1) per event: the stored
/// score is decayed to the event and the weight added) and rebuilding scores from the event
/// history (`relief scores rebuild`), which gives the same numbers.
struct HeatScores {
    let database: any Database
    /// The instant scores are read at (alerts compare the score before and after at `now`).
    let now: Date

    /// A lead whose score rose past its organization's hot threshold.
    struct Crossing: Sendable, Equatable {
        var organizationID: UUID
        var leadID: UUID
        var ownerID: UUID?
        var name: String
        var score: Double
    }

    /// The settings of each organization in `organizations` (the standard ones where none are
    /// stored).
    static func settings(for organizations: Set<UUID>, on database: any Database) async throws
        -> [UUID: EngagementSettings.Values]
    {
        var result: [UUID: EngagementSettings.Values] = [:]
        for organization in organizations {
            result[organization] = try await EngagementSettings.values(
                in: organization, on: database)
        }
        return result
    }

    /// Adds the events with a lead to their leads' scores, in time order per lead; returns the
    /// leads that crossed their organization's hot threshold at ``now``. An event whose lead is
    /// not in the event's organization changes nothing.
    func apply(_ events: [NewEngagementEvent]) async throws -> [Crossing] {
        guard let sql = database as? any SQLDatabase else { return [] }
        var byLead: [UUID: [NewEngagementEvent]] = [:]
        for event in events {
            guard let lead = event.leadID else { continue }
            byLead[lead, default: []].append(event)
        }
        guard !byLead.isEmpty else { return [] }
        let settings = try await Self.settings(
            for: Set(events.map(\.organizationID)), on: database)
        var crossings: [Crossing] = []
        for chunk in Array(byLead.keys).chunked(into: 2_000) {
            let rows = try await sql.raw(
                """
                SELECT id, organization_id, owner_id, first_name, last_name, heat_score, heat_as_of
                FROM leads WHERE id IN (\(binds: Array(chunk))) AND deleted_at IS NULL
                """
            ).all()
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let organization = try row.decode(column: "organization_id", as: UUID.self)
                guard let values = settings[organization],
                    let leadEvents = byLead[id]?.filter({ $0.organizationID == organization }),
                    !leadEvents.isEmpty
                else { continue }
                let stored = HeatScoreState(
                    score: try row.decode(column: "heat_score", as: Double.self),
                    asOf: try row.decode(column: "heat_as_of", as: Date?.self) ?? .distantPast)
                var state = stored
                for event in leadEvents.sorted(by: { $0.event.occurredAt < $1.event.occurredAt }) {
                    state = state.adding(
                        event.event, weights: values.weights, halfLife: values.halfLife)
                }
                guard state != stored else { continue }
                try await store(state, lead: id, halfLife: values.halfLife, on: sql)
                let before = stored.decayed(to: now, halfLife: values.halfLife)
                let after = state.decayed(to: now, halfLife: values.halfLife)
                if before < values.hotThreshold, after >= values.hotThreshold {
                    let name = [
                        try row.decode(column: "first_name", as: String.self),
                        try row.decode(column: "last_name", as: String.self),
                    ].filter { !$0.isEmpty }.joined(separator: " ")
                    crossings.append(
                        Crossing(
                            organizationID: organization, leadID: id,
                            ownerID: try row.decode(column: "owner_id", as: UUID?.self),
                            name: name, score: after))
                }
            }
        }
        return crossings
    }

    /// Recomputes the scores of one organization's leads from their stored events: `leadIDs`,
    /// or every lead with events or a score. Returns how many leads were written.
    @discardableResult
    func rebuild(organizationID: UUID, leadIDs: [UUID]? = nil) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { return 0 }
        let values = try await EngagementSettings.values(in: organizationID, on: database)
        var ids = leadIDs
        if ids == nil {
            let rows = try await sql.raw(
                """
                SELECT id FROM leads WHERE organization_id = \(bind: organizationID)
                AND (heat_as_of IS NOT NULL OR id IN (SELECT lead_id FROM engagement_events
                WHERE organization_id = \(bind: organizationID) AND lead_id IS NOT NULL))
                """
            ).all()
            ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        }
        var written = 0
        for chunk in (ids ?? []).chunked(into: 500) {
            let events = try await EngagementEventRecord.query(in: organizationID, on: database)
                .filter(\.$leadID ~~ chunk).sort(\.$occurredAt).all()
            let byLead = Dictionary(grouping: events) { $0.leadID }
            for lead in chunk {
                let state = HeatScore.rebuild(
                    events: (byLead[lead] ?? []).map(\.event), weights: values.weights,
                    halfLife: values.halfLife, asOf: now)
                try await store(
                    state.score > 0 ? state : HeatScoreState(score: 0, asOf: now), lead: lead,
                    halfLife: values.halfLife, on: sql, organizationID: organizationID)
                written += 1
            }
        }
        return written
    }

    private func store(
        _ state: HeatScoreState, lead: UUID, halfLife: TimeInterval, on sql: any SQLDatabase,
        organizationID: UUID? = nil
    ) async throws {
        let asOf: Date? = state.asOf == .distantPast ? nil : state.asOf
        var query: SQLQueryString = """
            UPDATE leads SET heat_score = \(bind: state.score), heat_as_of = \(bind: asOf),
            heat_rank = \(bind: HeatRank.of(state, halfLife: halfLife)) WHERE id = \(bind: lead)
            """
        if let organizationID { query = query + " AND organization_id = \(bind: organizationID)" }
        try await sql.raw(query).run()
    }
}
