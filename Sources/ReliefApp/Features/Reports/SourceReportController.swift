import Fluent
import Foundation
import ReliefCore
import Vapor

/// `/app/reports/sources`: per lead source, the leads created in a date range, how far they
/// got (contacted, qualified, enrolled), their enrolled debt and what they cost; with charts
/// and a CSV download (audited).
struct SourceReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reports = routes.grouped("reports", "sources")
        reports.get(use: page).access(.requires(.reportsRead))
        reports.get("export.csv", use: export).access(.requires(.reportsRead))
    }

    /// The date range: `from` and `to` (inclusive, `YYYY-MM-DD` in the organization's time
    /// zone); the last 90 days by default.
    struct RangeQuery: Content {
        var from: String?
        var to: String?
    }

    /// The resolved range with any problem reading it.
    struct Range {
        var from: CalendarDate
        var to: CalendarDate
        var start: Date
        var end: Date
        var errors: FieldMessages

        var queryString: String { "from=\(from)&to=\(to)" }
    }

    static func range(_ req: Request) throws -> Range {
        let query = try req.query.decode(RangeQuery.self)
        let zone = TimeZone(identifier: try req.principal.organization.timeZone) ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var errors: FieldMessages = [:]
        func day(_ raw: String?, _ field: String, fallback: CalendarDate) -> CalendarDate {
            guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                return fallback
            }
            do {
                return try CalendarDate.parse(raw)
            } catch {
                errors[field] = error.message
                return fallback
            }
        }
        let today = CalendarDate(req.now, in: zone)
        let to = day(query.to, "to", fallback: today)
        let defaultFrom = CalendarDate(
            calendar.date(byAdding: .day, value: -89, to: Self.start(of: to, calendar))!, in: zone)
        var from = day(query.from, "from", fallback: defaultFrom)
        if from > to {
            errors["from"] = "The start must not be after the end."
            from = to
        }
        let start = Self.start(of: from, calendar)
        let end = calendar.date(byAdding: .day, value: 1, to: Self.start(of: to, calendar))!
        return Range(from: from, to: to, start: start, end: end, errors: errors)
    }

    private static func start(of day: CalendarDate, _ calendar: Calendar) -> Date {
        calendar.startOfDay(
            for: calendar.date(
                from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!)
    }

    /// The report's lines for leads created in `range`: each lead's current status and every
    /// status it moved to decide how far it got.
    static func report(_ req: Request, range: Range) async throws
        -> (rows: [SourceReportRow], total: SourceReportRow)
    {
        let organizationID = try req.principal.organizationID
        let leads = try await Lead.query(in: organizationID, on: req.db)
            .filter(\.$createdAt >= range.start).filter(\.$createdAt < range.end)
            .field(\.$id).field(\.$sourceID).field(\.$status).field(\.$enrolledDebtCents).all()
        var statuses: [UUID: Set<LeadStatus>] = [:]
        for lead in leads {
            if let id = lead.id { statuses[id] = [lead.status] }
        }
        // A lead's status changes all happen after it was created, so changes since the range
        // start cover every lead in the range.
        let changes = try await Activity.query(in: organizationID, on: req.db)
            .filter(\.$kind == .statusChange).filter(\.$occurredAt >= range.start)
            .field(\.$leadID).field(\.$toStatus).all()
        for change in changes where statuses[change.leadID] != nil {
            if let status = change.toStatus.flatMap(LeadStatus.init(rawValue:)) {
                statuses[change.leadID]?.insert(status)
            }
        }
        let sources = try await LeadSource.query(in: organizationID, on: req.db).all()
        return SourceReport.build(
            sources: sources.map {
                SourceCost(
                    id: $0.id?.uuidString ?? "", name: $0.name, vendor: $0.vendor,
                    campaign: $0.campaign, costPerLeadCents: $0.costPerLeadCents)
            },
            leads: leads.map { lead in
                SourceLeadFacts(
                    sourceID: lead.sourceID?.uuidString,
                    statuses: lead.id.flatMap { statuses[$0] } ?? [lead.status],
                    enrolledDebtCents: lead.enrolledDebtCents)
            })
    }

    func page(req: Request) async throws -> View {
        let principal = try req.principal
        let range = try Self.range(req)
        let (rows, total) = try await Self.report(req, range: range)
        let enrolling = rows.filter { $0.enrolled > 0 }
        let charts =
            rows.isEmpty
            ? []
            : [
                ChartCard(
                    title: "Enrollments by source",
                    svg: SVGChart.bar(
                        title: "Enrollments by source, \(range.from) to \(range.to)",
                        labels: rows.map(\.name), values: rows.map { Double($0.enrolled) })),
                ChartCard(
                    title: "Cost per enrollment",
                    svg: SVGChart.bar(
                        title: "Cost per enrollment by source, \(range.from) to \(range.to)",
                        labels: enrolling.map(\.name),
                        values: enrolling.map { Double($0.costPerEnrollmentCents ?? 0) / 100 },
                        valueFormat: .money(cents: false))),
            ]
        return try await req.view.render(
            "reports/sources",
            SourceReportPage(
                page: req.pageContext(title: "Lead sources report", section: "reports"),
                from: range.from.description, to: range.to.description, errors: range.errors,
                rows: rows.map(SourceReportLine.init), total: SourceReportLine(total),
                charts: charts, exportURL: "/app/reports/sources/export.csv?" + range.queryString,
                canEditSources: principal.can(.leadsAssign)))
    }

    /// The report as CSV (money in plain dollars); the download is audited.
    func export(req: Request) async throws -> Response {
        let principal = try req.principal
        let range = try Self.range(req)
        let (rows, total) = try await Self.report(req, range: range)
        var csv = CSVWriter(header: [
            "source", "vendor", "campaign", "leads", "contacted", "qualified", "enrolled",
            "enrollment_rate", "enrolled_debt", "cost_per_lead", "cost", "cost_per_enrollment",
        ])
        for row in rows + [total] {
            csv.append([
                row.name, row.vendor, row.campaign, String(row.leads), String(row.contacted),
                String(row.qualified), String(row.enrolled),
                String(format: "%.4f", row.enrollmentRate),
                MoneyFormat.plain(row.enrolledDebtCents),
                row.leads == 0 || row.sourceID == nil
                    ? "" : MoneyFormat.plain(row.costCents / Int64(row.leads)),
                MoneyFormat.plain(row.costCents),
                row.costPerEnrollmentCents.map(MoneyFormat.plain) ?? "",
            ])
        }
        try await req.audit(
            "report.exported", entityType: "report",
            changes: AuditDiff.details([
                "report": "sources", "from": range.from.description, "to": range.to.description,
                "rows": String(rows.count),
            ]))
        let response = Response(status: .ok, body: .init(string: csv.text))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(
            .attachment,
            filename: "sources-\(principal.organization.slug)-\(range.from)-\(range.to).csv")
        return response
    }
}

