import Vapor

/// Bad input: every field's reason. 422 for API calls; web forms catch it and show the form
/// again with the messages.
struct ValidationFailure: AbortError {
    var fields: [String: String]
    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String { "Some fields need attention." }

    /// Every field's message on one line, in field-name order (flash messages, bulk results).
    var summary: String { fields.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ") }
}

/// Collects field errors while validating a form or a JSON body.
struct FieldCheck {
    private(set) var errors: [String: String] = [:]

    mutating func fail(_ field: String, _ message: String) {
        if errors[field] == nil { errors[field] = message }
    }

    /// Adds `message` for `field` unless `condition` holds.
    mutating func require(_ condition: Bool, _ field: String, _ message: String) {
        if !condition { fail(field, message) }
    }

    /// Throws a ``ValidationFailure`` when anything failed.
    func throwIfFailed() throws {
        if !errors.isEmpty { throw ValidationFailure(fields: errors) }
    }
}

/// The JSON problem body of every API error: `{"error":{"code","message","fields"}}`.
struct APIErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var fields: [String: String]?
    }
    var error: Detail
}

/// Turns every error into a 4xx/5xx the client understands: the JSON problem body under
/// `/api`, an HTML page elsewhere. Decoding errors name the field; unexpected errors are logged
/// with the request id and shown without internals.
struct ReliefErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, request: request)
        }
    }

    private func response(for error: any Error, request: Request) async -> Response {
        let problem = Problem(error)
        if problem.status.code >= 500 {
            request.logger.error("request failed: \(String(reflecting: error))")
        }
        let isAPI = request.url.path.hasPrefix("/api/")
        if isAPI {
            let body = APIErrorBody(
                error: .init(code: problem.code, message: problem.message, fields: problem.fields))
            let response = Response(status: problem.status)
            try? response.content.encode(body)
            if problem.status == .unauthorized {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            }
            response.replaceHeaders(with: problem.headers)
            return response
        }
        let context = ErrorPage(
            page: request.pageContext(title: problem.title, section: ""),
            status: Int(problem.status.code), reason: problem.title, message: problem.message)
        do {
            let response = try await request.render("errors/error", context, status: problem.status)
            response.replaceHeaders(with: problem.headers)
            CSRF.attachCookie(to: response, for: request)
            return response
        } catch {
            request.logger.error("error page failed to render: \(error)")
            let response = Response(status: problem.status)
            response.headers.contentType = .plainText
            response.body = .init(
                string: "\(problem.status.code) \(problem.title): \(problem.message)")
            return response
        }
    }
}

/// What an error means for the client.
struct Problem {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var fields: [String: String]?
    var headers: HTTPHeaders = [:]

    var title: String { status.reasonPhrase }

    init(_ error: any Error) {
        switch error {
        case let failure as ValidationFailure:
            status = failure.status
            code = "validation_failed"
            message = failure.reason
            fields = failure.fields
        case let decoding as DecodingError:
            status = .badRequest
            code = "malformed_body"
            (message, fields) = Problem.describe(decoding)
        case let abort as any AbortError:
            status = abort.status
            code = Problem.code(for: abort.status)
            message = abort.status.code >= 500 ? "Something went wrong on our side." : abort.reason
            headers = abort.headers
        default:
            status = .internalServerError
            code = "internal_error"
            message = "Something went wrong on our side. The request id helps us find it."
        }
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .unprocessableEntity: "validation_failed"
        case .tooManyRequests: "rate_limited"
        case .payloadTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        default: status.code >= 500 ? "internal_error" : "error"
        }
    }

    static func describe(_ error: DecodingError) -> (String, [String: String]) {
        func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".")
            return joined.isEmpty ? "body" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context, key)
            return ("The field '\(field)' is required.", [field: "is required"])
        case .valueNotFound(_, let context):
            let field = path(context)
            return ("The field '\(field)' must not be null.", [field: "must not be null"])
        case .typeMismatch(let type, let context):
            let field = path(context)
            return ("The field '\(field)' must be a \(type).", [field: "has the wrong type"])
        case .dataCorrupted(let context):
            let field = path(context)
            if field == "body" {
                return ("The body is not valid JSON.", ["body": "is not valid JSON"])
            }
            return ("The field '\(field)' is malformed.", [field: "is malformed"])
        @unknown default:
            return ("The body could not be read.", ["body": "could not be read"])
        }
    }
}

extension Response {
    /// Sets every header of `headers` on this response (e.g. `Retry-After` from an error).
    func replaceHeaders(with headers: HTTPHeaders) {
        for (name, value) in headers { self.headers.replaceOrAdd(name: name, value: value) }
    }
}
