import Fluent
import Foundation
import ReliefCore

/// One tracked engagement event. Append-only: the ingest writes rows, a later machine verdict
/// (every link of a message clicked at once) may flag earlier clicks, nothing else changes them.
final class EngagementEventRecord: Model, TenantScoped, @unchecked Sendable {
    static let schema = "engagement_events"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "lead_id") var leadID: UUID?
    /// The landing page visitor's first-party id, for visitors not yet tied to a lead.
    @OptionalField(key: "visitor_id") var visitorID: String?
    @Enum(key: "type") var type: EngagementEventType
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "message_id") var messageID: String?
    /// The landing page path (`/p/pricing`).
    @OptionalField(key: "page") var page: String?
    @OptionalField(key: "url") var url: String?
    @OptionalField(key: "scroll_depth") var scrollDepth: Int?
    @OptionalField(key: "seconds") var seconds: Int?
    /// The client address, sealed (personal data).
    @OptionalField(key: "ip_sealed") var ipSealed: String?
    @Field(key: "user_agent") var userAgent: String
    @Field(key: "machine") var machine: Bool
    /// Comma-separated ``MachineActivityReason`` codes; empty for a person.
    @Field(key: "machine_reasons") var machineReasons: String
    @Field(key: "received_at") var receivedAt: Date

    init() {}

    static func scoped(_ query: QueryBuilder<EngagementEventRecord>, to organizationID: UUID)
        -> QueryBuilder<EngagementEventRecord>
    {
        query.filter(\.$organizationID == organizationID)
    }

    /// The event as the heat score reads it.
    var event: EngagementEvent {
        EngagementEvent(
            type: type, occurredAt: occurredAt, scrollDepth: scrollDepth, seconds: seconds,
            machine: machine, messageID: messageID, pageSlug: page, url: url)
    }

    var reasons: [MachineActivityReason] {
        machineReasons.split(separator: ",").compactMap {
            MachineActivityReason(rawValue: String($0))
        }
    }
}

/// An event on its way from a tracking endpoint to `engagement_events` (written in batches).
struct NewEngagementEvent: BulkInsertable {
    static let bulkTable = EngagementEventRecord.schema
    static let bulkColumns = [
        "id", "organization_id", "lead_id", "visitor_id", "type", "occurred_at", "message_id",
        "page", "url", "scroll_depth", "seconds", "ip_sealed", "user_agent", "machine",
        "machine_reasons", "received_at",
    ]
    var id = UUID()
    var organizationID: UUID
    var leadID: UUID?
    var visitorID: String?
    var event: EngagementEvent
    var ipSealed: String?
    var userAgent: String
    var reasons: [MachineActivityReason]

    func appendBulkValues(to values: inout [BulkValue], now: Date) {
        values.append(.uuid(id))
        values.append(.uuid(organizationID))
        values.append(BulkValue(leadID))
        values.append(BulkValue(visitorID))
        values.append(.text(event.type.rawValue))
        values.append(.date(event.occurredAt))
        values.append(BulkValue(event.messageID))
        values.append(BulkValue(event.pageSlug))
        values.append(BulkValue(event.url))
        values.append(BulkValue(event.scrollDepth))
        values.append(BulkValue(event.seconds))
        values.append(BulkValue(ipSealed))
        values.append(.text(userAgent))
        values.append(.bool(event.machine))
        values.append(.text(reasons.map(\.rawValue).joined(separator: ",")))
        values.append(.date(now))
    }
}

/// An organization's heat score settings: the half-life, the "hot lead" threshold and the
/// weight of each kind of event. Organizations without a row use ``EngagementSettings/Values/standard``.
final class EngagementSettings: Model, TenantScoped, @unchecked Sendable {
    static let schema = "engagement_settings"

