import Foundation

/// How much each kind of engagement warms a lead, per organization.
///
/// The defaults rank events by the intent they show:
///
/// | event | weight | why |
/// |---|---|---|
/// | open | 1 | the weakest signal: previews and privacy proxies open mail too |
/// | page view | 2 | the lead came to a landing page |
/// | scroll to 75 % or more | 2 | the lead went through most of the page |
/// | click | 3 | a deliberate step towards us |
/// | 120 s or more on a page | 4 | the lead read the page |
/// | call answered | 6 | a live conversation |
/// | inbound reply | 8 | the lead wrote back |
/// | form submitted | 10 | the lead asked for contact or gave details |
/// | appointment booked | 12 | the strongest intent short of enrolling |
/// | unsubscribe | −5 | the lead is cooling; the score reads as 0 rather than below it |
///
/// Scrolls shallower than ``deepScrollDepth`` and visits shorter than ``longReadSeconds`` weigh
/// nothing, and neither does any machine event. Weights should be finite; a weight that is not
/// (NaN or infinity) counts as 0 so that one bad setting cannot poison every score.
public struct HeatWeights: Sendable, Equatable {
    /// The weights above, with 75 % and 120 s as the thresholds.
    public static let standard = HeatWeights()

    public var open: Double
    public var click: Double
    public var pageView: Double
    /// The weight of a scroll to at least ``deepScrollDepth`` percent.
    public var deepScroll: Double
    /// The weight of at least ``longReadSeconds`` on a page.
    public var longRead: Double
    public var formSubmit: Double
    public var inboundReply: Double
    public var callAnswered: Double
    public var appointmentBooked: Double
    public var unsubscribe: Double
    /// The least scroll depth, in percent, that counts.
    public var deepScrollDepth: Int
    /// The least time on a page, in seconds, that counts.
    public var longReadSeconds: Int

    public init(
        open: Double = 1,
        click: Double = 3,
        pageView: Double = 2,
        deepScroll: Double = 2,
        longRead: Double = 4,
        formSubmit: Double = 10,
        inboundReply: Double = 8,
        callAnswered: Double = 6,
        appointmentBooked: Double = 12,
        unsubscribe: Double = -5,
        deepScrollDepth: Int = 75,
        longReadSeconds: Int = 120
    ) {
        self.open = open
        self.click = click
        self.pageView = pageView
        self.deepScroll = deepScroll
        self.longRead = longRead
        self.formSubmit = formSubmit
        self.inboundReply = inboundReply
        self.callAnswered = callAnswered
        self.appointmentBooked = appointmentBooked
        self.unsubscribe = unsubscribe
        self.deepScrollDepth = deepScrollDepth
        self.longReadSeconds = longReadSeconds
    }

    /// The weight `event` adds to the score at the instant it happened: 0 for a machine event, a
    /// scroll without a depth or shallower than ``deepScrollDepth``, and a time on page without
    /// seconds or shorter than ``longReadSeconds``.
    public func weight(for event: EngagementEvent) -> Double {
        guard !event.machine else { return 0 }
        let weight: Double
        switch event.type {
        case .open: weight = open
        case .click: weight = click
        case .pageView: weight = pageView
        case .scroll: weight = (event.scrollDepth ?? 0) >= deepScrollDepth ? deepScroll : 0
        case .timeOnPage: weight = (event.seconds ?? 0) >= longReadSeconds ? longRead : 0
        case .formSubmit: weight = formSubmit
        case .inboundReply: weight = inboundReply
        case .callAnswered: weight = callAnswered
        case .appointmentBooked: weight = appointmentBooked
        case .unsubscribe: weight = unsubscribe
        }
        return weight.isFinite ? weight : 0
    }
}

