import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// The numbers behind `/app/compliance`, each from one aggregate query (never by loading the
/// decisions themselves): decisions per day by verdict, totals by reason code, opt-outs, DNC
/// hits, flags waiting for review, registry freshness and the caller id pool's health.
struct ComplianceDashboard {
    /// Days shown by the chart and counted by the totals.
    static let days = 30

    let database: any Database
    let organizationID: UUID
    let now: Date
    /// The organization's zone: days start at its midnight.
    let timeZone: TimeZone

    init(req: Request) throws {
        database = req.db
        organizationID = try req.principal.organizationID
        now = req.now
        timeZone = req.organizationTimeZone
    }

    init(database: any Database, organizationID: UUID, now: Date, timeZone: TimeZone) {
        self.database = database
        self.organizationID = organizationID
        self.now = now
        self.timeZone = timeZone
    }

    private var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "The compliance dashboard needs SQL.")
            }
            return sql
        }
    }

    /// The starts of the last ``days`` days (oldest first) and the start of tomorrow.
    func dayBoundaries() -> [Date] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        return (0...Self.days).map {
            calendar.date(byAdding: .day, value: $0 - Self.days + 1, to: today)!
        }
    }

    /// Decisions per day and verdict: `counts[verdict][day]`, days oldest first.
    func decisionsPerDay(boundaries: [Date]) async throws -> [GateVerdict: [Int]] {
        var bucket: SQLQueryString = "CASE"
        for index in 1..<boundaries.count - 1 {
            bucket += " WHEN decided_at < \(bind: boundaries[index]) THEN \(literal: index - 1)"
        }
        bucket += " ELSE \(literal: boundaries.count - 2) END"
        let rows = try await sql.raw(
            """
            SELECT bucket, verdict, COUNT(*) AS decisions FROM (
              SELECT \(bucket) AS bucket, verdict FROM contact_decisions
              WHERE organization_id = \(bind: organizationID)
              AND decided_at >= \(bind: boundaries[0])
              AND decided_at < \(bind: boundaries[boundaries.count - 1])
            ) counted GROUP BY bucket, verdict
            """
        ).all()
        var counts: [GateVerdict: [Int]] = [:]
        for verdict in GateVerdict.allCases {
            counts[verdict] = Array(repeating: 0, count: boundaries.count - 1)
        }
        for row in rows {
            guard
                let verdict = GateVerdict(
                    rawValue: try row.decode(column: "verdict", as: String.self))
            else { continue }
            let index = try row.decode(column: "bucket", as: Int.self)
            guard counts[verdict]!.indices.contains(index) else { continue }
            counts[verdict]![index] += try row.decode(column: "decisions", as: Int.self)
        }
        return counts
    }

    /// Decisions since `start`: the total, per verdict and per reason code (a decision with two
    /// reasons counts for both).
    struct Totals {
        var decisions = 0
        var verdicts: [GateVerdict: Int] = [:]
        var reasons: [GateReasonCode: Int] = [:]

        /// Decisions refused for a DNC list (national, state or internal).
        var dncHits = 0
    }

    func totals(since start: Date) async throws -> Totals {
        var columns: SQLQueryString = "COUNT(*) AS decisions"
        for verdict in GateVerdict.allCases {
            columns +=
                ", COALESCE(SUM(CASE WHEN verdict = \(bind: verdict.rawValue) THEN 1 ELSE 0 END), 0) AS \(ident: "v_" + verdict.rawValue)"
        }
        for code in GateReasonCode.allCases {
            columns +=
                ", COALESCE(SUM(CASE WHEN reason_codes LIKE \(bind: "% \(code.rawValue) %") THEN 1 ELSE 0 END), 0) AS \(ident: "r_" + code.rawValue)"
        }
        let dnc = Self.dncCodes.map { "% \($0.rawValue) %" }
        columns +=
            ", COALESCE(SUM(CASE WHEN reason_codes LIKE \(bind: dnc[0]) OR reason_codes LIKE \(bind: dnc[1]) OR reason_codes LIKE \(bind: dnc[2]) THEN 1 ELSE 0 END), 0) AS dnc_hits"
        let row = try await sql.raw(
            """
            SELECT \(columns) FROM contact_decisions
            WHERE organization_id = \(bind: organizationID) AND decided_at >= \(bind: start)
            """
        ).first()
        var totals = Totals()
        guard let row else { return totals }
        totals.decisions = try row.decode(column: "decisions", as: Int.self)
        for verdict in GateVerdict.allCases {
            totals.verdicts[verdict] = try row.decode(
                column: "v_" + verdict.rawValue, as: Int.self)
        }
        for code in GateReasonCode.allCases {
            totals.reasons[code] = try row.decode(column: "r_" + code.rawValue, as: Int.self)
        }
        totals.dncHits = try row.decode(column: "dnc_hits", as: Int.self)
        return totals
    }

    /// The reason codes of the do-not-call lists.
    static let dncCodes: [GateReasonCode] = [.nationalDNC, .stateDNC, .internalDNC]

    /// The latest decisions refused for a DNC list.
    func recentDNCHits(limit: Int = 8) async throws -> [ContactDecisionRecord] {
        try await ContactDecisionRecord.query(in: organizationID, on: database)
            .group(.or) { group in
                for code in Self.dncCodes {
                    group.filter(\.$reasonCodes ~~ " \(code.rawValue) ")
                }
            }
            .sort(\.$decidedAt, .descending).limit(limit).all()
    }

    /// Caller ids per health, and calls placed today (UTC day, as the pool counts).
    func callerIDHealth() async throws -> (counts: [CallerIDHealth: Int], callsToday: Int) {
        let rows = try await sql.raw(
            """
            SELECT health, COUNT(*) AS numbers FROM caller_ids
            WHERE organization_id = \(bind: organizationID) GROUP BY health
            """
        ).all()
        var counts: [CallerIDHealth: Int] = [:]
        for row in rows {
            if let health = CallerIDHealth(
                rawValue: try row.decode(column: "health", as: String.self))
            {
                counts[health] = try row.decode(column: "numbers", as: Int.self)
            }
        }
        let calls = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(calls), 0) AS BIGINT) AS calls FROM caller_id_days
            WHERE organization_id = \(bind: organizationID)
            AND day = \(bind: CallerIDPoolService.day(now))
            """
        ).first()
        return (counts, try calls?.decode(column: "calls", as: Int.self) ?? 0)
    }

    /// The newest upload of each list (national first, then states by code).
    func latestUploads() async throws -> [DNCRegistryUpload] {
        let rows = try await sql.raw(
            """
            SELECT list, MAX(uploaded_at) AS latest FROM dnc_registry_uploads
            WHERE organization_id = \(bind: organizationID) GROUP BY list
            """
        ).all()
        var uploads: [DNCRegistryUpload] = []
        for row in rows {
            let list = try row.decode(column: "list", as: String.self)
            if let upload = try await DNCRegistryUpload.query(in: organizationID, on: database)
                .filter(\.$list == list).sort(\.$uploadedAt, .descending).first()
            {
                uploads.append(upload)
            }
        }
        return uploads.sorted { lhs, rhs in
            if lhs.list == DNCRegistryCache.national {
                return rhs.list != DNCRegistryCache.national
            }
            if rhs.list == DNCRegistryCache.national { return false }
            return lhs.list < rhs.list
        }
    }
}

/// How fresh one registry list is, as the dashboard and the DNC page show it.
struct RegistryFreshness: Encodable, Sendable {
    var list: String
    var label: String
    /// "YYYY-MM-DD", empty when never loaded.
    var downloadedOn: String
    /// Days since the download (UTC), nil when never loaded.
    var ageDays: Int?
    var numbers: Int
    var uploadedAt: String
    var loaded: Bool
    /// Older than the gate accepts for marketing calls (national list only).
    var stale: Bool
    /// A state list older than a quarter (states publish quarterly or more often).
    var old: Bool

    /// The national registry's row when it was never loaded.
    static let nationalNeverLoaded = RegistryFreshness(
        list: DNCRegistryCache.national, label: "National registry", downloadedOn: "",
        ageDays: nil, numbers: 0, uploadedAt: "", loaded: false, stale: true, old: false)

    init(
        list: String, label: String, downloadedOn: String, ageDays: Int?, numbers: Int,
        uploadedAt: String, loaded: Bool, stale: Bool, old: Bool
    ) {
        self.list = list
        self.label = label
        self.downloadedOn = downloadedOn
        self.ageDays = ageDays
        self.numbers = numbers
        self.uploadedAt = uploadedAt
        self.loaded = loaded
        self.stale = stale
        self.old = old
    }

    init(_ upload: DNCRegistryUpload, now: Date, timeZone: String) {
        let age = Self.ageDays(of: upload.downloadedOn, now: now)
        let isNational = upload.list == DNCRegistryCache.national
        self.init(
            list: upload.list, label: Self.label(of: upload.list),
            downloadedOn: upload.downloadedOn,
            ageDays: age, numbers: upload.totalNumbers,
            uploadedAt: DisplayDate.string(upload.uploadedAt, timeZone: timeZone), loaded: true,
            stale: isNational && (age ?? Int.max) > ContactGate.registryMaximumAgeDays,
            old: !isNational && (age ?? 0) > 92)
    }

    /// "National registry", "Texas (TX)".
    static func label(of list: String) -> String {
        if list == DNCRegistryCache.national { return "National registry" }
        return USState.name(of: list).map { "\($0) (\(list))" } ?? list
    }

    /// Whole days from the download day to today (both UTC), as the gate counts them.
    static func ageDays(of downloadedOn: String, now: Date) -> Int? {
        guard let day = try? CalendarDate.parse(downloadedOn) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let today = CalendarDate(now, in: .gmt)
        guard
            let start = calendar.date(
                from: DateComponents(year: day.year, month: day.month, day: day.day)),
            let end = calendar.date(
                from: DateComponents(year: today.year, month: today.month, day: today.day))
        else { return nil }
        return calendar.dateComponents([.day], from: start, to: end).day
    }

    /// Every list to show: the national registry (even when never loaded) and each state list.
    static func all(_ uploads: [DNCRegistryUpload], now: Date, timeZone: String)
        -> [RegistryFreshness]
    {
        let rows = uploads.map { RegistryFreshness($0, now: now, timeZone: timeZone) }
        return rows.contains { $0.list == DNCRegistryCache.national }
            ? rows : [nationalNeverLoaded] + rows
    }
}
