import Fluent
import Foundation
import ReliefCore
import Vapor

/// The organization's caller id pool: numbers with their daily and 7-day counts, the health
/// review (rest at the daily cap, flag a number answered far less than the pool), the pick for
/// a lead (area code, then state, then time zone, spreading use), and a manager's restore.
struct CallerIDPoolService {
    let context: ComplianceContext

    init(req: Request) throws { context = try ComplianceContext(req: req) }
    init(context: ComplianceContext) { self.context = context }

    /// A number with its counts.
    struct Entry {
        var number: CallerIDNumber
        var candidate: CallerIDCandidate
    }

    /// The pool, after applying the health review, ordered by phone number.
    func entries() async throws -> [Entry] {
        try await review()
    }

    func add(phone: String, dailyCap: Int?) async throws -> CallerIDNumber {
        let e164 = try InternalDNCList.e164(phone)
        let cap = dailyCap ?? 100
        guard (1...10_000).contains(cap) else {
            throw ValidationFailure(fields: ["daily_cap": "Between 1 and 10000 calls a day."])
        }
        if try await CallerIDNumber.query(in: context.organizationID, on: context.database)
            .filter(\.$e164 == e164).first() != nil
        {
            throw ValidationFailure(fields: ["phone": "\(e164) is already in the pool."])
        }
        let geo = context.services.geo
        let areaCode = String(e164.dropFirst(2).prefix(3))
        let entry = geo.areaCodes.entry(areaCode)
        let number = CallerIDNumber()
        number.organizationID = context.organizationID
        number.e164 = e164
        number.areaCode = areaCode
        number.state = entry?.state
        number.timeZone = entry?.timeZones.first
        number.health = .healthy
        number.healthReason = "Added by \(context.actor.label)"
        number.dailyCap = cap
        try await number.create(on: context.database)
        try await context.audit(
            "compliance.caller_id_added", entityType: "caller_id", entityID: number.id,
            details: ["phone": e164, "daily_cap": String(cap)])
        return number
    }

    /// Picks the number to call the lead from and counts the call against it; nil when every
    /// number is resting or flagged.
    func pick(for lead: Lead) async throws -> CallerIDPick? {
        let pool = try await review()
        let areaCode = lead.primaryPhone.flatMap { try? PhoneNumber.parse($0) }?.areaCode
        let zones =
            [lead.zipTimeZone].compactMap { $0 }
            + lead.phoneTimeZones.split(separator: " ").map(String.init)
        guard
            let pick = CallerIDPicker.pick(
                leadAreaCode: areaCode, leadState: lead.state.isEmpty ? nil : lead.state,
                leadTimeZones: zones, from: pool.map(\.candidate))
        else { return nil }
        guard let number = pool.first(where: { $0.number.id == pick.candidate.id })?.number else {
            return nil
        }
        try await count(number, answered: nil)
        return pick
    }

    /// Records a call's outcome on a number (answered or not), for the answer rate.
    func recordCall(_ id: UUID, answered: Bool) async throws -> CallerIDNumber {
        guard
            let number = try await CallerIDNumber.find(
                id, in: context.organizationID, on: context.database)
        else { throw Abort(.notFound, reason: "No such caller id.") }
        try await count(number, answered: answered)
        try await review()
        return number
    }

    /// A manager's restore of a flagged (or resting) number.
    func restore(_ id: UUID) async throws -> CallerIDNumber {
        guard
            let number = try await CallerIDNumber.find(
                id, in: context.organizationID, on: context.database)
        else { throw Abort(.notFound, reason: "No such caller id.") }
        let previous = number.health
        number.health = .healthy
        number.healthReason = "Restored by \(context.actor.label)"
        number.restoredAt = context.now
        try await number.save(on: context.database)
        try await context.audit(
            "compliance.caller_id_restored", entityType: "caller_id", entityID: number.id,
            details: ["phone": number.e164, "from": previous.rawValue])
        return number
    }

    /// Applies the pool's health review and returns the pool as it now stands.
    @discardableResult
    func review() async throws -> [Entry] {
        var pool = try await load()
        let changes = CallerIDPicker.review(pool.map(\.candidate))
        for change in changes {
            guard let index = pool.firstIndex(where: { $0.number.id == change.id }) else {
                continue
            }
            let number = pool[index].number
            // A manager's restore holds for a week of fresh counts.
            if change.to == .flagged, let restored = number.restoredAt,
                context.now.timeIntervalSince(restored) < 7 * 86_400
            {
                continue
            }
            number.health = change.to
            number.healthReason = change.reason
            pool[index].candidate.health = change.to
            try await number.save(on: context.database)
            if change.to == .flagged {
                try await context.audit(
                    "compliance.caller_id_flagged", entityType: "caller_id", entityID: number.id,
                    details: ["phone": number.e164, "reason": change.reason])
            }
        }
        return pool
    }

    /// Adds one call (and an answer) to today's count.
    private func count(_ number: CallerIDNumber, answered: Bool?) async throws {
        let numberID = try number.requireID()
        let today = Self.day(context.now)
        let row =
            try await CallerIDDay.query(in: context.organizationID, on: context.database)
            .filter(\.$callerID == numberID).filter(\.$day == today).first()
            ?? {
                let day = CallerIDDay()
                day.organizationID = context.organizationID
                day.callerID = numberID
                day.day = today
                day.calls = 0
                day.answered = 0
                return day
            }()
        if let answered {
            // The outcome of a call already counted by the pick.
            if answered { row.answered += 1 }
            if row.calls < row.answered { row.calls = row.answered }
        } else {
            row.calls += 1
            number.lastUsedAt = context.now
            try await number.save(on: context.database)
        }
        try await row.save(on: context.database)
    }

    private func load() async throws -> [Entry] {
        let numbers = try await CallerIDNumber.query(
            in: context.organizationID, on: context.database
        )
        .sort(\.$e164).all()
        let today = Self.day(context.now)
        let weekAgo = Self.day(context.now.addingTimeInterval(-6 * 86_400))
        let days = try await CallerIDDay.query(in: context.organizationID, on: context.database)
            .filter(\.$day >= weekAgo).all()
        return numbers.map { number in
            let own = days.filter { $0.callerID == number.id }
            let candidate = CallerIDCandidate(
                id: number.id!, nationalDigits: String(number.e164.dropFirst(2)),
                areaCode: number.areaCode, state: number.state, timeZone: number.timeZone,
                health: number.health,
                callsToday: own.filter { $0.day == today }.reduce(0) { $0 + $1.calls },
                dailyCap: number.dailyCap, calls7Days: own.reduce(0) { $0 + $1.calls },
                answered7Days: own.reduce(0) { $0 + $1.answered }, lastUsedAt: number.lastUsedAt)
            return Entry(number: number, candidate: candidate)
        }
    }

    /// "2026-11-25" (UTC).
    static func day(_ instant: Date) -> String {
        CalendarDate(instant, in: .gmt).description
    }
}
