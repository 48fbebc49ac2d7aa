import Fluent
import Foundation
import ReliefCore
import Vapor

/// The lead page's engagement section: the heat score now, the one-line reason, the events that
/// contribute most (with their weights decayed to now) and the latest tracked events, machine
/// activity marked as such.
struct LeadEngagementPanel: Encodable, Sendable {
    struct Contribution: Encodable, Sendable {
        var label: String
        var when: String
        var weight: String
        var decayed: String
        /// Width of the bar, 0-100 (relative to the largest contribution).
        var share: Int
    }

    struct EventRow: Encodable, Sendable {
        var label: String
        var when: String
        var machine: Bool
        var machineReasons: String
    }

    var score: String
    var reason: String
    var halfLifeHours: String
    var hot: Bool
    var contributions: [Contribution]
    var events: [EventRow]

    static func load(_ req: Request, lead: UUID, zone: String) async throws -> LeadEngagementPanel {
        let organizationID = try req.principal.organizationID
        let values = try await EngagementSettings.values(in: organizationID, on: req.db)
        let explanation = try await HeatExplanations(database: req.db)
            .explain(lead: lead, in: organizationID, at: req.now, settings: values)
        let latest = try await EngagementEventRecord.query(in: organizationID, on: req.db)
            .filter(\.$leadID == lead).sort(\.$occurredAt, .descending).limit(10).all()
        let largest = explanation.contributions.map { abs($0.decayedWeight) }.max() ?? 0
        return LeadEngagementPanel(
            score: String(format: "%.1f", explanation.score),
            reason: explanation.reason,
            halfLifeHours: String(format: "%g", values.halfLifeHours),
            hot: explanation.score >= values.hotThreshold,
            contributions: explanation.contributions.map { contribution in
                Contribution(
                    label: label(contribution.event),
                    when: DisplayDate.string(contribution.event.occurredAt, timeZone: zone),
                    weight: String(format: "%+.1f", contribution.weight),
                    decayed: String(format: "%+.2f", contribution.decayedWeight),
                    share: largest > 0
                        ? Int((abs(contribution.decayedWeight) / largest * 100).rounded()) : 0)
            },
            events: latest.map { record in
                EventRow(
                    label: label(record.event),
                    when: DisplayDate.string(record.occurredAt, timeZone: zone),
                    machine: record.machine,
                    machineReasons: record.reasons.map(\.label).joined(separator: ", "))
            })
    }

    /// "Opened an e-mail", "Clicked example.com/pricing", "Read /p/pricing for 4 min", …
    static func label(_ event: EngagementEvent) -> String {
        switch event.type {
        case .open: return "Opened an e-mail"
        case .click:
            let target =
                event.url.flatMap { URLComponents(string: $0) }
                .map { ($0.host ?? "") + $0.path } ?? "a link"
            return "Clicked \(target)"
        case .pageView: return "Viewed \(event.pageSlug ?? "a page")"
        case .scroll: return "Scrolled \(event.pageSlug ?? "a page") to \(event.scrollDepth ?? 0) %"
        case .timeOnPage:
            let minutes = (event.seconds ?? 0) / 60
            let time = minutes > 0 ? "\(minutes) min" : "\(event.seconds ?? 0) s"
            return "Read \(event.pageSlug ?? "a page") for \(time)"
        case .formSubmit: return "Submitted the form on \(event.pageSlug ?? "a page")"
        case .inboundReply: return "Replied"
        case .callAnswered: return "Answered a call"
        case .appointmentBooked: return "Booked an appointment"
        case .unsubscribe: return "Unsubscribed"
        }
    }
}
