import Fluent
import ReliefCore
import Vapor

/// Filters for reading the audit trail, from a page's query string or the API.
struct AuditFilter: Content {
    var actor: String?
    var action: String?
    var entity: String?
    var from: String?
    var to: String?
    var before: Int?
    var limit: Int?

    /// The matching events of an organization, newest first, in pages keyed by sequence.
    func query(_ organization: Organization, on database: any Database) throws -> QueryBuilder<
        AuditEvent
    > {
        var check = FieldCheck()
        var query = AuditEvent.query(in: try organization.requireID, on: database)
        if let actor = actor?.trimmingCharacters(in: .whitespaces), !actor.isEmpty {
            query = query.filter(\.$actorLabel ~~ actor)
        }
        if let action = action?.trimmingCharacters(in: .whitespaces), !action.isEmpty {
            query = query.group(.or) {
                $0.filter(\.$action == action).filter(\.$action =~ "\(action).")
            }
        }
        if let entity = entity?.trimmingCharacters(in: .whitespaces), !entity.isEmpty {
            query = query.group(.or) {
                $0.filter(\.$entityType == entity).filter(\.$entityID == entity)
            }
        }
        let zone = TimeZone(identifier: organization.timeZone) ?? .gmt
        if let from = from, !from.isEmpty {
            if let date = AuditFilter.day(from, zone) {
                query = query.filter(\.$occurredAt >= date)
            } else {
                check.fail("from", "Use a date like 2026-01-31.")
            }
        }
        if let to = to, !to.isEmpty {
            if let date = AuditFilter.day(to, zone) {
                query = query.filter(\.$occurredAt < date.addingTimeInterval(86_400))
            } else {
                check.fail("to", "Use a date like 2026-01-31.")
            }
        }
        if let before { query = query.filter(\.$sequence < before) }
        try check.throwIfFailed()
        return query.sort(\.$sequence, .descending)
    }

    var pageSize: Int { min(max(limit ?? 50, 1), 500) }

    static func day(_ text: String, _ zone: TimeZone) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }

    /// The query string for these filters (without paging).
    var queryString: String {
        [("actor", actor), ("action", action), ("entity", entity), ("from", from), ("to", to)]
            .compactMap { key, value in
                value.flatMap { $0.isEmpty ? nil : "\(key)=\($0.percentEncodedForQuery)" }
            }
            .joined(separator: "&")
    }
}

/// The actions offered in the audit filter.
enum AuditActions {
    static let known = [
        "auth.login", "auth.login.succeeded", "auth.login.failed", "auth.login.throttled",
        "auth.logout",
        "auth.2fa", "auth.password_changed", "auth.password_reset", "access.denied", "user", "team",
        "organization", "api_key", "audit.exported", "sensitive.read",
    ]
}

