import Fluent
import SQLKit
import Testing
import Vapor

@testable import ReliefApp

/// Proves that a user of organization B can neither list, read, change nor delete
/// organization A's rows, through the API or the web pages (always 404, never 403).
@Suite("Tenant isolation")
struct TenantIsolationTests {
    /// How each tenant-scoped model is reachable from outside, if at all.
    struct Surface {
        var list: [String] = []
        var item: [String] = []
        var change: [(HTTPMethod, String, String?)] = []
        /// Changes of many rows at once (bulk): they answer, but report the row as not found
        /// (API) and change nothing (checked at the end).
        var batch: [(HTTPMethod, String, String?)] = []
    }

    /// Every registered model must be described here; models with no route say so explicitly.
    static func surfaces(_ id: String) -> [String: Surface] {
        [
            "users": Surface(
                list: ["/api/v1/users"], item: ["/api/v1/users/\(id)", "/app/admin/users/\(id)"],
                change: [
                    (.PATCH, "/api/v1/users/\(id)", #"{"name":"Hacked"}"#),
                    (.DELETE, "/api/v1/users/\(id)", nil),
                    (.POST, "/app/admin/users/\(id)", "name=Hacked&role=agent"),
                    (.POST, "/app/admin/users/\(id)/deactivate", ""),
                ]),
            "teams": Surface(
                list: ["/api/v1/teams"], item: ["/api/v1/teams/\(id)", "/app/admin/teams/\(id)"],
                change: [
                    (.PATCH, "/api/v1/teams/\(id)", #"{"name":"Hacked"}"#),
                    (.DELETE, "/api/v1/teams/\(id)", nil),
                    (.POST, "/app/admin/teams/\(id)", "name=Hacked"),
                    (.POST, "/app/admin/teams/\(id)/delete", ""),
                ]),
            "team_members": Surface(),
            "user_sessions": Surface(change: [(.POST, "/app/account/sessions/\(id)/revoke", "")]),
            "api_keys": Surface(
                list: ["/api/v1/api-keys"],
                change: [
                    (.DELETE, "/api/v1/api-keys/\(id)", nil),
                    (.POST, "/app/account/api-keys/\(id)/revoke", ""),
                ]),
            "refresh_tokens": Surface(),
            "recovery_codes": Surface(),
            "one_time_tokens": Surface(),
            "audit_events": Surface(list: ["/api/v1/audit-events", "/app/admin/audit"]),
            "outbox_messages": Surface(list: ["/app/admin/outbox"]),
            "leads": Surface(
                list: [
                    "/api/v1/leads", "/app/leads", "/app/leads?q=alpha", "/app/pipeline",
                    "/app/pipeline?q=alpha", "/api/v1/leads/export.csv", "/app/leads/export.csv",
                ],
                item: [
                    "/api/v1/leads/\(id)", "/api/v1/leads/\(id)/timeline",
                    "/api/v1/leads/\(id)/notes", "/api/v1/leads/\(id)/debts",
                    "/api/v1/leads/\(id)/tasks", "/app/leads/\(id)", "/app/leads/\(id)/edit",
                    "/app/leads/\(id)/merge/\(id)", "/app/leads/\(id)/evidence",
                    "/app/leads/\(id)/evidence.json", "/api/v1/leads/\(id)/compliance-evidence",
                ],
                change: [
                    (.PATCH, "/api/v1/leads/\(id)", #"{"first_name":"Hacked"}"#),
                    (.DELETE, "/api/v1/leads/\(id)", nil),
                    (.POST, "/api/v1/leads/\(id)/status", #"{"status":"contacted"}"#),
                    (.POST, "/api/v1/leads/\(id)/notes", #"{"body":"Hacked"}"#),
                    (.POST, "/api/v1/leads/\(id)/debts", #"{"creditor":"X","balance_cents":1}"#),
                    (.POST, "/app/leads/\(id)", "first_name=Hacked&last_name=X&phone=2125550100"),
                    (.POST, "/app/leads/\(id)/delete", ""),
                    (.POST, "/app/leads/\(id)/status", "status=contacted"),
                    (.POST, "/app/leads/\(id)/notes", "body=Hacked"),
                    (.POST, "/app/leads/\(id)/debts", "creditor=X&balance=1"),
                    (
                        .POST, "/app/leads/\(id)/consents",
                        "kind=sms_marketing&granted=true&disclosure_text=x"
                    ),
                    (.POST, "/app/leads/\(id)/reveal", ""),
                    (.POST, "/api/v1/leads/\(id)/merge", #"{"other_id":"\#(id)"}"#),
                    (
                        .POST, "/api/v1/leads/\(id)/tasks",
                        #"{"title":"Hacked","due_at":"2030-01-01T00:00:00Z"}"#
                    ),
                    (.POST, "/app/leads/\(id)/merge/\(id)", ""),
                    (
                        .POST, "/app/leads/\(id)/tasks",
                        "title=Hacked&due_date=2030-01-01&due_time=09:00"
                    ),
                    (.POST, "/app/leads/\(id)/custom-fields", "cf_x=Hacked"),
                    (.POST, "/app/pipeline/leads/\(id)/move", "status=contacted"),
                    (.POST, "/app/leads/\(id)/internal-dnc", "phone=2125550100&reason=Hacked"),
                    (.POST, "/app/leads/\(id)/compliance-flags", "kind=deceased&note=Hacked"),
                ],
                batch: [
                    (
                        .POST, "/api/v1/leads/bulk",
                        #"{"lead_ids":["\#(id)"],"action":"status","status":"contacted"}"#
                    ),
                    (
                        .POST, "/api/v1/leads/bulk",
                        #"{"lead_ids":["\#(id)"],"action":"assign_by_rules"}"#
                    ),
                    (
                        .POST, "/api/v1/leads/bulk",
                        #"{"lead_ids":["\#(id)"],"action":"tag","tag":"x"}"#
                    ),
                    (.POST, "/app/leads/bulk", "lead_ids=\(id)&action=status&status=contacted"),
                    (.POST, "/app/leads/bulk", "lead_ids=\(id)&action=tag&tag=x"),
                ]),
            // Reached only through their lead (covered above); debts additionally by id under
            // the attacker's own lead in LeadsAPITests.crossTenantDebt.
            "lead_phones": Surface(),
            "lead_emails": Surface(),
            "lead_tags": Surface(),
            "activities": Surface(),
            "consents": Surface(),
            "debts": Surface(),
            "tasks": Surface(
                list: ["/api/v1/tasks", "/app/tasks"],
                change: [
                    (.PATCH, "/api/v1/tasks/\(id)", #"{"title":"Hacked"}"#),
                    (.DELETE, "/api/v1/tasks/\(id)", nil),
                    (.POST, "/app/tasks/\(id)/complete", ""),
                    (.POST, "/app/tasks/\(id)/reopen", ""),
                    (.POST, "/app/tasks/\(id)/delete", ""),
                ]),
            "lead_sources": Surface(
                list: ["/app/leads", "/app/admin/sources", "/app/reports/sources"],
                change: [(.POST, "/app/admin/sources/\(id)", "vendor=Hacked&cost_per_lead=1")]),
            "custom_field_definitions": Surface(
                list: ["/app/admin/custom-fields"], item: ["/app/admin/custom-fields/\(id)"],
                change: [
                    (.POST, "/app/admin/custom-fields/\(id)", "label=Hacked"),
                    (.POST, "/app/admin/custom-fields/\(id)/move", "direction=up"),
                    (.POST, "/app/admin/custom-fields/\(id)/active", "active=false"),
                ]),
            "assignment_rules": Surface(
                list: ["/app/admin/assignment"], item: ["/app/admin/assignment/rules/\(id)"],
                change: [
                    (.POST, "/app/admin/assignment/rules/\(id)", "name=Hacked&target_type=team"),
                    (.POST, "/app/admin/assignment/rules/\(id)/delete", ""),
                    (.POST, "/app/admin/assignment/rules/\(id)/move", "direction=up"),
                ]),
            "round_robin_counters": Surface(list: ["/app/admin/assignment"]),
            "lead_imports": Surface(
                list: ["/app/imports"],
                item: [
                    "/app/imports/\(id)", "/app/imports/\(id)/progress",
                    "/app/imports/\(id)/rejected.csv", "/api/v1/imports/\(id)",
                    "/api/v1/imports/\(id)/rejected.csv",
                ],
                change: [(.POST, "/app/imports/\(id)/start", "duplicates=skip")]),
            // Read only through their import's rejected-rows CSV (covered above).
            "lead_import_rejections": Surface(),
            // Applied only to the organization's own uploads.
            "import_mappings": Surface(),
            "saved_views": Surface(
                list: ["/api/v1/lead-views", "/app/leads"],
                change: [
                    (.DELETE, "/api/v1/lead-views/\(id)", nil),
                    (.POST, "/app/leads/views/\(id)/delete", ""),
                ]),
            "internal_dnc_numbers": Surface(
                list: [
                    "/api/v1/compliance/internal-dnc?include_removed=true",
                    "/app/compliance/internal-dnc",
                ],
                change: [(.POST, "/app/compliance/internal-dnc/\(id)/remove", "reason=Hacked")]),
            // Changed only through inbound messages to the organization's own numbers; read on
            // the dashboard and their lead's evidence (covered above).
            "contact_opt_outs": Surface(list: ["/app/compliance"]),
            "compliance_flags": Surface(
                list: ["/api/v1/compliance/flags", "/app/compliance/flags", "/app/compliance"],
                change: [
                    (.POST, "/api/v1/compliance/flags/\(id)/review", #"{"decision":"clear"}"#),
                    (.POST, "/app/compliance/flags/\(id)/review", "decision=clear&note=Hacked"),
                ]),
            // Read through their lead's timeline and evidence (covered above), the dashboard and
            // the organization's checks.
            "contact_decisions": Surface(list: ["/app/compliance"]),
            "dnc_registry_uploads": Surface(
                list: [
                    "/api/v1/compliance/dnc-registry", "/app/compliance/dnc",
                    "/app/compliance/dnc?upload=\(id)", "/app/compliance",
                ]),
            // Loaded only into the organization's own registry (ComplianceAPITests.crossTenant).
            "dnc_registry_blocks": Surface(),
            "caller_ids": Surface(
                list: ["/api/v1/compliance/caller-ids", "/app/compliance/caller-ids"],
                change: [
                    (.POST, "/api/v1/compliance/caller-ids/\(id)/restore", ""),
                    (.POST, "/api/v1/compliance/caller-ids/\(id)/calls", #"{"answered":true}"#),
                    (.POST, "/app/compliance/caller-ids/\(id)/restore", ""),
                ]),
            "caller_id_days": Surface(
                list: ["/api/v1/compliance/caller-ids", "/app/compliance/caller-ids"]),
            "compliance_settings": Surface(
                list: ["/api/v1/compliance/settings", "/app/compliance/settings"]),
            // Read through their lead's page (covered above).
            "engagement_events": Surface(),
            "engagement_settings": Surface(list: ["/api/v1/engagement/settings"]),
            "landing_pages": Surface(
                list: ["/app/landing-pages"], item: ["/app/landing-pages/\(id)"],
                change: [
                    (.POST, "/app/landing-pages/\(id)", "title=Hacked&slug=hacked&body=x"),
                    (.POST, "/app/landing-pages/\(id)/publish", "published=false"),
                ]),
            // Written by the public form only; read by the beacon endpoint.
            "landing_visitors": Surface(),
            "jobs": Surface(
                list: ["/app/admin/jobs"],
                change: [
                    (.POST, "/app/admin/jobs/\(id)/retry", ""),
                    (.POST, "/app/admin/jobs/\(id)/discard", ""),
                ]),
        ]
    }

    @Test(
        "every table with organization_id is a registered tenant-scoped model with a described surface"
    )
    func registryCoversSchema() async throws {
        try await withApp { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            let tables: [String]
            if TestDatabase.isPostgres {
                tables = try await sql.raw(
                    "SELECT table_name AS name FROM information_schema.columns WHERE column_name = 'organization_id' AND table_schema = current_schema()"
                ).all().map { try $0.decode(column: "name", as: String.self) }
            } else {
                let all = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
                    .all()
                    .map { try $0.decode(column: "name", as: String.self) }
                var withColumn: [String] = []
                for table in all {
                    let columns = try await sql.raw(
                        "SELECT name FROM pragma_table_info(\(bind: table))"
                    ).all()
                        .map { try $0.decode(column: "name", as: String.self) }
                    if columns.contains("organization_id") { withColumn.append(table) }
                }
                tables = withColumn
            }
            let registered = Set(TenantRegistry.models.map { $0.schema })
            #expect(Set(tables) == registered)
            #expect(Set(Self.surfaces("x").keys) == registered)
        }
    }

    @Test("organization B cannot list, read, change or delete organization A's rows")
    func crossTenantAccessIsInvisible() async throws {
        try await withApp { app, _ in
            let orgA = try await Fixture.make(app, slug: "alpha")
            _ = try await Fixture.make(app, slug: "bravo")
            let owner = orgA.owner

            // Rows of every tenant-scoped kind in organization A.
            let alphaBrowser = Browser(app)
            try await alphaBrowser.signIn(owner.email)
            let (alphaAPI, _) = try await APIClient.signIn(app, owner.email)
            let team = try await alphaAPI.call(
                .POST, "/api/v1/teams",
                json:
                    #"{"name":"Alpha closers","member_ids":["\#(try owner.requireID)","\#(try orgA.users[.agent]!.requireID)"]}"#
            )
            #expect(team.status == .created)
            let teamID = try #require(try team.json()["id"] as? String)
            try await alphaBrowser.get("/app/admin/assignment/rules/new")
            let rule = try await alphaBrowser.post(
                "/app/admin/assignment/rules",
                [
                    ("name", "Everyone"), ("is_active", "yes"), ("target_type", "team"),
                    ("target_team", teamID),
                ])
            #expect(rule.status == .seeOther, "\(rule.body.string)")
            let key = try await alphaAPI.call(
                .POST, "/api/v1/api-keys", json: #"{"name":"vendor","scopes":["users.read"]}"#)
            #expect(key.status == .created)
            try await alphaBrowser.get("/password/forgot")
            try await alphaBrowser.post("/password/forgot", [("email", orgA.users[.agent]!.email)])
            _ = try await SecondFactor.issueRecoveryCodes(for: owner, on: app.db)
            try await Jobs.enqueue(
                MaintenanceJob.self, .init(), organizationID: try orgA.organization.requireID,
                on: app.db, now: app.relief.now())
            try await Job.query(on: app.db).set(\.$state, to: .dead).update()
            let lead = try await alphaAPI.call(
                .POST, "/api/v1/leads",
                json: #"""
                    {"first_name":"Alpha","last_name":"Lead","phone":"2125550100",
                     "email":"alpha@lead.example","source":"Alpha vendor","tags":["vip"],
                     "consents":[{"kind":"tcpa_calls_texts","disclosure_text":"I agree."}]}
                    """#)
            #expect(lead.status == .created, "\(lead.body.string)")
            let leadID = try #require(try lead.json()["id"] as? String)
            let leadOwner = try await Lead.find(UUID(uuidString: leadID), on: app.db)?.ownerID
            let debt = try await alphaAPI.call(
                .POST, "/api/v1/leads/\(leadID)/debts",
                json: #"{"creditor":"Chase","balance_cents":100000}"#)
            #expect(debt.status == .created)
            let upload = try await alphaAPI.upload(
                "/api/v1/imports?source=Alpha%20vendor&mapping=%7B%22Name%22%3A%22full_name%22%2C%22Cell%22%3A%22phone%22%7D",
                Array("Name,Cell\nAlpha Two,2125550199\nBad Row,123\n".utf8))
            #expect(upload.status == .accepted, "\(upload.body.string)")
            _ = try await ImportTests.finish(
                app, try #require(try upload.json()["id"] as? String))
            let task = try await alphaAPI.call(
                .POST, "/api/v1/leads/\(leadID)/tasks",
                json: #"{"title":"Call back","due_at":"2030-01-01T15:00:00Z"}"#)
            #expect(task.status == .created)
            try await alphaBrowser.get("/app/admin/custom-fields")
            let field = try await alphaBrowser.post(
                "/app/admin/custom-fields", [("label", "Employer"), ("kind", "text")])
            #expect(field.status == .seeOther)
            let view = try await alphaAPI.call(
                .POST, "/api/v1/lead-views", json: #"{"name":"Alpha view","query":"q=alpha"}"#)
            #expect(view.status == .created)

            // Compliance rows: a registry, the internal list, an opt-out, a flag, a recorded
            // decision, a caller id with a day's count, and the settings.
            let registry = try await alphaAPI.upload(
                "/api/v1/compliance/dnc-registry?list=national&downloaded_at=2026-01-01",
                Array("2125550100\n".utf8), contentType: .plainText)
            #expect(registry.status == .ok, "\(registry.body.string)")
            for (path, json) in [
                ("/api/v1/compliance/internal-dnc", #"{"phone":"2125550100"}"#),
                ("/api/v1/compliance/inbound-messages", #"{"from":"2125550100","body":"STOP"}"#),
                ("/api/v1/leads/\(leadID)/compliance-flags", #"{"kind":"deceased"}"#),
                (
                    "/api/v1/compliance/check",
                    #"{"lead_id":"\#(leadID)","channel":"email","purpose":"transactional","record":true}"#
                ),
                ("/api/v1/compliance/caller-ids", #"{"phone":"3055550140"}"#),
                ("/api/v1/compliance/caller-ids/pick", #"{"lead_id":"\#(leadID)"}"#),
            ] {
                let response = try await alphaAPI.call(.POST, path, json: json)
                #expect(response.status.code < 300, "\(path): \(response.body.string)")
            }
            let settings = try await alphaAPI.call(
                .PUT, "/api/v1/compliance/settings", json: #"{"calls_per_24h":2}"#)
            #expect(settings.status == .ok)

            // Engagement: an open of a tracked message, and the heat score settings.
            let signer = TrackingTokenSigner(keyRing: app.relief.keys)
            let open = signer.sign(
                TrackingToken(
                    kind: .open, organizationID: try orgA.organization.requireID(),
                    messageID: UUID(), leadID: try #require(UUID(uuidString: leadID)),
                    sentAt: Date(timeIntervalSince1970: 0), linkCount: 0))
            try await app.testing().test(.GET, "/t/o/\(open).gif") { #expect($0.status == .ok) }
            await app.engagement.flush()
            let weights = try await alphaAPI.call(
                .PUT, "/api/v1/engagement/settings",
                json:
                    #"{"half_life_hours":48,"hot_threshold":12,"weights":{"open":2},"deep_scroll_depth":75,"long_read_seconds":120}"#
            )
            #expect(weights.status == .ok, "\(weights.body.string)")

            // Landing pages: a published page, and a visitor tied to a lead by its form.
            try await alphaBrowser.get("/app/landing-pages/new")
            let landing = try await alphaBrowser.post(
                "/app/landing-pages",
                [
                    ("title", "Alpha page"), ("slug", "alpha-page"), ("body", "Hi"),
                    ("has_form", "yes"),
                ])
            #expect(landing.status == .seeOther, "\(landing.body.string)")
            let landingID =
                try #require(landing.headers.first(name: .location)).split(separator: "/")
                .last.map(String.init) ?? ""
            try await alphaBrowser.get("/app/landing-pages/\(landingID)")
            try await alphaBrowser.post(
                "/app/landing-pages/\(landingID)/publish", [("published", "true")])
            let landingPage = try await alphaBrowser.get("/p/alpha-page").body.string
            let formRange = try #require(
                landingPage.range(of: #"name="_form" value="[^"]+""#, options: .regularExpression))
            let formToken = String(
                landingPage[formRange].dropFirst(#"name="_form" value=""#.count).dropLast())
            let submitted = try await alphaBrowser.post(
                "/p/alpha-page",
                [
                    ("_form", formToken), ("first_name", "Alpha"), ("last_name", "Lead"),
                    ("phone", "2125550100"), ("visitor_id", "alpha-visitor"),
                ], csrf: false)
            #expect(submitted.status == .ok, "\(submitted.body.string)")

            var rows: [String: [UUID]] = [:]
            for model in TenantRegistry.models {
                rows[model.schema] = try await ids(
                    of: model, in: try orgA.organization.requireID, on: app.db)
                #expect(!(rows[model.schema] ?? []).isEmpty, "no \(model.schema) row to attack")
            }

            // Organization B's owner, signed in on the web and the API.
            let bravoBrowser = Browser(app)
            try await bravoBrowser.signIn("owner@bravo.example")
            let (bravoAPI, _) = try await APIClient.signIn(app, "owner@bravo.example")

            for (table, ids) in rows {
                for id in ids {
                    let surface = try #require(Self.surfaces(id.uuidString)[table])
                    for path in surface.list {
                        let body =
                            path.hasPrefix("/api")
                            ? try await bravoAPI.call(.GET, path).body.string
                            : try await bravoBrowser.get(path).body.string
                        #expect(
                            !body.contains(id.uuidString), "\(table) \(id) leaked through \(path)")
                    }
                    for path in surface.item {
                        let status =
                            path.hasPrefix("/api")
                            ? try await bravoAPI.call(.GET, path).status
                            : try await bravoBrowser.get(path).status
                        #expect(status == .notFound, "\(table) read via \(path) gave \(status)")
                    }
                    for (method, path, body) in surface.change {
                        let status: HTTPStatus
                        if path.hasPrefix("/api") {
                            status = try await bravoAPI.call(method, path, json: body).status
                        } else {
                            try await bravoBrowser.get("/app")
                            let form = (body ?? "").split(separator: "&").map {
                                pair -> (String, String) in
                                let parts = pair.split(separator: "=", maxSplits: 1).map(
                                    String.init)
                                return (parts[0], parts.count > 1 ? parts[1] : "")
                            }
                            status = try await bravoBrowser.post(path, form).status
                        }
                        #expect(
                            status == .notFound,
                            "\(table) change via \(method) \(path) gave \(status)")
                    }
                    for (method, path, body) in surface.batch {
                        if path.hasPrefix("/api") {
                            let response = try await bravoAPI.call(method, path, json: body)
                            #expect(response.status == .ok, "\(table) batch via \(path)")
                            let results = try response.json()["results"] as? [[String: Any]]
                            #expect(
                                results?.first?["result"] as? String == "not_found",
                                "\(table) batch via \(path): \(response.body.string)")
                        } else {
                            try await bravoBrowser.get("/app/leads")
                            let form = (body ?? "").split(separator: "&").map {
                                pair -> (String, String) in
                                let parts = pair.split(separator: "=", maxSplits: 1).map(
                                    String.init)
                                return (parts[0], parts.count > 1 ? parts[1] : "")
                            }
                            let status = try await bravoBrowser.post(path, form).status
                            #expect(status == .seeOther, "\(table) batch via \(path)")
                            let page = try await bravoBrowser.get("/app/leads").body.string
                            #expect(page.contains("1 not found"), "\(table) batch via \(path)")
                        }
                    }
                }
            }

            // Nothing of organization A changed.
            let alphaOrgID = try orgA.organization.requireID
            for (table, before) in rows
            where table != "audit_events" && table != "user_sessions" && table != "refresh_tokens" {
                let model = try #require(TenantRegistry.models.first { $0.schema == table })
                let after = try await ids(of: model, in: alphaOrgID, on: app.db)
                #expect(Set(after) == Set(before), "\(table) rows changed")
            }
            let users = try await User.query(in: alphaOrgID, on: app.db).all()
            #expect(users.allSatisfy { $0.isActive && !$0.name.contains("Hacked") })
            let teams = try await Team.query(in: alphaOrgID, on: app.db).all()
            #expect(teams.map(\.name) == ["Alpha closers"])
            let liveKeys = try await ApiKey.query(in: alphaOrgID, on: app.db).filter(
                \.$revokedAt == nil
            ).count()
            #expect(liveKeys == 1)
            let liveSessions = try await UserSession.query(in: alphaOrgID, on: app.db).filter(
                \.$revokedAt == nil
            ).count()
            #expect(liveSessions == 1)
            let leads = try await Lead.query(in: alphaOrgID, on: app.db).all()
            #expect(leads.map(\.firstName).sorted() == ["Alpha", "Alpha"])
            #expect(leads.first?.status == .new)
            let tasks = try await LeadTask.query(in: alphaOrgID, on: app.db).all()
            #expect(tasks.map(\.title) == ["Call back"])
            #expect(tasks.allSatisfy { $0.completedAt == nil })
            let sources = try await LeadSource.query(in: alphaOrgID, on: app.db).all()
            #expect(sources.allSatisfy { $0.vendor.isEmpty && $0.costPerLeadCents == 0 })
            let fields = try await CustomFieldDefinition.query(in: alphaOrgID, on: app.db).all()
            #expect(fields.map(\.label) == ["Employer"])
            #expect(fields.allSatisfy { $0.isActive })
            #expect(leads.first { $0.id?.uuidString == leadID }?.ownerID == leadOwner)
            #expect(
                try await SavedView.query(in: alphaOrgID, on: app.db).all().map(\.name) == [
                    "Alpha view"
                ])
        }
    }

    private func ids(of model: any TenantScoped.Type, in org: UUID, on database: any Database)
        async throws -> [UUID]
    {
        func load<M: TenantScoped>(_ type: M.Type) async throws -> [UUID] {
            try await M.query(in: org, on: database).all().compactMap(\.id)
        }
        return try await load(model)
    }
}
