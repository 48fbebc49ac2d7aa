/// `areas/coming-soon.leaf`: an honest page for an area of the plan that is not built yet.
struct ComingSoonPage: Encodable, Sendable {
    var page: PageContext
    var summary: String
    var planned: [String]
}

/// `errors/error.leaf`: an HTML error page.
struct ErrorPage: Encodable, Sendable {
    var page: PageContext
    var status: Int
    var reason: String
    var message: String
}
