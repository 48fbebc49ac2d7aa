import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// The leads an agent may call now, hottest first: the agent's open sales leads (new,
/// contacted, qualified) read in heat order through the `leads_owner_heat` index, each passed
/// through the contact gate for a manual marketing call now, until `limit` are callable. Ties
/// (and leads with no heat) go by enrollment probability, then the longest since last contact
/// (never contacted first), then the oldest lead (``CallListOrdering``). Also the managers'
/// views: a team's hottest leads and the hottest unassigned ones.
struct CallList {
    let req: Request

    /// One lead on a list.
    struct Entry: Content {
        var leadID: UUID
        var name: String
        var phone: String
        var status: String
        var heat: Double
        var enrollmentProbability: Double?
        var lastContactedAt: Date?
        var createdAt: Date?
        var ownerID: UUID?
        /// The consumer's local time now ("Tue 2:15 PM EST").
        var localTime: String
        var hot: Bool

        enum CodingKeys: String, CodingKey {
            case name, phone, status, heat, hot
            case leadID = "lead_id"
            case enrollmentProbability = "enrollment_probability"
            case lastContactedAt = "last_contacted_at"
            case createdAt = "created_at"
            case ownerID = "owner_id"
            case localTime = "local_time"
        }
    }

    /// An agent's list and what was passed over to fill it.
    struct Result: Content {
        var entries: [Entry]
        /// Leads read to fill the list.
        var examined: Int
        /// Of those, leads the gate would not let the agent call now (hours, DNC, consent, ...).
        var notCallableNow: Int

        enum CodingKeys: String, CodingKey {
            case entries, examined
            case notCallableNow = "not_callable_now"
        }
    }

    static let statuses: [LeadStatus] = [.new, .contacted, .qualified]
    /// The most leads read to fill one list.
    static let examineLimit = 2_000

    private static let columns: SQLQueryString = """
        SELECT id, first_name, last_name, primary_phone, status, heat_score, heat_as_of, heat_rank,
        enrollment_probability, last_contacted_at, created_at, owner_id, time_zone FROM leads
        """

    /// The agent's (`owner`'s) leads they may call now, at most `limit`.
    func callable(owner: UUID, limit: Int = 50) async throws -> Result {
        let organizationID = try req.principal.organizationID
        guard let sql = req.db as? any SQLDatabase else {
            return Result(entries: [], examined: 0, notCallableNow: 0)
        }
        let values = try await EngagementSettings.values(in: organizationID, on: req.db)
        let now = req.now
        let window = max(limit * 2, 50)
        let statuses = Self.statuses.map(\.rawValue)
        var entries: [Entry] = []
        var examined = 0
        var blocked = 0
        var rankCursor: Double?
        var coldOffset = 0
        var heated = true
        while entries.count < limit, examined < Self.examineLimit {
            let base: SQLQueryString = """
                \(Self.columns) WHERE owner_id = \(bind: owner) AND organization_id = \(bind: organizationID)
                AND deleted_at IS NULL AND status IN (\(binds: statuses))
                """
            let query: SQLQueryString
            if heated {
                let after: SQLQueryString =
                    rankCursor.map { " AND heat_rank < \(bind: $0)" } ?? ""
                query =
                    base + " AND heat_rank IS NOT NULL" + after
                    + " ORDER BY heat_rank DESC LIMIT \(literal: window)"
            } else {
                query =
                    base + " AND heat_rank IS NULL"
                    + " ORDER BY enrollment_probability DESC NULLS LAST, last_contacted_at ASC NULLS FIRST, created_at ASC, id ASC"
                    + " LIMIT \(literal: window) OFFSET \(literal: coldOffset)"
            }
            let rows = try await sql.raw(query).all()
            if rows.isEmpty {
                if heated {
                    heated = false
                    continue
                }
                break
            }
            examined += rows.count
            if heated {
                rankCursor = try rows.last?.decode(column: "heat_rank", as: Double?.self)
            } else {
                coldOffset += rows.count
            }
            let candidates = try rows.map { try Self.entry($0, values: values, now: now) }
            let checks = candidates.map { candidate in
                GateCheck(
                    subject: .lead(candidate.leadID),
                    request: ContactGateRequest(
                        channel: .call, purpose: .marketing, method: .manual, at: now))
            }
            let decisions = try await ComplianceService(req: req).decide(checks, record: false)
            for (candidate, result) in zip(candidates, decisions) {
                if result.decision?.verdict == .allow {
                    entries.append(candidate)
                } else {
                    blocked += 1
                }
            }
        }
        let ordering = CallListOrdering(now: now, halfLife: values.halfLife)
        let ordered = ordering.topN(limit, from: entries.map { $0.candidate(at: now) })
        let byID = Dictionary(entries.map { ($0.leadID, $0) }) { first, _ in first }
        return Result(
            entries: ordered.compactMap { byID[$0.leadID] }, examined: examined,
            notCallableNow: blocked)
    }