/// `reports/sources`.
struct SourceReportPage: Encodable, Sendable {
    var page: PageContext
    var from: String
    var to: String
    var errors: FieldMessages
    var rows: [SourceReportLine]
    var total: SourceReportLine
    var charts: [ChartCard]
    var exportURL: String
    var canEditSources: Bool
}

/// One line of the report, formatted.
struct SourceReportLine: Encodable, Sendable {
    var name: String
    var detail: String
    var leads: Int
    var contacted: Int
    var qualified: Int
    var enrolled: Int
    var enrollmentRate: String
    var enrolledDebt: String
    var cost: String
    var costPerEnrollment: String

    init(_ row: SourceReportRow) {
        name = row.name
        detail = [row.vendor, row.campaign].filter { !$0.isEmpty }.joined(separator: " · ")
        leads = row.leads
        contacted = row.contacted
        qualified = row.qualified
        enrolled = row.enrolled
        enrollmentRate = row.leads == 0 ? "—" : String(format: "%.1f%%", row.enrollmentRate * 100)
        enrolledDebt = MoneyFormat.dollars(row.enrolledDebtCents, wholeDollars: true)
        cost = MoneyFormat.dollars(row.costCents)
        costPerEnrollment = row.costPerEnrollmentCents.map { MoneyFormat.dollars($0) } ?? "—"
    }
}