/// `/app/admin/audit` and its CSV export.
struct AuditWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "audit", use: page).access(.requires(.auditRead))
        routes.get("admin", "audit", "export.csv", use: export).access(.requires(.auditExport))
    }

    func page(req: Request) async throws -> Response {
        let principal = try req.principal
        let filter = try req.query.decode(AuditFilter.self)
        let zone = principal.organization.timeZone
        let events = try await filter.query(principal.organization, on: req.db).limit(
            filter.pageSize + 1
        ).all()
        let shown = Array(events.prefix(filter.pageSize))
        let base = filter.queryString
        let nextURL =
            events.count > filter.pageSize
            ? shown.last.map {
                "/app/admin/audit?\(base)\(base.isEmpty ? "" : "&")before=\($0.sequence)"
            } : nil
        let rows = shown.map {
            AuditRow(
                sequence: $0.sequence,
                occurredAt: DisplayDate.string($0.occurredAt, timeZone: zone),
                actor: $0.actorLabel, action: $0.action,
                entity: [$0.entityType, String(($0.entityID ?? "").prefix(8)).lowercased()]
                    .filter { !$0.isEmpty }.joined(separator: " "),
                ip: $0.ip, requestID: $0.requestID, changes: AuditDiff.readable($0.changes))
        }
        return try await req.render(
            "admin/audit",
            AuditPage(
                page: req.pageContext(title: "Audit log", section: "audit"), events: rows,
                actor: filter.actor ?? "",
                actions: [
                    SelectOption(
                        value: "", label: "Any action", selected: (filter.action ?? "").isEmpty)
                ]
                    + AuditActions.known.map {
                        SelectOption(value: $0, label: $0, selected: $0 == filter.action)
                    },
                entity: filter.entity ?? "", from: filter.from ?? "", to: filter.to ?? "",
                exportURL: "/app/admin/audit/export.csv\(base.isEmpty ? "" : "?\(base)")",
                nextURL: nextURL,
                canExport: principal.can(.auditExport)))
    }

    /// Exports every matching row (up to 100,000) as CSV; the export itself is audited.
    func export(req: Request) async throws -> Response {
        let principal = try req.principal
        var filter = try req.query.decode(AuditFilter.self)
        filter.before = nil
        let events = try await filter.query(principal.organization, on: req.db).limit(100_000).all()
        var csv = CSVWriter(header: [
            "sequence", "occurred_at", "actor_type", "actor_id", "actor", "action", "entity_type",
            "entity_id", "changes", "ip", "user_agent", "request_id", "hash",
        ])
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for event in events {
            csv.append([
                String(event.sequence), iso.string(from: event.occurredAt), event.actorType,
                event.actorID ?? "",
                event.actorLabel, event.action, event.entityType, event.entityID ?? "",
                event.changes,
                event.ip, event.userAgent, event.requestID, event.hash,
            ])
        }
        try await req.audit(
            "audit.exported", entityType: "audit_events",
            changes: AuditDiff.details(["rows": String(events.count), "filter": filter.queryString])
        )
        let response = Response(status: .ok, body: .init(string: csv.text))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(
            .attachment, filename: "audit-\(principal.organization.slug).csv")
        return response
    }
}

/// `GET /api/v1/audit-events`.
struct AuditAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit-events", use: list).access(.requires(.auditRead))
    }

    struct AuditEventDTO: Content {
        var id: UUID?
        var sequence: Int
        var occurredAt: Date
        var actorType: String
        var actorID: String?
        var actor: String
        var action: String
        var entityType: String
        var entityID: String?
        var changes: String
        var ip: String
        var requestID: String
        var hash: String

        enum CodingKeys: String, CodingKey {
            case id, sequence, actor, action, changes, ip, hash
            case occurredAt = "occurred_at"
            case actorType = "actor_type"
            case actorID = "actor_id"
            case entityType = "entity_type"
            case entityID = "entity_id"
            case requestID = "request_id"
        }
    }

    struct Page: Content {
        var events: [AuditEventDTO]
        var nextBefore: Int?

        enum CodingKeys: String, CodingKey {
            case events
            case nextBefore = "next_before"
        }
    }

    func list(req: Request) async throws -> Page {
        let principal = try req.principal
        let filter = try req.query.decode(AuditFilter.self)
        let events = try await filter.query(principal.organization, on: req.db).limit(
            filter.pageSize + 1
        ).all()
        let shown = events.prefix(filter.pageSize)
        return Page(
            events: shown.map {
                AuditEventDTO(
                    id: $0.id, sequence: $0.sequence, occurredAt: $0.occurredAt,
                    actorType: $0.actorType,
                    actorID: $0.actorID, actor: $0.actorLabel, action: $0.action,
                    entityType: $0.entityType,
                    entityID: $0.entityID, changes: $0.changes, ip: $0.ip, requestID: $0.requestID,
                    hash: $0.hash)
            },
            nextBefore: events.count > filter.pageSize ? shown.last?.sequence : nil)
    }
}