    /// The hottest leads of `owners` (a team), or with no owner when `owners` is nil; callable or
    /// not (the manager decides what to do with them).
    func hottest(owners: [UUID]?, limit: Int = 50) async throws -> [Entry] {
        let organizationID = try req.principal.organizationID
        guard let sql = req.db as? any SQLDatabase else { return [] }
        let values = try await EngagementSettings.values(in: organizationID, on: req.db)
        let who: SQLQueryString
        if let owners {
            guard !owners.isEmpty else { return [] }
            who = "owner_id IN (\(binds: owners))"
        } else {
            who = "owner_id IS NULL"
        }
        let rows = try await sql.raw(
            Self.columns + " WHERE " + who
                + " AND organization_id = \(bind: organizationID) AND deleted_at IS NULL"
                + " AND status IN (\(binds: Self.statuses.map(\.rawValue))) AND heat_rank IS NOT NULL"
                + " ORDER BY heat_rank DESC LIMIT \(literal: limit)"
        ).all()
        return try rows.map { try Self.entry($0, values: values, now: req.now) }
    }

    private static func entry(_ row: any SQLRow, values: EngagementSettings.Values, now: Date)
        throws -> Entry
    {
        let state = HeatScoreState(
            score: try row.decode(column: "heat_score", as: Double.self),
            asOf: try row.decode(column: "heat_as_of", as: Date?.self) ?? .distantPast)
        let heat = state.decayed(to: now, halfLife: values.halfLife)
        let phone = try row.decode(column: "primary_phone", as: String?.self)
        let localTime = DisplayDate.localTime(
            now, zone: try row.decode(column: "time_zone", as: String?.self))
        let name = [
            try row.decode(column: "first_name", as: String.self),
            try row.decode(column: "last_name", as: String.self),
        ].filter { !$0.isEmpty }.joined(separator: " ")
        return Entry(
            leadID: try row.decode(column: "id", as: UUID.self), name: name,
            phone: phone.flatMap { try? PhoneNumber.parse($0).formatted } ?? "",
            status: try row.decode(column: "status", as: String.self), heat: heat,
            enrollmentProbability: try row.decode(
                column: "enrollment_probability", as: Double?.self),
            lastContactedAt: try row.decode(column: "last_contacted_at", as: Date?.self),
            createdAt: try row.decode(column: "created_at", as: Date?.self),
            ownerID: try row.decode(column: "owner_id", as: UUID?.self), localTime: localTime,
            hot: heat >= values.hotThreshold)
    }
}

extension CallList.Entry {
    /// The entry for ``CallListOrdering`` at `now` (its heat is already decayed to `now`).
    func candidate(at now: Date) -> CallListCandidate {
        CallListCandidate(
            leadID: leadID, heat: HeatScoreState(score: heat, asOf: now),
            enrollmentProbability: enrollmentProbability, lastContactedAt: lastContactedAt,
            createdAt: createdAt ?? .distantPast)
    }
}
