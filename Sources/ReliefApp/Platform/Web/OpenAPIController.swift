import Vapor

/// `GET /api/openapi.json`: the OpenAPI 3.1 description of `/api/v1`, the hand-maintained
/// `Resources/OpenAPI/openapi.json` read once at start. `OpenAPISyncTests` keeps it in step
/// with the routes.
struct OpenAPIController: RouteCollection {
    let document: ByteBuffer

    /// Reads the document from the app's `Resources/OpenAPI/`.
    init(directory: DirectoryConfiguration) throws {
        let path = directory.resourcesDirectory + "OpenAPI/openapi.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Abort(.internalServerError, reason: "The OpenAPI document is missing: \(path)")
        }
        document = ByteBuffer(data: data)
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("api", "openapi.json", use: serve).access(.open)
    }

    func serve(req: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: document))
    }
}
