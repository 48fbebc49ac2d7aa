import Fluent
import Vapor

/// A lead list view a user saved under a name: the list's filters and sort as a query string
/// (``LeadListQuery/queryString``, never a cursor). Private to the user who saved it.
final class SavedView: Model, TenantScoped, @unchecked Sendable {
    static let schema = "saved_views"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .none) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    /// The query string without `?`, as ``LeadListQuery/queryString`` writes it.
    @Field(key: "query") var query: String

    init() {}

    init(organizationID: UUID, userID: UUID, name: String, query: String, createdAt: Date) {
        self.organizationID = organizationID
        self.userID = userID
        self.name = name
        self.query = query
        self.createdAt = createdAt
    }

    static func scoped(_ query: QueryBuilder<SavedView>, to organizationID: UUID)
        -> QueryBuilder<SavedView>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// The signed-in user's saved views, shared by the list page and the API: only the owner
/// sees, opens or deletes a view (anyone else gets a 404); saving and deleting are audited.
struct SavedViews {
    static let maximumPerUser = 100
    static let maximumNameLength = 80

    let req: Request

    private var mine: QueryBuilder<SavedView> {
        get throws {
            let principal = try req.principal
            return SavedView.query(in: principal.organizationID, on: req.db)
                .filter(\.$userID == principal.userID)
        }
    }

    /// The user's views by name.
    func all() async throws -> [SavedView] {
        try await mine.sort(\.$name).all()
    }

    /// The user's view `id`, or 404.
    func find(_ id: UUID?) async throws -> SavedView {
        guard let id, let view = try await mine.filter(\.$id == id).first() else {
            throw Abort(.notFound, reason: "saved view not found.")
        }
        return view
    }

    /// Saves `query` (normalized through ``LeadListQuery``) under `name`. Throws
    /// ``ValidationFailure`` on `name` or `query`.
    func create(name: String, query: String) async throws -> SavedView {
        let principal = try req.principal
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let normalized = try LeadListQuery.parse(query).queryString
        let existing = try await all()
        var check = FieldCheck()
        check.require(!trimmed.isEmpty, "name", "Give the view a name.")
        check.require(
            trimmed.count <= Self.maximumNameLength, "name",
            "Keep the name under \(Self.maximumNameLength) characters.")
        check.require(
            !existing.contains { $0.name.lowercased() == trimmed.lowercased() }, "name",
            "You already have a view named \(trimmed).")
        check.require(
            existing.count < Self.maximumPerUser, "name",
            "You have \(Self.maximumPerUser) saved views; delete one first.")
        try check.throwIfFailed()
        let view = SavedView(
            organizationID: principal.organizationID, userID: principal.userID, name: trimmed,
            query: normalized, createdAt: req.now)
        do {
            try await view.create(on: req.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Saved meanwhile from another tab.
            throw ValidationFailure(fields: ["name": "You already have a view named \(trimmed)."])
        }
        try await req.audit(
            "saved_view.created", entityType: "saved_view", entityID: view.id?.uuidString,
            changes: AuditDiff.details(["name": trimmed, "query": normalized]))
        return view
    }

    func delete(_ view: SavedView) async throws {
        try await view.delete(on: req.db)
        try await req.audit(
            "saved_view.deleted", entityType: "saved_view", entityID: view.id?.uuidString,
            changes: AuditDiff.details(["name": view.name, "query": view.query]))
    }
}

/// A saved view as the API returns it.
struct SavedViewDTO: Content {
    var id: UUID
    var name: String
    var query: String
    var createdAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, query
        case createdAt = "created_at"
    }

    init(_ view: SavedView) {
        id = view.id ?? UUID()
        name = view.name
        query = view.query
        createdAt = view.createdAt
    }
}

/// `/api/v1/lead-views`: the caller's saved lead list views.
struct SavedViewsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let views = routes.grouped("lead-views")
        views.get(use: list).access(.requires(.leadsRead))
        views.post(use: create).access(.requires(.leadsRead))
        views.delete(":id", use: delete).access(.requires(.leadsRead))
    }

    /// `{"name","query"}`; `query` is a lead list query string such as `status=new&state=TX`.
    struct CreateRequest: Content {
        var name: String
        var query: String?
    }

    func list(req: Request) async throws -> [SavedViewDTO] {
        try await SavedViews(req: req).all().map(SavedViewDTO.init)
    }

    func create(req: Request) async throws -> Response {
        let body = try req.content.decode(CreateRequest.self)
        let view = try await SavedViews(req: req).create(name: body.name, query: body.query ?? "")
        return try await SavedViewDTO(view).encodeResponse(status: .created, for: req)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let views = SavedViews(req: req)
        try await views.delete(views.find(req.parameters.get("id", as: UUID.self)))
        return .noContent
    }
}
