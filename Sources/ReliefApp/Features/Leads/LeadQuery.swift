import Fluent
import FluentSQL
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// The lead list's search, filters, sort and cursor, read from the query string by the list
/// page, the API, the export and saved views (which store the query string itself).
struct LeadListQuery: Content, Sendable, Equatable {
    var q: String?
    var status: [String]?
    var owner: String?
    var team: String?
    var source: String?
    var state: String?
    var tag: String?
    var scoreMin: Double?
    var scoreMax: Double?
    var createdFrom: String?
    var createdTo: String?
    var sort: String?
    var cursor: String?
    var limit: Int?

    enum CodingKeys: String, CodingKey {
        case q, status, owner, team, source, state, tag, sort, cursor, limit
        case scoreMin = "score_min"
        case scoreMax = "score_max"
        case createdFrom = "created_from"
        case createdTo = "created_to"
    }

    /// The sort orders the list offers; each pages by keyset on (column, id).
    enum Sort: String, CaseIterable, Sendable {
        case newest, oldest, name, updated, heat

        var label: String {
            switch self {
            case .newest: "Newest first"
            case .oldest: "Oldest first"
            case .name: "Last name A-Z"
            case .updated: "Recently updated"
            case .heat: "Hottest first"
            }
        }
    }

    var sortOrder: Sort { sort.flatMap(Sort.init(rawValue:)) ?? .newest }

    init() {}

    /// Reads the query string. The filter form sends every field, so empty values mean "not
    /// set"; a heat bound that is not a number is a 400 naming the field.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? {
            let value = try container.decodeIfPresent(String.self, forKey: key)?
                .trimmingCharacters(in: .whitespaces)
            return value?.isEmpty == false ? value : nil
        }
        func number(_ key: CodingKeys) throws -> Double? {
            guard let raw = try text(key) else { return nil }
            guard let value = Double(raw), value.isFinite else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "Enter a number.")
            }
            return value
        }
        q = try text(.q)
        status = try container.decodeIfPresent([String].self, forKey: .status)
        owner = try text(.owner)
        team = try text(.team)
        source = try text(.source)
        state = try text(.state)
        tag = try text(.tag)
        scoreMin = try number(.scoreMin)
        scoreMax = try number(.scoreMax)
        createdFrom = try text(.createdFrom)
        createdTo = try text(.createdTo)
        sort = try text(.sort)
        cursor = try text(.cursor)
        limit = try text(.limit).map { raw in
            guard let value = Int(raw) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .limit, in: container, debugDescription: "Enter a whole number.")
            }
            return value
        }
    }

    var statuses: [LeadStatus] {
        (status ?? []).flatMap { $0.split(separator: ",") }.compactMap {
            LeadStatus(rawValue: String($0))
        }
    }

    /// The filters as query items (without the cursor), for links and saved views.
    var queryItems: [URLQueryItem] {
        var items: [URLQueryItem] = []
        func add(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { items.append(URLQueryItem(name: name, value: value)) }
        }
        add("q", q)
        for status in statuses { add("status", status.rawValue) }
        add("owner", owner)
        add("team", team)
        add("source", source)
        add("state", state)
        add("tag", tag)
        add("score_min", scoreMin.map { String($0) })
        add("score_max", scoreMax.map { String($0) })
        add("created_from", createdFrom)
        add("created_to", createdTo)
        if sortOrder != .newest { add("sort", sortOrder.rawValue) }
        return items
    }

    /// The query string of the filters, without `?`.
    var queryString: String {
        var components = URLComponents()
        components.queryItems = queryItems
        return components.percentEncodedQuery ?? ""
    }

    /// The query string of the filters and the cursor: the address of the current page.
    var pageQueryString: String {
        var components = URLComponents()
        components.queryItems =
            queryItems + (cursor.map { [URLQueryItem(name: "cursor", value: $0)] } ?? [])
        return components.percentEncodedQuery ?? ""
    }

    /// Whether any filter or search is set (the sort alone does not count).
    var isFiltered: Bool { queryItems.contains { $0.name != "sort" } }

    /// Reads a stored or posted query string (a saved view, the page a form came from), with
    /// or without the leading `?`. Unknown parameters are ignored; a malformed one is a
    /// ``ValidationFailure`` on `field`.
    static func parse(_ text: String, field: String = "query") throws -> LeadListQuery {
        let query = text.hasPrefix("?") ? String(text.dropFirst()) : text
        do {
            return try URLEncodedFormDecoder().decode(LeadListQuery.self, from: query)
        } catch {
            throw ValidationFailure(fields: [field: "This is not a lead list query string."])
        }
    }
}

