import Testing
import Vapor

@testable import ReliefApp

@Suite("Route access declarations")
struct RouteAccessTests {
    @Test("every /app and /api route declares its access")
    func everyRouteDeclaresAccess() async throws {
        try await withApp { app, _ in
            let routes = app.routes.all.filter { route in
                guard let first = route.path.first?.description else { return false }
                return first == "app" || first == "api"
            }
            #expect(routes.count > 40)
            let undeclared = routes.filter { $0.declaredAccess == nil }.map(\.description)
            #expect(undeclared.isEmpty, "routes without access: \(undeclared)")
            let openAppRoutes = routes.filter { route in
                route.path.first?.description == "app" && route.declaredAccess == .open
            }
            #expect(
                openAppRoutes.isEmpty,
                "signed-in pages must not be open: \(openAppRoutes.map(\.description))")
        }
    }

    @Test("a route without a declaration is refused")
    func undeclaredRouteIsRefused() async throws {
        try await withApp { app, _ in
            app.grouped("app").grouped(AccessMiddleware(surface: .web)).get("undeclared") { _ in
                "secret"
            }
            try await app.testing().test(.GET, "/app/undeclared") { response in
                #expect(response.status == .forbidden)
                #expect(!response.body.string.contains("secret"))
            }
        }
    }

    @Test("without credentials the API answers 401 with a JSON problem")
    func apiNeedsCredentials() async throws {
        try await withApp { app, _ in
            let api = APIClient(app: app)
            for path in ["/api/v1/me", "/api/v1/users", "/api/v1/teams", "/api/v1/audit-events"] {
                let response = try await api.call(.GET, path)
                #expect(response.status == .unauthorized, "\(path)")
                #expect(try response.json()["error"] != nil)
                #expect(response.headers.first(name: .wwwAuthenticate) == "Bearer")
            }
            let forged = try await api.call(
                .GET, "/api/v1/me", token: "eyJhbGciOiJIUzI1NiJ9.e30.invalid")
            #expect(forged.status == .unauthorized)
        }
    }

    @Test("signed-out browsers are sent to sign in")
    func webRedirectsToLogin() async throws {
        try await withApp { app, _ in
            try await app.testing().test(.GET, "/app/admin/users") { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/login?next=/app/admin/users")
            }
        }
    }
}
