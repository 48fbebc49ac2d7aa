import Foundation
import Testing
import Vapor

@testable import ReliefApp

/// Keeps `Resources/OpenAPI/openapi.json` in step with the `/api/v1` routes: every route is
/// documented with its permission, nothing is documented that does not exist, and the
/// document holds together.
@Suite("OpenAPI document")
struct OpenAPISyncTests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    /// The checked-in document, parsed.
    static func document(_ app: Application) throws -> [String: Any] {
        let path = app.directory.resourcesDirectory + "OpenAPI/openapi.json"
        let data = try #require(FileManager.default.contents(atPath: path), "missing \(path)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `METHOD /path` of every documented operation, with the operation.
    static func operations(_ document: [String: Any]) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        let paths = document["paths"] as? [String: Any] ?? [:]
        for (path, item) in paths {
            for (method, operation) in item as? [String: Any] ?? [:]
            where methods.contains(method) {
                result["\(method.uppercased()) \(path)"] = operation as? [String: Any] ?? [:]
            }
        }
        return result
    }

    /// A route's path the OpenAPI way: `:id` becomes `{id}`.
    static func openAPIPath(_ route: Route) -> String {
        "/"
            + route.path.map { component in
                if case .parameter(let name) = component { return "{\(name)}" }
                return component.description
            }.joined(separator: "/")
    }

    static func permission(_ route: Route) -> String? {
        switch route.declaredAccess {
        case .open: "open"
        case .requires(let permission): permission.rawValue
        case nil: nil
        }
    }

    /// Follows a local `$ref` (`#/components/...`).
    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = document
        for key in reference.dropFirst(2).split(separator: "/") {
            let name = key.replacingOccurrences(of: "~1", with: "/")
                .replacingOccurrences(of: "~0", with: "~")
            node = (node as? [String: Any])?[name]
        }
        return node
    }

    static func references(in node: Any) -> [String] {
        if let object = node as? [String: Any] {
            var found = (object["$ref"] as? String).map { [$0] } ?? []
            for value in object.values { found += references(in: value) }
            return found
        }
        if let array = node as? [Any] { return array.flatMap { references(in: $0) } }
        return []
    }

    @Test("every /api/v1 route is documented with its permission, and nothing more")
    func routesMatchDocument() async throws {
        try await withApp { app, _ in
            let document = try Self.document(app)
            let operations = Self.operations(document)
            let routes = app.routes.all.filter { route in
                route.path.count >= 2 && route.path[0].description == "api"
                    && route.path[1].description == "v1"
            }
            #expect(routes.count > 40)
            var routed: Set<String> = []
            for route in routes {
                let key = "\(route.method.rawValue) \(Self.openAPIPath(route))"
                routed.insert(key)
                guard let operation = operations[key] else {
                    Issue.record("route not documented in openapi.json: \(key)")
                    continue
                }
                let documented = operation["x-permission"] as? String
                let declared = Self.permission(route)
                #expect(
                    documented == declared,
                    "\(key): x-permission \(documented ?? "none"), route declares \(declared ?? "nothing")"
                )
            }
            let extra = Set(operations.keys).subtracting(routed).sorted()
            #expect(extra.isEmpty, "documented without a route: \(extra)")
        }
    }

    @Test("the document is OpenAPI 3.1 and holds together")
    func documentIsConsistent() async throws {
        try await withApp { app, _ in
            let document = try Self.document(app)
            #expect(document["openapi"] as? String == "3.1.0")
            let info = document["info"] as? [String: Any]
            #expect(info?["title"] as? String == "ReliefCRM API")
            let dangling = Self.references(in: document).filter {
                Self.resolve($0, in: document) == nil
            }
            #expect(dangling.isEmpty, "unresolved $ref: \(Set(dangling).sorted())")

            var operationIDs: [String: String] = [:]
            for (key, operation) in Self.operations(document) {
                guard let id = operation["operationId"] as? String, !id.isEmpty else {
                    Issue.record("\(key) has no operationId")
                    continue
                }
                #expect(operationIDs[id] == nil, "operationId \(id) used twice")
                operationIDs[id] = key
                let codes = (operation["responses"] as? [String: Any] ?? [:]).keys
                #expect(codes.contains { $0.hasPrefix("2") }, "\(key) has no 2xx response")

                let path = String(key.split(separator: " ")[1])
                let placeholders = Set(
                    path.split(separator: "/").filter { $0.hasPrefix("{") }
                        .map { String($0.dropFirst().dropLast()) })
                let declared = Set(
                    (operation["parameters"] as? [Any] ?? []).compactMap { parameter -> String? in
                        var object = parameter as? [String: Any]
                        if let reference = object?["$ref"] as? String {
                            object = Self.resolve(reference, in: document) as? [String: Any]
                        }
                        guard object?["in"] as? String == "path" else { return nil }
                        return object?["name"] as? String
                    })
                #expect(placeholders == declared, "\(key): path parameters \(declared)")
            }
        }
    }

    @Test("GET /api/openapi.json serves the document without credentials")
    func documentIsServed() async throws {
        try await withApp { app, _ in
            let path = app.directory.resourcesDirectory + "OpenAPI/openapi.json"
            let file = try #require(FileManager.default.contents(atPath: path))
            let response = try await APIClient(app: app).call(.GET, "/api/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            #expect(Data(response.body.readableBytesView) == file)
        }
    }

    /// Checks `value` against a schema of the document: required properties present, and no
    /// property the schema does not name; nested `$ref` objects and arrays too.
    static func conform(
        _ value: Any, to schema: [String: Any], in document: [String: Any], at path: String
    ) -> [String] {
        var schema = schema
        if let reference = schema["$ref"] as? String {
            schema = resolve(reference, in: document) as? [String: Any] ?? [:]
        }
        if let items = schema["items"] as? [String: Any], let array = value as? [Any] {
            return array.enumerated().flatMap { index, element in
                conform(element, to: items, in: document, at: "\(path)[\(index)]")
            }
        }
        guard let properties = schema["properties"] as? [String: Any],
            let object = value as? [String: Any]
        else { return [] }
        var problems: [String] = []
        for name in schema["required"] as? [String] ?? [] where object[name] == nil {
            problems.append("\(path).\(name) is required but missing")
        }
        for (name, element) in object {
            guard let property = properties[name] as? [String: Any] else {
                problems.append("\(path).\(name) is not documented")
                continue
            }
            problems += conform(element, to: property, in: document, at: "\(path).\(name)")
        }
        return problems
    }

    static func schema(_ name: String) -> [String: Any] {
        ["$ref": "#/components/schemas/\(name)"]
    }

    @Test("real responses match their documented schemas")
    func responsesMatchSchemas() async throws {
        try await withApp { app, _ in
            let document = try Self.document(app)
            let fixture = try await Fixture.make(app, slug: "openapi")
            let (api, token) = try await APIClient.signIn(app, fixture.owner.email)
            var problems = Self.conform(
                token, to: Self.schema("TokenResponse"), in: document, at: "token")

            let created = try await api.call(
                .POST, "/api/v1/leads",
                json: #"""
                    {"first_name":"Maria","last_name":"Lopez","email":"maria@example.com",
                     "phone":"(212) 555-0143","state":"NY","zip":"10001","tags":["spring"]}
                    """#)
            #expect(created.status == .created)
            let lead = try created.json()
            let id = try #require(lead["id"] as? String)
            problems += Self.conform(
                lead, to: Self.schema("Lead"), in: document, at: "created")

            let read = try await api.call(.GET, "/api/v1/leads/\(id)")
            #expect(read.status == .ok)
            problems += Self.conform(
                try read.json(), to: Self.schema("Lead"), in: document, at: "lead")

            let page = try await api.call(.GET, "/api/v1/leads")
            #expect(page.status == .ok)
            problems += Self.conform(
                try page.json(), to: Self.schema("LeadPage"), in: document, at: "page")

            let me = try await api.call(.GET, "/api/v1/me")
            problems += Self.conform(
                try me.json(), to: Self.schema("Me"), in: document, at: "me")

            let missing = try await api.call(.GET, "/api/v1/leads/\(UUID())")
            #expect(missing.status == .notFound)
            problems += Self.conform(
                try missing.json(), to: Self.schema("Error"), in: document, at: "404")

            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