    /// The settings as the scoring code reads them.
    struct Values: Sendable, Equatable {
        static let standard = Values(
            halfLifeHours: 72, hotThreshold: 10, weights: .standard)
        var halfLifeHours: Double
        /// A lead whose score rises past this is "hot": its owner is alerted.
        var hotThreshold: Double
        var weights: HeatWeights
        var halfLife: TimeInterval { halfLifeHours * 3_600 }
    }

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "half_life_hours") var halfLifeHours: Double
    @Field(key: "hot_threshold") var hotThreshold: Double
    /// JSON: ``StoredWeights``.
    @Field(key: "weights") var weights: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    static func scoped(_ query: QueryBuilder<EngagementSettings>, to organizationID: UUID)
        -> QueryBuilder<EngagementSettings>
    {
        query.filter(\.$organizationID == organizationID)
    }

    var values: Values {
        let stored = (try? JSONDecoder().decode(StoredWeights.self, from: Data(weights.utf8)))
        return Values(
            halfLifeHours: halfLifeHours, hotThreshold: hotThreshold,
            weights: stored?.heatWeights ?? .standard)
    }
}

/// The weights as stored and edited: one number per event type, plus the two thresholds.
struct StoredWeights: Codable, Sendable, Equatable {
    var weights: [String: Double]
    var deepScrollDepth: Int
    var longReadSeconds: Int

    enum CodingKeys: String, CodingKey {
        case weights
        case deepScrollDepth = "deep_scroll_depth"
        case longReadSeconds = "long_read_seconds"
    }

    init(_ weights: HeatWeights) {
        self.weights = Dictionary(
            uniqueKeysWithValues: EngagementEventType.allCases.map {
                ($0.rawValue, weights[$0])
            })
        deepScrollDepth = weights.deepScrollDepth
        longReadSeconds = weights.longReadSeconds
    }

    var heatWeights: HeatWeights {
        var result = HeatWeights(
            deepScrollDepth: deepScrollDepth, longReadSeconds: longReadSeconds)
        for type in EngagementEventType.allCases {
            if let weight = weights[type.rawValue], weight.isFinite { result[type] = weight }
        }
        return result
    }
}

extension HeatWeights {
    /// The weight of one kind of event (a scroll's and a visit's only past their thresholds).
    subscript(type: EngagementEventType) -> Double {
        get {
            switch type {
            case .open: open
            case .click: click
            case .pageView: pageView
            case .scroll: deepScroll
            case .timeOnPage: longRead
            case .formSubmit: formSubmit
            case .inboundReply: inboundReply
            case .callAnswered: callAnswered
            case .appointmentBooked: appointmentBooked
            case .unsubscribe: unsubscribe
            }
        }
        set {
            switch type {
            case .open: open = newValue
            case .click: click = newValue
            case .pageView: pageView = newValue
            case .scroll: deepScroll = newValue
            case .timeOnPage: longRead = newValue
            case .formSubmit: formSubmit = newValue
            case .inboundReply: inboundReply = newValue
            case .callAnswered: callAnswered = newValue
            case .appointmentBooked: appointmentBooked = newValue
            case .unsubscribe: unsubscribe = newValue
            }
        }
    }
}

/// The call list's sort key for a stored heat score. Every organization's scores decay with one
/// half-life `h`, so `score × 2^(−(t − asOf)/h)` at any instant `t` orders the same as
/// `log2(score) + asOf/h`: an index on this column gives the hottest leads at any time without
/// recomputing anything. A score of 0 or less has no rank (nil sorts last).
enum HeatRank {
    static func of(_ state: HeatScoreState, halfLife: TimeInterval) -> Double? {
        guard state.score > 0, state.asOf != .distantPast else { return nil }
        return log2(state.score) + state.asOf.timeIntervalSince1970 / halfLife
    }
}

extension EngagementSettings {
    /// The organization's settings, or the standard ones.
    static func values(in organizationID: UUID, on database: any Database) async throws -> Values {
        try await query(in: organizationID, on: database).first()?.values ?? .standard
    }
}

extension Lead {
    /// The stored heat score.
    var heatState: HeatScoreState {
        HeatScoreState(score: heatScore, asOf: heatAsOf ?? .distantPast)
    }

    /// The heat score at `instant` (the stored one decayed).
    func heat(at instant: Date, halfLife: TimeInterval) -> Double {
        heatState.decayed(to: instant, halfLife: halfLife)
    }
}
