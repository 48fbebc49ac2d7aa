import Fluent
import ReliefCore
import Vapor

/// Streams the leads of a list view (``LeadListQuery``, same filters, sort and visibility as
/// the list) as CSV. It pages through ``LeadSearch`` with the keyset cursor, 1,000 leads at a
/// time, and writes each batch as one chunk, so memory stays flat whatever the row count.
/// SSN and date of birth columns are added only for principals with `sensitive.read`. Every
/// export is audited as `lead.exported` with the query string and the rows written. Fields go
/// through ``CSVWriter``, which defuses spreadsheet formulas.
struct LeadExport: Sendable {
    static let batchSize = 1_000

    static let columns = [
        "id", "first_name", "middle_name", "last_name", "status", "phone", "other_phones",
        "email", "other_emails", "address", "address_2", "city", "state", "zip", "time_zone",
        "owner", "team", "source", "tags", "stated_unsecured_debt", "debt_count",
        "debt_balance_total", "enrolled_debt", "heat_score", "status_changed_at", "created_at",
    ]
    static let sensitiveColumns = ["ssn", "date_of_birth"]

    let search: LeadSearch
    let query: LeadListQuery
    /// Set when the principal may read SSN and date of birth.
    let cipher: FieldCipher?
    let directory: LeadDirectoryNames
    /// Records the `lead.exported` entry once the last row is written (or the export failed).
    let audit: @Sendable (_ rows: Int, _ completed: Bool) async throws -> Void

    /// `GET …/leads/export.csv?<list query>` for the web page and the API.
    static func response(for req: Request) async throws -> Response {
        let principal = try req.principal
        var query = try req.query.decode(LeadListQuery.self)
        query.cursor = nil
        let includesSensitive = principal.can(.sensitiveRead)
        let services = req.relief
        let database = req.db
        let actor = principal.auditActor
        let origin = req.auditOrigin
        let filter = query.queryString
        let export = LeadExport(
            search: try await req.leadSearch(),
            query: query, cipher: includesSensitive ? services.cipher : nil,
            directory: try await LeadDirectoryNames.load(principal.organizationID, on: database),
            audit: { rows, completed in
                try await services.audit.record(
                    AuditEntry(
                        organizationID: principal.organizationID, actor: actor,
                        action: "lead.exported", entityType: "lead",
                        changes: AuditDiff.details([
                            "filter": filter, "rows": String(rows),
                            "completed": completed ? "yes" : "no",
                            "sensitive": includesSensitive ? "ssn, date_of_birth" : "",
                        ]), origin: origin),
                    on: database)
            })
        let response = Response(
            status: .ok, body: .init(asyncStream: { writer in await export.write(writer) }))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        let day = CalendarDate(
            req.now,
            in: TimeZone(identifier: principal.organization.timeZone) ?? .gmt)
        response.headers.contentDisposition = .init(
            .attachment, filename: "leads-\(principal.organization.slug)-\(day).csv")
        return response
    }

    /// Writes the header, then one chunk per batch, then audits and ends the body.
    func write(_ writer: any AsyncBodyStreamWriter) async {
        var rows = 0
        do {
            let header = Self.columns + (cipher == nil ? [] : Self.sensitiveColumns)
            try await writer.write(.buffer(ByteBuffer(string: CSVWriter.line(header))))
            var page = query
            repeat {
                let (leads, next) = try await search.page(page, limit: Self.batchSize)
                try await writer.write(.buffer(ByteBuffer(string: try lines(leads))))
                rows += leads.count
                page.cursor = next
            } while page.cursor != nil
            try await audit(rows, true)
            try await writer.write(.end)
        } catch {
            try? await audit(rows, false)
            try? await writer.write(.error(error))
        }
    }

    /// The CSV lines of one batch, with contacts, tags and debt totals loaded per batch.
    private func lines(_ leads: [Lead]) async throws -> String {
        let ids = leads.compactMap(\.id)
        let details = try await LeadDetails.load(
            leads, organizationID: search.organizationID, on: search.database)
        var debts: [UUID: (count: Int, balance: Int64)] = [:]
        if !ids.isEmpty {
            for debt in try await Debt.query(in: search.organizationID, on: search.database)
                .filter(\.$leadID ~~ ids).all()
            {
                let total = debts[debt.leadID] ?? (0, 0)
                debts[debt.leadID] = (total.count + 1, total.balance + debt.balanceCents)
            }
        }
        func phone(_ e164: String) -> String {
            (try? PhoneNumber.parse(e164).formatted) ?? e164
        }
        var text = ""
        for lead in leads {
            let id = try lead.requireID()
            let phones = (details.phones[id] ?? []).map(\.e164)
            let emails = details.emails[id] ?? []
            let debt = debts[id] ?? (0, 0)
            let contact: [String] = [
                lead.primaryPhone.map(phone) ?? "",
                phones.filter { $0 != lead.primaryPhone }.map(phone).joined(separator: "; "),
                lead.primaryEmail ?? "",
                emails.filter { $0 != lead.primaryEmail }.joined(separator: "; "),
            ]
            let address: [String] = [
                lead.address, lead.address2, lead.city, lead.state, lead.zip, lead.timeZone ?? "",
            ]
            let placement: [String] = [
                lead.ownerID.flatMap { directory.users[$0] } ?? "",
                lead.teamID.flatMap { directory.teams[$0] } ?? "",
                lead.sourceID.flatMap { details.sources[$0] } ?? "",
                (details.tags[id] ?? []).joined(separator: "; "),
            ]
            let figures: [String] = [
                lead.statedUnsecuredDebtCents.map(MoneyFormat.plain) ?? "",
                String(debt.count), MoneyFormat.plain(debt.balance),
                MoneyFormat.plain(lead.enrolledDebtCents), String(format: "%.1f", lead.heatScore),
                lead.statusChangedAt.formatted(.iso8601),
                lead.createdAt?.formatted(.iso8601) ?? "",
            ]
            var fields: [String] = [
                id.uuidString, lead.firstName, lead.middleName, lead.lastName,
                lead.status.rawValue,
            ]
            fields += contact + address + placement + figures
            if let cipher {
                let record = id.uuidString
                fields.append(
                    try lead.ssn.map {
                        LeadPresenter.formatSSN(
                            try cipher.open($0, context: "leads.ssn", record: record))
                    } ?? "")
                fields.append(
                    try lead.dateOfBirth.map {
                        try cipher.open($0, context: "leads.date_of_birth", record: record)
                    } ?? "")
            }
            text += CSVWriter.line(fields)
        }
        return text
    }
}
