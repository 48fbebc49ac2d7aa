import Vapor

/// Honest "coming soon" pages for the areas of the plan that are not built yet.
struct AreasController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for area in PlannedArea.all {
            routes.get(PathComponent(stringLiteral: area.key)) { req async throws -> Response in
                try await req.render(
                    "areas/coming-soon",
                    ComingSoonPage(
                        page: req.pageContext(title: area.title, section: area.key),
                        summary: area.summary, planned: area.planned))
            }.access(.requires(.signedIn))
        }
    }
}

/// `/healthz` (the process answers) and `/readyz` (the database answers too).
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ in ["status": "ok"] }.access(.open)
        routes.get("readyz", use: ready).access(.open)
    }

    func ready(req: Request) async throws -> Response {
        do {
            _ = try await Organization.query(on: req.db).count()
            return try await ["status": "ready"].encodeResponse(for: req)
        } catch {
            req.logger.error("readiness check failed: \(error)")
            let response = try await ["status": "database unavailable"].encodeResponse(for: req)
            response.status = .serviceUnavailable
            return response
        }
    }
}