/// Which leads a principal may see, from their role, teams and the org's agent setting.
/// Managers also see unassigned leads (no owner, no team), so they can assign them.
struct LeadVisibility: Sendable {
    let scope: RecordScope
    var includesUnassigned = false

    static func of(_ principal: Principal, on database: any Database) async throws
        -> LeadVisibility
    {
        let teamIDs = try await TeamMember.query(in: principal.organizationID, on: database)
            .filter(\.$userID == principal.userID).all().map(\.teamID.uuidString)
        return LeadVisibility(
            scope: RecordScope.resolve(
                role: principal.user.role, userID: principal.userID.uuidString,
                teamIDs: Set(teamIDs), agentVisibility: principal.organization.visibility),
            includesUnassigned: principal.user.role == .manager)
    }

    /// Narrows `query` to visible leads.
    func apply(_ query: QueryBuilder<Lead>) -> QueryBuilder<Lead> {
        switch scope {
        case .organization:
            return query
        case .own(let userID):
            return query.filter(\.$ownerID == UUID(uuidString: userID))
        case .teams(let teams, let userID):
            let teamIDs = teams.compactMap(UUID.init(uuidString:))
            return query.group(.or) { group in
                group.filter(\.$ownerID == UUID(uuidString: userID))
                if !teamIDs.isEmpty { group.filter(\.$teamID ~~ teamIDs) }
                if includesUnassigned {
                    group.group(.and) { $0.filter(\.$ownerID == nil).filter(\.$teamID == nil) }
                }
            }
        }
    }

    func includes(_ lead: Lead) -> Bool {
        if includesUnassigned && lead.ownerID == nil && lead.teamID == nil { return true }
        return scope.includes(ownerID: lead.ownerID?.uuidString, teamID: lead.teamID?.uuidString)
    }
}

extension Request {
    /// The lead `id` from the path when it exists in the organization and is visible to the
    /// principal; 404 otherwise (never 403, so ids do not leak).
    func visibleLead(_ parameter: String = "id") async throws -> Lead {
        try await visibleLead(id: parameters.get(parameter, as: UUID.self))
    }

    /// The lead with `id` when it exists in the organization and is visible to the principal;
    /// 404 otherwise.
    func visibleLead(id: UUID?) async throws -> Lead {
        let principal = try principal
        let lead = try await Lead.findOr404(id, in: principal.organizationID, on: db)
        guard try await LeadVisibility.of(principal, on: db).includes(lead) else {
            throw Abort(.notFound, reason: "lead not found.")
        }
        return lead
    }

    /// The debt `parameter` from the path when it belongs to `lead` (a lead the principal may
    /// see, from ``visibleLead(_:)``); 404 otherwise.
    func visibleDebt(of lead: Lead, _ parameter: String = "debt") async throws -> Debt {
        let debt = try await Debt.findOr404(
            parameters.get(parameter, as: UUID.self), in: principal.organizationID, on: db)
        guard debt.leadID == lead.id else { throw Abort(.notFound, reason: "debt not found.") }
        return debt
    }
}

extension Request {
    /// Lead search for the signed-in principal: their organization and visibility.
    func leadSearch() async throws -> LeadSearch {
        let principal = try principal
        return LeadSearch(
            organizationID: principal.organizationID,
            visibility: try await LeadVisibility.of(principal, on: db), database: db)
    }
}

/// Builds the database query for a ``LeadListQuery``.
struct LeadSearch: Sendable {
    let organizationID: UUID
    let visibility: LeadVisibility
    let database: any Database

    /// One-word name prefixes matched by at least this many leads are searched in the list's
    /// order (see ``commonPrefixMatches``); tests lower it to reach that path with few leads.
    var commonPrefixThreshold = Self.commonPrefixMatches