/// A lead's heat score as stored: the score at one instant. Reading it later decays it
/// exponentially, and adding an event is O(1), so the stored pair never needs the lead's
/// history again.
///
/// ``score`` is kept as summed, and may be negative after an unsubscribe so that later events
/// start from the right place; every read (``decayed(to:halfLife:)``) treats a value below 0 as 0.
public struct HeatScoreState: Sendable, Codable, Equatable {
    /// A lead with no engagement.
    public static let empty = HeatScoreState(score: 0, asOf: .distantPast)

    /// The score at ``asOf``, before the floor at 0.
    public var score: Double
    public var asOf: Date

    public init(score: Double, asOf: Date) {
        self.score = score
        self.asOf = asOf
    }

    /// The score at `instant`: `score × 2^(−(instant − asOf) / halfLife)`, at least 0. An
    /// instant before ``asOf`` reads the score at ``asOf``: a score never grows by going back.
    public func decayed(
        to instant: Date, halfLife: TimeInterval = HeatScore.defaultHalfLife
    ) -> Double {
        max(0, unfloored(at: instant, halfLife: halfLife))
    }

    /// The state after an event of `weight` at `instant`. An instant at or after ``asOf`` moves
    /// the state there; an earlier one (an event that arrives late) adds the weight as decayed
    /// to ``asOf``, which is the same score the events would have given in time order.
    public func adding(
        weight: Double, at instant: Date, halfLife: TimeInterval = HeatScore.defaultHalfLife
    ) -> HeatScoreState {
        if instant >= asOf {
            return HeatScoreState(
                score: unfloored(at: instant, halfLife: halfLife) + weight, asOf: instant)
        }
        let decay = HeatScore.decayFactor(asOf.timeIntervalSince(instant), halfLife: halfLife)
        return HeatScoreState(score: score + weight * decay, asOf: asOf)
    }

    /// The state after `event`, weighed by `weights`; an event that weighs nothing leaves the
    /// state as it is.
    public func adding(
        _ event: EngagementEvent,
        weights: HeatWeights = .standard,
        halfLife: TimeInterval = HeatScore.defaultHalfLife
    ) -> HeatScoreState {
        let weight = weights.weight(for: event)
        guard weight != 0 else { return self }
        return adding(weight: weight, at: event.occurredAt, halfLife: halfLife)
    }

    /// The score at `instant` without the floor; ``score`` itself before ``asOf``.
    func unfloored(at instant: Date, halfLife: TimeInterval) -> Double {
        guard instant > asOf else { return score }
        return score * HeatScore.decayFactor(instant.timeIntervalSince(asOf), halfLife: halfLife)
    }
}

/// The heat score: how warm a lead is now, from the weighted engagement events of its timeline,
/// each decaying by half every `halfLife` (3 days by default).
public enum HeatScore {
    /// Three days, in seconds.
    public static let defaultHalfLife: TimeInterval = 259_200

    /// The state at `asOf` from a lead's whole history: the events up to `asOf` (later ones are
    /// left out) folded in time order, as ``HeatScoreState/adding(_:weights:halfLife:)`` does one
    /// at a time, then decayed to `asOf`. Events at the same instant keep their input order.
    public static func rebuild(
        events: some Sequence<EngagementEvent>,
        weights: HeatWeights = .standard,
        halfLife: TimeInterval = defaultHalfLife,
        asOf: Date
    ) -> HeatScoreState {
        let ordered = events.filter { $0.occurredAt <= asOf }
            .sorted { $0.occurredAt < $1.occurredAt }
        var state = HeatScoreState.empty
        for event in ordered {
            state = state.adding(event, weights: weights, halfLife: halfLife)
        }
        return HeatScoreState(score: state.unfloored(at: asOf, halfLife: halfLife), asOf: asOf)
    }

    /// `2^(−elapsed / halfLife)`: what is left of a weight after `elapsed` seconds.
    /// `halfLife` must be positive and finite.
    static func decayFactor(_ elapsed: TimeInterval, halfLife: TimeInterval) -> Double {
        precondition(halfLife > 0 && halfLife.isFinite, "the half-life must be positive")
        return exp2(-elapsed / halfLife)
    }
}
