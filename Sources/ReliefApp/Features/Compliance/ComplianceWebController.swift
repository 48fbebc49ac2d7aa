import Fluent
import Foundation
import ReliefCore
import Vapor

/// `/app/compliance`: the dashboard, the state rules, the flag review queue, the caller id pool
/// and the organization's settings. The DNC pages are in ``DNCWebController``.
struct ComplianceWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let compliance = routes.grouped("compliance")
        compliance.get(use: dashboard).access(.requires(.complianceRead))
        compliance.get("rules", use: rules).access(.requires(.complianceRead))
        compliance.get("settings", use: settings).access(.requires(.complianceRead))
        compliance.post("settings", use: saveSettings).access(.requires(.complianceManage))
        compliance.get("flags", use: flags).access(.requires(.complianceRead))
        compliance.post("flags", ":id", "review", use: review)
            .access(.requires(.complianceManage))
        compliance.get("caller-ids", use: callerIDs).access(.requires(.complianceRead))
        compliance.post("caller-ids", use: addCallerID).access(.requires(.callerIDsManage))
        compliance.post("caller-ids", ":id", "restore", use: restoreCallerID)
            .access(.requires(.callerIDsManage))
    }

    // MARK: - dashboard

    func dashboard(req: Request) async throws -> Response {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let zone = principal.organization.timeZone
        let data = try ComplianceDashboard(req: req)
        let boundaries = data.dayBoundaries()
        let perDay = try await data.decisionsPerDay(boundaries: boundaries)
        let totals = try await data.totals(since: boundaries[0])
        let hits = try await data.recentDNCHits()
        let optOuts = try await ContactOptOut.query(in: organizationID, on: req.db)
            .sort(\.$optedOutAt, .descending).limit(8).all()
        let optOutCount = try await ContactOptOut.query(in: organizationID, on: req.db)
            .filter(\.$optedOutAt >= boundaries[0]).count()
        let pendingQuery = ComplianceFlag.query(in: organizationID, on: req.db)
            .filter(\.$status == .pendingReview)
        let pendingCount = try await pendingQuery.count()
        let pending = try await ComplianceFlag.query(in: organizationID, on: req.db)
            .filter(\.$status == .pendingReview).sort(\.$raisedAt).limit(5).all()
        let (health, callsToday) = try await data.callerIDHealth()
        let uploads = try await data.latestUploads()
        let presenter = try await CompliancePresenter.load(
            organizationID: organizationID, timeZone: zone,
            leadIDs: hits.compactMap(\.leadID) + optOuts.compactMap(\.leadID)
                + pending.map(\.leadID),
            on: req.db)

        let dayFormatter = DateFormatter()
        dayFormatter.locale = Locale(identifier: "en_US_POSIX")
        dayFormatter.timeZone = req.organizationTimeZone
        dayFormatter.dateFormat = "M/d"
        let labels = boundaries.dropLast().map(dayFormatter.string(from:))
        let days = ComplianceDashboard.days
        let verdictNames: [(GateVerdict, String)] = [
            (.allow, "Allowed"), (.defer, "Deferred"), (.deny, "Denied"),
        ]
        let chart = ChartCard(
            title: "Gate decisions per day, last \(days) days",
            svg: SVGChart.stackedBar(
                title: "Recorded gate decisions per day by verdict, last \(days) days",
                labels: labels,
                series: verdictNames.map { verdict, name in
                    ChartSeries(name: name, values: (perDay[verdict] ?? []).map(Double.init))
                }, width: 960, height: 300))
        let reasons = GateReasonCode.allCases.map { code in
            ReasonTotal(
                code: code.rawValue, label: code.label, count: totals.reasons[code] ?? 0,
                defers: code.passesWithTime)
        }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }
        let seen = reasons.filter { $0.count > 0 }
        let unseen = reasons.filter { $0.count == 0 }.map(\.label)
        let denied = totals.verdicts[.deny] ?? 0
        let deferred = totals.verdicts[.defer] ?? 0
        let pool = PoolHealth(
            healthy: health[.healthy] ?? 0, resting: health[.resting] ?? 0,
            flagged: health[.flagged] ?? 0, total: health.values.reduce(0, +),
            callsToday: callsToday)
        let stats = [
            StatCard(
                label: "Gate decisions", value: String(totals.decisions),
                hint: "last \(days) days: \(denied) denied, \(deferred) deferred"),
            StatCard(
                label: "DNC hits", value: String(totals.dncHits),
                hint: "stopped by the national, a state or the internal list"),
            StatCard(label: "Opt-outs", value: String(optOutCount), hint: "last \(days) days"),
            StatCard(
                label: "Flags awaiting review", value: String(pendingCount),
                hint: "bankruptcy mentions and others"),
        ]
        return try await req.render(
            "compliance/index",
            ComplianceDashboardPage(
                page: req.pageContext(title: "Compliance", section: "compliance"),
                stats: stats, chart: chart, reasons: seen,
                unseenReasons: unseen.joined(separator: ", "),
                days: days, optOuts: optOuts.map(presenter.optOut), optOutCount: optOutCount,
                dncHits: hits.map(presenter.decision),
                pendingFlags: pending.map { presenter.flag($0) }, pendingCount: pendingCount,
                registries: RegistryFreshness.all(uploads, now: req.now, timeZone: zone),
                pool: pool, canManage: principal.can(.complianceManage)))
    }

    // MARK: - state rules

    func rules(req: Request) async throws -> Response {
        let book = req.relief.compliance.gate.rules
        func hours(_ value: CallingHours?) -> String {
            guard let value else { return "No calls" }
            return Self.clock(value.start) + "–" + Self.clock(value.end)
        }
        func row(_ rule: StateContactRule, federal: Bool) -> StateRuleRow {
            let frequency: String
            if let limit = rule.frequencyLimit24h {
                frequency =
                    "\(limit) per 24 h"
                    + (rule.frequencyScope == .sameSubject ? ", same subject" : "")
            } else {
                frequency = "—"
            }
            return StateRuleRow(
                state: rule.state,
                name: federal
                    ? "Federal (every state)" : USState.name(of: rule.state) ?? rule.state,
                weekday: hours(rule.weekdayHours), saturday: hours(rule.saturdayHours),
                sunday: hours(rule.sundayHours),
                holidays: rule.callsOnHolidays ? "As weekdays" : "No calls",
                frequency: frequency,
                textsCounted: rule.frequencyLimit24h == nil
                    ? "—" : (rule.frequencyCountsTexts ? "Yes" : "No"),
                identifySeconds: rule.identifyWithinSeconds.map { "\($0) s" } ?? "—",
                recording: rule.recordingConsent == .allParty ? "All parties" : "One party",
                areaCodePresumption: rule.areaCodePresumption ? "Yes" : "No",
                source: rule.source, isFederal: federal)
        }
        let today = CalendarDate(req.now, in: req.organizationTimeZone)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        func weekday(_ day: CalendarDate) -> String {
            let date = calendar.date(
                from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
            return weekdays[calendar.component(.weekday, from: date) - 1]
        }
        let years = [today.year, today.year + 1].map { year in
            HolidayYear(
                year: year,
                holidays: FederalHolidays.holidays(in: year).map { holiday in
                    HolidayRow(
                        name: holiday.name, date: holiday.date.description,
                        weekday: weekday(holiday.date),
                        observed: holiday.observed == holiday.date
                            ? "" : "\(weekday(holiday.observed)) \(holiday.observed)")
                })
        }
        return try await req.render(
            "compliance/rules",
            StateRulesPage(
                page: req.pageContext(title: "State contact rules", section: "compliance-rules"),
                version: book.version, stateCount: book.states.count,
                rules: [row(book.federal, federal: true)]
                    + book.states.values.sorted { $0.state < $1.state }.map {
                        row($0, federal: false)
                    },
                holidayYears: years))
    }

    /// "8 AM", "8:30 PM", "12 AM" (midnight).
    static func clock(_ minutes: Int) -> String {
        let hour = (minutes / 60) % 24
        let minute = minutes % 60
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        let minutes = minute == 0 ? "" : ":" + (minute < 10 ? "0" : "") + "\(minute)"
        return "\(twelve)\(minutes) " + (hour < 12 ? "AM" : "PM")
    }

    // MARK: - settings

    static let capFields: [(String, String)] = [
        ("calls_per_24h", "Calls"), ("texts_per_24h", "Texts"), ("emails_per_24h", "E-mails"),
        ("voicemails_per_24h", "Voicemails"),
    ]

    func settings(req: Request) async throws -> Response {
        try await renderSettings(req, values: nil, errors: [:])
    }

    private func renderSettings(
        _ req: Request, values: [String: String]?, errors: FieldMessages,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let stored = try await ComplianceSettings.query(
            in: principal.organizationID, on: req.db
        ).first()
        let caps = stored?.caps ?? OrgFrequencyCaps()
        let current: [String: String] = [
            "calls_per_24h": caps.callsPer24h.map(String.init) ?? "",
            "texts_per_24h": caps.textsPer24h.map(String.init) ?? "",
            "emails_per_24h": caps.emailsPer24h.map(String.init) ?? "",
            "voicemails_per_24h": caps.voicemailsPer24h.map(String.init) ?? "",
            "sms_help_text": stored?.smsHelpText ?? "",
        ]
        let organization = principal.organization
        let name = organization.displayName.isEmpty ? organization.name : organization.displayName
        return try await req.render(
            "compliance/settings",
            ComplianceSettingsPage(
                page: req.pageContext(title: "Compliance settings", section: "compliance-settings"),
                values: values ?? current, errors: errors,
                defaultHelpText: InboundMessages.defaultHelpText(
                    organizationName: name, customHost: organization.customHost,
                    baseURL: req.relief.config.baseURL),
                isDefault: stored == nil,
                updatedAt: stored.map {
                    DisplayDate.string($0.updatedAt, timeZone: organization.timeZone)
                }
                    ?? "",
                canManage: principal.can(.complianceManage)),
            status: status)
    }

    func saveSettings(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        var values: [String: String] = [:]
        var check = FieldCheck()
        var caps: [String: Int] = [:]
        for (field, label) in Self.capFields {
            let text = (form[field] ?? "").trimmingCharacters(in: .whitespaces)
            values[field] = text
            guard !text.isEmpty else { continue }
            if let value = Int(text) {
                caps[field] = value
            } else {
                check.fail(field, "\(label): a whole number from 1 to 50, or empty for no cap.")
            }
        }
        values["sms_help_text"] = form["sms_help_text"] ?? ""
        do {
            try check.throwIfFailed()
            _ = try await ComplianceSettingsStore(req: req).save(
                OrgFrequencyCaps(
                    callsPer24h: caps["calls_per_24h"], textsPer24h: caps["texts_per_24h"],
                    emailsPer24h: caps["emails_per_24h"],
                    voicemailsPer24h: caps["voicemails_per_24h"]),
                helpText: values["sms_help_text"] ?? "")
            return req.redirectAfterPost(
                to: "/app/compliance/settings",
                flash: (.success, "Compliance settings saved."))
        } catch let failure as ValidationFailure {
            return try await renderSettings(
                req, values: values, errors: failure.fields, status: .unprocessableEntity)
        }
    }

    // MARK: - flags

    func flags(req: Request) async throws -> Response {
        try await renderFlags(req, errors: [:], notes: [:])
    }

    private func renderFlags(
        _ req: Request, errors: [UUID: String], notes: [UUID: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let pending = try await ComplianceFlag.query(in: organizationID, on: req.db)
            .filter(\.$status == .pendingReview).sort(\.$raisedAt).limit(200).all()
        let confirmed = try await ComplianceFlag.query(in: organizationID, on: req.db)
            .filter(\.$status == .confirmed).sort(\.$raisedAt, .descending).limit(50).all()
        let reviewed = try await ComplianceFlag.query(in: organizationID, on: req.db)
            .filter(\.$reviewedAt != nil).sort(\.$reviewedAt, .descending).limit(20).all()
        let presenter = try await CompliancePresenter.load(
            organizationID: organizationID, timeZone: principal.organization.timeZone,
            leadIDs: (pending + confirmed + reviewed).map(\.leadID), on: req.db)
        return try await req.render(
            "compliance/flags",
            FlagsPage(
                page: req.pageContext(title: "Flags to review", section: "compliance-flags"),
                pending: pending.map { flag in
                    presenter.flag(
                        flag, error: flag.id.flatMap { errors[$0] } ?? "",
                        note: flag.id.flatMap { notes[$0] } ?? "")
                },
                confirmed: confirmed.map { flag in
                    presenter.flag(
                        flag, error: flag.id.flatMap { errors[$0] } ?? "",
                        note: flag.id.flatMap { notes[$0] } ?? "")
                },
                reviewed: reviewed.map { presenter.flag($0) },
                canReview: principal.can(.complianceManage)),
            status: status)
    }

    struct ReviewForm: Content {
        var decision: String?
        var note: String?
    }

    func review(req: Request) async throws -> Response {
        let principal = try req.principal
        let id = try req.parameters.require("id", as: UUID.self)
        // Another organization's flag (or none) is a 404 before the form is read.
        guard
            let flag = try await ComplianceFlag.find(
                id, in: principal.organizationID, on: req.db)
        else { throw Abort(.notFound, reason: "No such flag.") }
        guard flag.status != .cleared else {
            // Reviewed in another tab or by a colleague meanwhile.
            return req.redirectAfterPost(
                to: "/app/compliance/flags", flash: (.error, "That flag was already cleared."))
        }
        let form = try req.content.decode(ReviewForm.self)
        let note = (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var error = ""
        if form.decision != "confirm" && form.decision != "clear" {
            error = "Choose Confirm or Clear."
        } else if note.isEmpty {
            error = "Write a note: what you checked and why you decided."
        }
        if !error.isEmpty {
            return try await renderFlags(
                req, errors: [id: error], notes: [id: note], status: .unprocessableEntity)
        }
        do {
            let reviewed = try await ComplianceFlags(req: req).review(
                id, confirm: form.decision == "confirm", note: note)
            let lead = try await Lead.find(flag.leadID, in: principal.organizationID, on: req.db)
            let verb = reviewed.status == .cleared ? "cleared" : "confirmed"
            return req.redirectAfterPost(
                to: "/app/compliance/flags",
                flash: (
                    .success,
                    "\(reviewed.kind.label) flag on \(lead?.fullName ?? "the lead") \(verb)."
                ))
        } catch let failure as ValidationFailure {
            return try await renderFlags(
                req, errors: [id: failure.summary], notes: [id: note],
                status: .unprocessableEntity)
        }
    }

    // MARK: - caller ids

    func callerIDs(req: Request) async throws -> Response {
        try await renderCallerIDs(req, errors: [:], values: [:])
    }

    private func renderCallerIDs(
        _ req: Request, errors: FieldMessages, values: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let zone = principal.organization.timeZone
        let entries = try await CallerIDPoolService(req: req).entries()
        let canManage = principal.can(.callerIDsManage)
        let rows = entries.map { entry in
            let number = entry.number
            let candidate = entry.candidate
            return CallerIDRow(
                id: number.id?.uuidString ?? "", phone: InternalDNCList.display(number.e164),
                e164: number.e164, areaCode: number.areaCode, state: number.state ?? "—",
                timeZone: number.timeZone ?? "—", health: number.health.rawValue,
                healthLabel: number.health.label, healthReason: number.healthReason,
                callsToday: candidate.callsToday, dailyCap: number.dailyCap,
                calls7Days: candidate.calls7Days, answered7Days: candidate.answered7Days,
                answerRate: candidate.answerRate7Days.map { String(format: "%.0f%%", $0 * 100) }
                    ?? "—",
                lastUsed: DisplayDate.string(number.lastUsedAt, timeZone: zone),
                canRestore: canManage && number.health != .healthy)
        }
        let pool = PoolHealth(
            healthy: rows.filter { $0.health == "healthy" }.count,
            resting: rows.filter { $0.health == "resting" }.count,
            flagged: rows.filter { $0.health == "flagged" }.count, total: rows.count,
            callsToday: rows.reduce(0) { $0 + $1.callsToday })
        return try await req.render(
            "compliance/caller-ids",
            CallerIDsPage(
                page: req.pageContext(title: "Caller id pool", section: "compliance-caller-ids"),
                numbers: rows, pool: pool, errors: errors, phone: values["phone"] ?? "",
                dailyCap: values["daily_cap"] ?? "100", canManage: canManage),
            status: status)
    }

    struct CallerIDForm: Content {
        var phone: String?
        var dailyCap: String?

        enum CodingKeys: String, CodingKey {
            case phone
            case dailyCap = "daily_cap"
        }
    }

    func addCallerID(req: Request) async throws -> Response {
        let form = try req.content.decode(CallerIDForm.self)
        let values = ["phone": form.phone ?? "", "daily_cap": form.dailyCap ?? ""]
        do {
            let capText = (form.dailyCap ?? "").trimmingCharacters(in: .whitespaces)
            var cap: Int?
            if !capText.isEmpty {
                guard let parsed = Int(capText) else {
                    throw ValidationFailure(fields: [
                        "daily_cap": "A whole number of calls a day, from 1 to 10000."
                    ])
                }
                cap = parsed
            }
            let number = try await CallerIDPoolService(req: req).add(
                phone: form.phone ?? "", dailyCap: cap)
            return req.redirectAfterPost(
                to: "/app/compliance/caller-ids",
                flash: (.success, "Added \(InternalDNCList.display(number.e164)) to the pool."))
        } catch let failure as ValidationFailure {
            return try await renderCallerIDs(
                req, errors: failure.fields, values: values, status: .unprocessableEntity)
        }
    }

    func restoreCallerID(req: Request) async throws -> Response {
        let number = try await CallerIDPoolService(req: req).restore(
            try req.parameters.require("id", as: UUID.self))
        return req.redirectAfterPost(
            to: "/app/compliance/caller-ids",
            flash: (
                .success, "Restored \(InternalDNCList.display(number.e164)): it is in use again."
            ))
    }
}