    /// A page of leads and the cursor of the next page.
    func page(_ list: LeadListQuery, limit: Int) async throws -> (leads: [Lead], next: String?) {
        let sort = list.sortOrder
        let rows = try await pageQuery(list, limit: limit).all()
        let leads = Array(rows.prefix(limit))
        let next =
            rows.count > limit ? leads.last.map { Cursor(after: $0, sort: sort).encoded } : nil
        return (leads, next)
    }

    /// The query of a page: the filters, the cursor, the order and `limit + 1` rows (the extra
    /// one tells whether a next page exists).
    func pageQuery(_ list: LeadListQuery, limit: Int) async throws -> QueryBuilder<Lead> {
        var query = try await filtered(list)
        let sort = list.sortOrder
        if let cursor = list.cursor.flatMap(Cursor.init(encoded:)) {
            query = cursor.apply(to: query, sort: sort)
        }
        return Cursor.order(query, sort: sort).limit(limit + 1)
    }

    /// Leads per status under the same filters (without the status filter), with the enrolled
    /// debt per status: the board's and the list's stage totals, in one `GROUP BY` query.
    func stageTotals(_ list: LeadListQuery) async throws -> [LeadStatus: (count: Int, debt: Int64)]
    {
        var withoutStatus = list
        withoutStatus.status = nil
        // Fluent adds the soft-delete condition only when it runs a query itself; deletion
        // stamps the current time, so "not deleted" is `deleted_at IS NULL` here.
        let query = try await filtered(withoutStatus).filter(\.$deletedAt == nil)
        guard let sql = database as? any SQLDatabase,
            var select = SQLQueryConverter(delegate: PlainSQLConverterDelegate())
                .convert(query.query) as? SQLSelect
        else { throw Abort(.internalServerError, reason: "Stage totals need an SQL database.") }
        select.columns = [
            SQLColumn("status"),
            SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("leads")),
            SQLAlias(
                SQLRaw("CAST(COALESCE(SUM(enrolled_debt_cents), 0) AS BIGINT)"),
                as: SQLIdentifier("debt")),
        ]
        select.groupBy = [SQLColumn("status")]
        select.orderBy = []
        select.limit = nil
        var totals: [LeadStatus: (count: Int, debt: Int64)] = [:]
        let builder = SQLSelectBuilder(on: sql)
        builder.select = select
        for row in try await builder.all() {
            guard
                let status = LeadStatus(rawValue: try row.decode(column: "status", as: String.self))
            else { continue }
            totals[status] = (
                try row.decode(column: "leads", as: Int.self),
                try row.decode(column: "debt", as: Int64.self)
            )
        }
        return totals
    }

    /// Every lead of the organization the principal may see.
    var visible: QueryBuilder<Lead> {
        visibility.apply(Lead.query(in: organizationID, on: database))
    }

    /// The filtered query without order or paging.
    func filtered(_ list: LeadListQuery) async throws -> QueryBuilder<Lead> {
        var query = visible
        if let text = list.q?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            query = try await search(query, text)
        }
        let statuses = list.statuses
        if !statuses.isEmpty { query = query.filter(\.$status ~~ statuses) }
        if let owner = list.owner, !owner.isEmpty {
            if owner == "none" {
                query = query.filter(\.$ownerID == nil)
            } else {
                query = query.filter(\.$ownerID == UUID(uuidString: owner))
            }
        }
        if let team = list.team.flatMap(UUID.init(uuidString:)) {
            query = query.filter(\.$teamID == team)
        }
        if let source = list.source.flatMap(UUID.init(uuidString:)) {
            query = query.filter(\.$sourceID == source)
        }
        if let state = list.state?.uppercased(), !state.isEmpty {
            query = query.filter(\.$state == state)
        }
        if let tag = list.tag.map(LeadTags.normalize), !tag.isEmpty {
            let tagged = try await LeadTag.query(in: organizationID, on: database)
                .filter(\.$tag == tag).all(\.$leadID)
            query = query.filter(\.$id ~~ tagged)
        }
        if let minimum = list.scoreMin { query = query.filter(\.$heatScore >= minimum) }
        if let maximum = list.scoreMax { query = query.filter(\.$heatScore <= maximum) }
        if let from = list.createdFrom.flatMap(Self.day) {
            query = query.filter(\.$createdAt >= from)
        }
        if let to = list.createdTo.flatMap(Self.day) {
            query = query.filter(\.$createdAt < to.addingTimeInterval(86_400))
        }
        return query
    }

    /// `q`: an e-mail (contains "@"), a phone number in any format (3+ digits, no letters), or
    /// a name prefix ("smi", "ali gom", "gomez, al").
    private func search(_ query: QueryBuilder<Lead>, _ text: String) async throws
        -> QueryBuilder<Lead>
    {
        if text.contains("@") {
            let email = text.lowercased()
            let ids = try await LeadEmailRecord.query(in: organizationID, on: database)
                .filter(\.$email >= email).filter(\.$email < email + "\u{10FFFF}")
                .limit(1_000).all(\.$leadID)
            return query.filter(\.$id ~~ ids)
        }
        if let digits = PhoneNumber.searchDigits(text) {
            let prefix = "+1" + digits
            let ids = try await LeadPhoneRecord.query(in: organizationID, on: database)
                .filter(\.$e164 >= prefix).filter(\.$e164 < prefix + "\u{10FFFF}")
                .limit(1_000).all(\.$leadID)
            return query.filter(\.$id ~~ ids)
        }
        var words = Lead.nameKey(text).split(separator: " ").map(String.init)
        if text.contains(","), words.count >= 2 {
            // "Gomez, Alicia": last name first.
            words = Array(words.dropFirst()) + [words[0].replacingOccurrences(of: ",", with: "")]
        }
        words = words.map { $0.replacingOccurrences(of: ",", with: "") }.filter { !$0.isEmpty }
        guard let first = words.first else { return query }
        if words.count == 1 {
            let cap = commonPrefixThreshold
            let matches =
                try await prefixMatches("last_name_key", first, cap: cap)
                + prefixMatches("first_name_key", first, cap: cap)
            if matches >= cap {
                // A common prefix: the newest matches are near the top of the list, so read
                // the list in its own order and test the name on each row (about
                // limit × leads / matches rows) rather than sort every match.
                return query.group(.or) { group in
                    group.filter(Self.startsWith("last_name_key", first))
                    group.filter(Self.startsWith("first_name_key", first))
                }
            }
            // A rare prefix: read its matches from the name indexes and sort them.
            return query.group(.or) { group in
                group.group(.and) {
                    $0.filter(\.$lastNameKey >= first).filter(\.$lastNameKey < first + "\u{10FFFF}")
                }
                group.group(.and) {
                    $0.filter(\.$firstNameKey >= first).filter(
                        \.$firstNameKey < first + "\u{10FFFF}")
                }
            }
        }
        let last = words[words.count - 1]
        return query.filter(\.$firstNameKey >= first).filter(\.$firstNameKey < first + "\u{10FFFF}")
            .filter(\.$lastNameKey >= last).filter(\.$lastNameKey < last + "\u{10FFFF}")
    }

    /// How many leads a one-word name prefix must match (first and last names together) to
    /// count as common. Below it the search reads the prefix's index ranges and sorts at most
    /// this many leads; above it it walks the list order and finds a page of matches within
    /// about `limit × leads ÷ this` rows (10,000 at a million leads).
    static let commonPrefixMatches = 5_000

    /// The organization's leads whose `column` (a name key with a prefix index) starts with
    /// `prefix`, counted up to `cap` from the index alone (deleted leads and visibility
    /// aside: this only tells a common prefix from a rare one).
    private func prefixMatches(_ column: String, _ prefix: String, cap: Int) async throws -> Int {
        guard cap > 0, let sql = database as? any SQLDatabase else { return 0 }
        let row = try await sql.raw(
            """
            SELECT COUNT(*) AS matches FROM (SELECT 1 FROM leads
            WHERE organization_id = \(bind: organizationID)
              AND \(ident: column) >= \(bind: prefix)
              AND \(ident: column) < \(bind: prefix + "\u{10FFFF}")
            LIMIT \(literal: cap)) AS matching
            """
        ).first()
        return try row?.decode(column: "matches", as: Int.self) ?? 0
    }

    /// `column` starts with `prefix`, written so that no index serves it: the planner then
    /// keeps the list order's index (SQLite and PostgreSQL alike).
    private static func startsWith(_ column: String, _ prefix: String) -> DatabaseQuery.Filter {
        let length = prefix.unicodeScalars.count
        return .sql(
            embed:
                "substr(\(ident: Lead.schema).\(ident: column), 1, \(literal: length)) = \(bind: prefix)"
        )
    }

    /// A `YYYY-MM-DD` day as the UTC instant it starts.
    static func day(_ text: String) -> Date? {
        guard let date = try? CalendarDate.parse(text) else { return nil }
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}

