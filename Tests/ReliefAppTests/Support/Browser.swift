import Foundation
import NIOHTTP1
import Testing
import Vapor
import VaporTesting

@testable import ReliefApp

/// A minimal browser for web tests: keeps cookies, reads the CSRF token from the last page
/// and sends it with forms.
final class Browser {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf: String = ""
    private(set) var lastBody = ""

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: nil)
    }

    /// Sends a file as the raw request body, as the import page's script does.
    @discardableResult
    func upload(_ path: String, _ bytes: [UInt8], fileName: String) async throws
        -> TestingHTTPResponse
    {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv")
        headers.replaceOrAdd(name: "X-File-Name", value: fileName)
        headers.replaceOrAdd(name: "X-CSRF-Token", value: csrf)
        return try await send(.POST, path, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    /// Posts a multipart form with a file, as a browser without JavaScript does; the CSRF
    /// token from the last page is the first part.
    @discardableResult
    func multipart(
        _ path: String, _ fields: [(String, String)],
        file: (field: String, name: String, bytes: [UInt8])?
    ) async throws -> TestingHTTPResponse {
        let boundary = "----ReliefBoundary\(UUID().uuidString.prefix(8))"
        var body = ByteBuffer()
        for (name, value) in [("_csrf", csrf)] + fields {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n"
                    + "\(value)\r\n")
        }
        if let file {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; "
                    + "filename=\"\(file.name)\"\r\nContent-Type: text/plain\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(
            type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
        return try await send(.POST, path, headers: headers, body: body)
    }

    /// Posts a form; the CSRF token from the last page is added unless `csrf` is false.
    /// `headers` are sent too (`Accept: application/json` as a page script would).
    @discardableResult
    func post(
        _ path: String, _ form: [(String, String)] = [], csrf includeCSRF: Bool = true,
        headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var fields = form
        if includeCSRF { fields.append(("_csrf", csrf)) }
        let body = fields.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(
            separator: "&")
        var headers = extra
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Signs in with e-mail and password (no second factor) and checks it worked.
    func signIn(_ email: String, _ password: String = Fixture.password) async throws {
        try await get("/login")
        let response = try await post("/login", [("email", email), ("password", password)])
        #expect(response.status == .seeOther)
        #expect(response.headers.first(name: .location) == "/app")
        try await get("/app")
    }

    private func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?
    ) async throws -> TestingHTTPResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers.replaceOrAdd(
                name: .cookie,
                value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var captured: TestingHTTPResponse?
        try await app.testing().test(
            method, path, headers: headers, body: body
        ) { response in
            captured = response
        }
        guard let response = captured else {
            throw Abort(.internalServerError, reason: "no response")
        }
        for cookie in response.headers[.setCookie] {
            guard let pair = cookie.split(separator: ";").first,
                let equals = pair.firstIndex(of: "=")
            else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || cookie.contains("Max-Age=0") {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
        lastBody = response.body.string
        if let range = lastBody.range(
            of: #"<meta name="csrf-token" content="([^"]*)""#, options: .regularExpression)
        {
            let tag = lastBody[range]
            if let start = tag.range(of: "content=\"") {
                csrf = String(tag[start.upperBound...].dropLast())
            }
        }
        return response
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// API calls with a bearer token.
struct APIClient {
    let app: Application
    var token: String?

    func call(
        _ method: HTTPMethod, _ path: String, json: String? = nil, token override: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let bearer = override ?? token {
            headers.bearerAuthorization = BearerAuthorization(token: bearer)
        }
        if json != nil { headers.contentType = .json }
        var captured: TestingHTTPResponse?
        try await app.testing().test(
            method, path, headers: headers, body: json.map { ByteBuffer(string: $0) }
        ) { captured = $0 }
        guard let response = captured else {
            throw Abort(.internalServerError, reason: "no response")
        }
        return response
    }

    /// Sends raw bytes (a file upload) with extra headers.
    func upload(
        _ path: String, _ bytes: [UInt8],
        contentType: HTTPMediaType = .init(type: "text", subType: "csv"),
        headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        headers.contentType = contentType
        var captured: TestingHTTPResponse?
        // No bytes: no body at all, so a declared Content-Length stays as given.
        try await app.testing().test(
            .POST, path, headers: headers, body: bytes.isEmpty ? nil : ByteBuffer(bytes: bytes)
        ) { captured = $0 }
        guard let response = captured else {
            throw Abort(.internalServerError, reason: "no response")
        }
        return response
    }

    /// Signs in through `POST /api/v1/auth/token` and returns a client with the access token.
    static func signIn(
        _ app: Application, _ email: String, password: String = Fixture.password,
        totp: String? = nil
    ) async throws -> (APIClient, [String: Any]) {
        let client = APIClient(app: app)
        var body: [String: String] = ["email": email, "password": password]
        if let totp { body["totp"] = totp }
        let response = try await client.call(
            .POST, "/api/v1/auth/token",
            json: String(data: try JSONSerialization.data(withJSONObject: body), encoding: .utf8))
        #expect(response.status == .ok, "token request failed: \(response.body.string)")
        let json = try response.json()
        return (APIClient(app: app, token: json["access_token"] as? String), json)
    }
}

extension TestingHTTPResponse {
    func json() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(body.string.utf8)) as? [String: Any]) ?? [:]
    }

    func jsonArray() throws -> [[String: Any]] {
        (try JSONSerialization.jsonObject(with: Data(body.string.utf8)) as? [[String: Any]]) ?? []
    }
}
