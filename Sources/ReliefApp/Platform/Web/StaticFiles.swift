import Vapor

/// Serves `Public/` through Vapor's `FileMiddleware`, but only for paths inside it (its
/// top-level folders and files, read once at start). Every other request (pages, the API, the
/// tracking pixel) skips the file-system lookup, and a path too long for a file name reaches
/// the router (a 404 or the handler's own answer) instead of failing the lookup with a 500.
struct StaticFilesMiddleware: AsyncMiddleware {
    private let files: FileMiddleware
    /// `/css/`, `/js/`, `/favicon.svg`, …
    private let prefixes: [String]

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory, defaultFile: nil)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: publicDirectory)) ?? []
        prefixes = entries.filter { !$0.hasPrefix(".") }.map { entry in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(
                atPath: publicDirectory + entry, isDirectory: &isDirectory)
            return isDirectory.boolValue ? "/\(entry)/" : "/\(entry)"
        }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws
        -> Response
    {
        let path = request.url.path
        guard path.utf8.count <= 1_024,
            prefixes.contains(where: { $0.hasSuffix("/") ? path.hasPrefix($0) : path == $0 })
        else { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next)
    }
}