/// A keyset cursor: the sort value and id of the last row of a page, base64url-encoded.
struct Cursor: Sendable {
    var value: String
    var id: UUID

    init(after lead: Lead, sort: LeadListQuery.Sort) {
        id = lead.id ?? UUID()
        switch sort {
        case .newest, .oldest:
            value = String(lead.createdAt?.timeIntervalSince1970 ?? 0)
        case .updated:
            value = String(lead.updatedAt?.timeIntervalSince1970 ?? 0)
        case .name:
            value = lead.lastNameKey + "\u{1}" + lead.firstNameKey
        case .heat:
            value = String(lead.heatScore)
        }
    }

    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8),
            let bar = text.lastIndex(of: "|"),
            let id = UUID(uuidString: String(text[text.index(after: bar)...]))
        else { return nil }
        value = String(text[..<bar])
        self.id = id
    }

    var encoded: String {
        Data("\(value)|\(id.uuidString)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func order(_ query: QueryBuilder<Lead>, sort: LeadListQuery.Sort) -> QueryBuilder<Lead> {
        switch sort {
        case .newest: query.sort(\.$createdAt, .descending).sort(\.$id, .descending)
        case .oldest: query.sort(\.$createdAt, .ascending).sort(\.$id, .ascending)
        case .updated: query.sort(\.$updatedAt, .descending).sort(\.$id, .descending)
        case .name:
            query.sort(\.$lastNameKey).sort(\.$firstNameKey).sort(\.$id)
        case .heat:
            query.sort(\.$heatScore, .descending).sort(\.$id, .descending)
        }
    }

    /// Rows strictly after this cursor in `sort` order.
    func apply(to query: QueryBuilder<Lead>, sort: LeadListQuery.Sort) -> QueryBuilder<Lead> {
        switch sort {
        case .newest, .oldest, .updated:
            let instant = Date(timeIntervalSince1970: Double(value) ?? 0)
            let field: KeyPath<Lead, TimestampProperty<Lead, DefaultTimestampFormat>> =
                sort == .updated ? \.$updatedAt : \.$createdAt
            let descending = sort != .oldest
            // The bound on the column alone lets an index on (..., column, id) start at the
            // cursor; the group then drops the ties before it.
            let bounded =
                descending ? query.filter(field <= instant) : query.filter(field >= instant)
            return bounded.group(.or) { group in
                if descending {
                    group.filter(field < instant)
                    group.group(.and) { $0.filter(field == instant).filter(\.$id < id) }
                } else {
                    group.filter(field > instant)
                    group.group(.and) { $0.filter(field == instant).filter(\.$id > id) }
                }
            }
        case .name:
            let parts = value.split(separator: "\u{1}", omittingEmptySubsequences: false)
            let last = parts.first.map(String.init) ?? ""
            let first = parts.count > 1 ? String(parts[1]) : ""
            return query.filter(\.$lastNameKey >= last).group(.or) { group in
                group.filter(\.$lastNameKey > last)
                group.group(.and) {
                    $0.filter(\.$lastNameKey == last).filter(\.$firstNameKey > first)
                }
                group.group(.and) {
                    $0.filter(\.$lastNameKey == last).filter(\.$firstNameKey == first)
                        .filter(\.$id > id)
                }
            }
        case .heat:
            let score = Double(value) ?? 0
            return query.filter(\.$heatScore <= score).group(.or) { group in
                group.filter(\.$heatScore < score)
                group.group(.and) { $0.filter(\.$heatScore == score).filter(\.$id < id) }
            }
        }
    }
}

/// Converts Fluent queries of plain columns to SQL (the drivers' own delegates only add
/// schema data types, which queries do not use).
struct PlainSQLConverterDelegate: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
}
