import Foundation

/// A lead as the call list sees it.
public struct CallListCandidate: Sendable, Equatable {
    public var leadID: UUID
    /// The stored heat score; the ordering decays it to its `now`.
    public var heat: HeatScoreState
    /// The model's chance that the lead enrolls, 0...1; nil when there is no prediction.
    public var enrollmentProbability: Double?
    /// The last call, text or e-mail to the lead; nil when never contacted.
    public var lastContactedAt: Date?
    /// When the lead came in.
    public var createdAt: Date

    public init(
        leadID: UUID,
        heat: HeatScoreState,
        enrollmentProbability: Double?,
        lastContactedAt: Date?,
        createdAt: Date
    ) {
        self.leadID = leadID
        self.heat = heat
        self.enrollmentProbability = enrollmentProbability
        self.lastContactedAt = lastContactedAt
        self.createdAt = createdAt
    }
}

/// The order of an agent's call list at one instant, a total order:
///
/// 1. heat score decayed to ``now``, highest first;
/// 2. enrollment probability, highest first, leads without one (or with NaN) after every lead
///    with one;
/// 3. time since the last contact, longest first, leads never contacted before all others;
/// 4. lead age, oldest first;
/// 5. lead id (byte order, the order of its text form), so that equal leads always come out in
///    the same order.
public struct CallListOrdering: Sendable {
    public var now: Date
    public var halfLife: TimeInterval

    public init(now: Date, halfLife: TimeInterval = HeatScore.defaultHalfLife) {
        self.now = now
        self.halfLife = halfLife
    }

    /// Whether `left` comes before `right` on the list.
    public func precedes(_ left: CallListCandidate, _ right: CallListCandidate) -> Bool {
        Key(left, self).precedes(Key(right, self))
    }

    /// The whole list in order, decaying each heat score once.
    public func sorted(_ candidates: some Sequence<CallListCandidate>) -> [CallListCandidate] {
        candidates.map { (Key($0, self), $0) }.sorted { $0.0.precedes($1.0) }.map(\.1)
    }

    /// The first `count` leads of the list, the same as `sorted(candidates).prefix(count)`, in
    /// O(n log count) time and O(count) memory: a bounded heap rather than a full sort.
    public func topN(
        _ count: Int, from candidates: some Sequence<CallListCandidate>
    ) -> [CallListCandidate] {
        firstElements(count, of: candidates.lazy.map { (Key($0, self), $0) }) {
            $0.0.precedes($1.0)
        }.map(\.1)
    }

    /// A candidate's sort fields, with the heat score decayed once.
    private struct Key {
        let heat: Double
        let probability: Double?
        let lastContactedAt: Date?
        let createdAt: Date
        let leadID: UUID

        init(_ candidate: CallListCandidate, _ ordering: CallListOrdering) {
            heat = candidate.heat.decayed(to: ordering.now, halfLife: ordering.halfLife)
            probability = candidate.enrollmentProbability.flatMap { $0.isNaN ? nil : $0 }
            lastContactedAt = candidate.lastContactedAt
            createdAt = candidate.createdAt
            leadID = candidate.leadID
        }

        func precedes(_ other: Key) -> Bool {
            if heat != other.heat { return heat > other.heat }
            switch (probability, other.probability) {
            case (let mine?, let theirs?) where mine != theirs: return mine > theirs
            case (.some, nil): return true
            case (nil, .some): return false
            default: break
            }
            switch (lastContactedAt, other.lastContactedAt) {
            case (let mine?, let theirs?) where mine != theirs: return mine < theirs
            case (nil, .some): return true
            case (.some, nil): return false
            default: break
            }
            if createdAt != other.createdAt { return createdAt < other.createdAt }
            return withUnsafeBytes(of: leadID.uuid) { mine in
                withUnsafeBytes(of: other.leadID.uuid) { mine.lexicographicallyPrecedes($0) }
            }
        }
    }
}
