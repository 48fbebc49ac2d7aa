import Fluent
import Vapor

/// `/app/admin/outbox`: e-mail recorded by the development mailer.
struct OutboxWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "outbox", use: list).access(.requires(.outboxRead))
    }

    func list(req: Request) async throws -> Response {
        let principal = try req.principal
        let messages = try await OutboxMessage.query(in: principal.organizationID, on: req.db)
            .sort(\.$createdAt, .descending).limit(100).all()
        let rows = messages.map {
            OutboxRow(
                id: $0.id?.uuidString ?? "", to: $0.recipient, subject: $0.subject, body: $0.body,
                createdAt: DisplayDate.string(
                    $0.createdAt, timeZone: principal.organization.timeZone))
        }
        return try await req.render(
            "admin/outbox",
            OutboxPage(
                page: req.pageContext(title: "E-mail outbox", section: "outbox"), messages: rows))
    }
}
