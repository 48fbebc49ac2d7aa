import Fluent
import FluentSQL
import Foundation
import ReliefCore
import SQLKit
import Testing
import Vapor

@testable import ReliefApp

/// The lead list's queries at scale: both ways of searching a name prefix give the same pages,
/// stage totals are one query, and (on SQLite, with the statistics of a million-lead
/// organization) every list query is an index range, never a walk of the organization.
@Suite("Lead search")
struct LeadSearchTests {
    /// Leads created a minute apart through the API; returns the fixture and ids by name.
    static func seed(_ app: Application, _ clock: TestClock) async throws -> (
        Fixture, [String: UUID]
    ) {
        let fixture = try await Fixture.make(app, slug: "acme")
        let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
        let agent = try fixture.users[.agent]!.requireID()
        let seed = LeadSeed(api: api)
        var ids: [String: UUID] = [:]
        let people: [(String, String, String)] = [
            ("Alicia", "Gomez", #""state":"TX","owner_id":"\#(agent)""#),
            ("Alina", "Smith", #""state":"TX""#), ("Ben", "Smithers", #""state":"FL""#),
            ("Smitty", "Carter", #""state":"TX","owner_id":"\#(agent)""#),
            ("Chloe", "Smith", #""state":"TX","owner_id":"\#(agent)""#),
            ("Diego", "Ramirez", #""state":"CA""#), ("Ali", "Smalls", #""state":"TX""#),
            ("Sam", "Smith", #""state":"NY","owner_id":"\#(agent)""#),
        ]
        for (first, last, fields) in people {
            clock.advance(60)
            let id: UUID = try #require(UUID(uuidString: try await seed.lead(first, last, fields)))
            ids[first] = id
        }
        return (fixture, ids)
    }

    static func search(_ app: Application, _ fixture: Fixture, threshold: Int) throws
        -> LeadSearch
    {
        var search = LeadSearch(
            organizationID: try fixture.organization.requireID(),
            visibility: LeadVisibility(scope: .organization), database: app.db)
        search.commonPrefixThreshold = threshold
        return search
    }

    /// Every page of `query` (two leads a page), as ids in order.
    static func allPages(_ search: LeadSearch, _ query: String) async throws -> [UUID] {
        var list = try LeadListQuery.parse(query)
        var ids: [UUID] = []
        for _ in 0..<20 {
            let (leads, next) = try await search.page(list, limit: 2)
            ids += leads.compactMap(\.id)
            guard let next else { return ids }
            list.cursor = next
        }
        Issue.record("more than 20 pages for \(query)")
        return ids
    }

    @Test("a common and a rare name prefix are searched differently but give the same pages")
    func prefixPathsAgree() async throws {
        try await withApp { app, clock in
            let (fixture, ids) = try await Self.seed(app, clock)
            // Threshold 1: every prefix with a match counts as common (the list-order walk);
            // the default: every prefix here is rare (the name-index ranges).
            let walk = try Self.search(app, fixture, threshold: 1)
            let ranges = try Self.search(app, fixture, threshold: LeadSearch.commonPrefixMatches)
            for query in [
                "q=smi", "q=SMI", "q=al", "q=smith", "q=gom", "q=zz", "q=smi&state=TX",
                "q=smi&sort=name", "q=smi&sort=oldest", "q=ali%20gom", "q=smith,%20sam",
            ] {
                let common = try await Self.allPages(walk, query)
                #expect(common == (try await Self.allPages(ranges, query)), "\(query)")
            }
            let smi = try await Self.allPages(walk, "q=smi")
            #expect(
                smi == ["Sam", "Chloe", "Smitty", "Ben", "Alina"].map { ids[$0]! },
                "newest first, first or last name")
            #expect(
                try await Self.allPages(walk, "q=smi&state=TX")
                    == ["Chloe", "Smitty", "Alina"].map { ids[$0]! })
        }
    }

    @Test("the status, owner and state filter pages through its leads newest first")
    func filteredList() async throws {
        try await withApp { app, clock in
            let (fixture, ids) = try await Self.seed(app, clock)
            let agent = try fixture.users[.agent]!.requireID()
            let search = try Self.search(app, fixture, threshold: LeadSearch.commonPrefixMatches)

            let page = try await Self.allPages(search, "status=new&owner=\(agent)&state=TX")

            #expect(page == ["Chloe", "Smitty", "Alicia"].map { ids[$0]! })
        }
    }

    @Test("stage totals count leads and sum enrolled debt per status in one query")
    func stageTotals() async throws {
        try await withApp { app, clock in
            let (fixture, ids) = try await Self.seed(app, clock)
            let (api, _) = try await APIClient.signIn(app, fixture.owner.email)
            let seed = LeadSeed(api: api)
            let chloe = ids["Chloe"]!.uuidString
            try await seed.move(chloe, "contacted")
            try await seed.enrolledDebt(chloe, cents: 1_250_000)
            try await seed.enrolledDebt(chloe, cents: 50_000)
            try await seed.move(ids["Sam"]!.uuidString, "contacted")
            let search = try Self.search(app, fixture, threshold: LeadSearch.commonPrefixMatches)

            let all = try await search.stageTotals(LeadListQuery())
            let texas = try await search.stageTotals(try LeadListQuery.parse("state=TX&status=new"))

            #expect(all.count == 2)
            #expect(all[.new]?.count == 6)
            #expect(all[.new]?.debt == 0)
            #expect(all[.contacted]?.count == 2)
            #expect(all[.contacted]?.debt == 1_300_000)
            #expect(texas[.new]?.count == 4, "the status filter does not narrow the totals")
            #expect(texas[.contacted]?.count == 1)
        }
    }

    // MARK: - query plans

    /// `sqlite_stat1` as `ANALYZE` wrote it for an organization of 1,000,000 leads (one
    /// tenant, 10 statuses, 7 owners, 50 states, 29,000 distinct last names; generated from the
    /// demo data; `PRAGMA optimize`'s sampled analysis).
    static let millionLeadStatistics: [(String, String, String)] = [
        ("lead_emails", "lead_emails_lead", "1000000 1"),
        ("lead_emails", "lead_emails_org_email", "1000000 1000000 1"),
        ("lead_emails", "sqlite_autoindex_lead_emails_1", "1000000 1"),
        ("lead_phones", "lead_phones_lead", "1000415 1"),
        ("lead_phones", "lead_phones_org_e164", "1000415 1000415 1"),
        ("lead_phones", "sqlite_autoindex_lead_phones_1", "1000415 1"),
        ("leads", "leads_merged_into", "1000000 1000000"),
        ("leads", "leads_org_created", "1000000 1000000 1 1"),
        ("leads", "leads_org_email", "1000000 1000000 1"),
        ("leads", "leads_org_first_name", "1000000 1000000 5618"),
        ("leads", "leads_org_heat", "1000000 1000000 10"),
        ("leads", "leads_org_last_name", "1000000 1000000 35"),
        ("leads", "leads_org_owner", "1000000 1000000 142858 1"),
        ("leads", "leads_org_ssn_index", "1000000 1000000 1580"),
        ("leads", "leads_org_state", "1000000 1000000 28572"),
        ("leads", "leads_org_status_created", "1000000 1000000 100000 1 1"),
        ("leads", "leads_org_status_owner", "1000000 1000000 100000 16394 1"),
        ("leads", "leads_org_status_owner_state", "1000000 1000000 100000 16394 1099 1 1"),
        ("leads", "sqlite_autoindex_leads_1", "1000000 1"),
    ]

    /// SQLite's plan for `query` as Fluent runs it (every column, soft-deleted rows excluded).
    static func plan<M: Model>(_ query: QueryBuilder<M>, on sql: any SQLDatabase) async throws
        -> String
    {
        var fluent = query.query
        let deletedAt = DatabaseQuery.Field.extendedPath(
            ["deleted_at"], schema: M.schemaOrAlias, space: nil)
        if M.self == Lead.self {
            fluent.filters.append(
                .group(
                    [
                        .value(deletedAt, .equal, .null),
                        .value(deletedAt, .greaterThan, .bind(Date())),
                    ], .or))
        }
        var select = try #require(
            SQLQueryConverter(delegate: PlainSQLConverterDelegate()).convert(fluent) as? SQLSelect)
        select.columns = [SQLLiteral.all]
        return try await sql.raw("EXPLAIN QUERY PLAN \(select)").all()
            .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
    }

    @Test("with a million leads' statistics every list query reads an index range (SQLite)")
    func queryPlansAtScale() async throws {
        try await withApp { app, clock in
            let (fixture, ids) = try await Self.seed(app, clock)
            guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else {
                return
            }
            let agent = fixture.users[.agent]!
            let agentID = try agent.requireID()
            let organizationID = try fixture.organization.requireID()
            // One connection: statistics are loaded per connection. (Expectations stay outside
            // the closure, which runs outside the test's task.)
            let plans = try await app.db.withConnection { db -> [String: String] in
                let sql = try #require(db as? any SQLDatabase)
                try await sql.raw("ANALYZE").run()
                try await sql.raw("DELETE FROM sqlite_stat1").run()
                for (table, index, stat) in Self.millionLeadStatistics {
                    try await sql.raw(
                        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (\(bind: table), \(bind: index), \(bind: stat))"
                    ).run()
                }
                try await sql.raw("ANALYZE sqlite_schema").run()
                var search = LeadSearch(
                    organizationID: organizationID,
                    visibility: LeadVisibility(scope: .organization), database: db)
                func plan(_ search: LeadSearch, _ query: String) async throws -> String {
                    try await Self.plan(
                        search.pageQuery(LeadListQuery.parse(query), limit: 50), on: sql)
                }
                var plans: [String: String] = [:]
                plans["rare"] = try await plan(search, "q=gom")
                search.commonPrefixThreshold = 1
                plans["common"] = try await plan(search, "q=smi")
                let filter = "status=new&owner=\(agentID)&state=TX"
                plans["filtered"] = try await plan(search, filter)
                let first = try await search.page(LeadListQuery.parse(filter), limit: 1)
                plans["next"] = try await plan(search, filter + "&cursor=\(first.next ?? "")")
                let own = LeadSearch(
                    organizationID: organizationID,
                    visibility: LeadVisibility(scope: .own(userID: agentID.uuidString)),
                    database: db)
                plans["agent"] = try await plan(own, "status=new&state=TX")
                let page = Array(ids.values)
                plans["phones"] = try await Self.plan(
                    LeadDetails.phones(of: page, organizationID: organizationID, on: db), on: sql)
                plans["emails"] = try await Self.plan(
                    LeadDetails.emails(of: page, organizationID: organizationID, on: db), on: sql)
                return plans
            }
            func plan(_ name: String) -> String { plans[name] ?? "" }

            // A rare name prefix: both name indexes, then a sort of the matches.
            #expect(plan("rare").contains("INDEX leads_org_last_name"), "\(plan("rare"))")
            #expect(plan("rare").contains("INDEX leads_org_first_name"), "\(plan("rare"))")
            #expect(!plan("rare").contains("SCAN leads"), "\(plan("rare"))")
            // A common one: the list order's index, no sort.
            #expect(plan("common").contains("INDEX leads_org_created"), "\(plan("common"))")
            #expect(!plan("common").contains("TEMP B-TREE"), "\(plan("common"))")
            #expect(!plan("common").contains("SCAN leads"), "\(plan("common"))")
            // Status + owner + state: one index range in list order.
            let filtered = plan("filtered")
            #expect(filtered.contains("INDEX leads_org_status_owner_state"), "\(filtered)")
            #expect(!filtered.contains("TEMP B-TREE"), "\(filtered)")
            // Its next page starts at the cursor instead of skipping the first page.
            #expect(plan("next").contains("INDEX leads_org_status_owner_state"), "\(plan("next"))")
            #expect(plan("next").contains("created_at<?"), "\(plan("next"))")
            // An agent (who sees only their own leads) filtering status and state.
            #expect(
                plan("agent").contains("INDEX leads_org_status_owner_state"), "\(plan("agent"))")
            // A page's phones and e-mails: by lead, not the organization's whole list.
            #expect(plan("phones").contains("INDEX lead_phones_lead"), "\(plan("phones"))")
            #expect(plan("emails").contains("INDEX lead_emails_lead"), "\(plan("emails"))")
        }
    }
}
