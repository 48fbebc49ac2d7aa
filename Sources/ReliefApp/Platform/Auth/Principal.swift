import Fluent
import ReliefCore
import Vapor

/// The signed-in staff member behind a request, with the organization and what they may do.
struct Principal: Authenticatable, Sendable {
    /// How the request proved who it is.
    enum Method: Sendable {
        case session(UserSession)
        case accessToken
        case apiKey(ApiKey)
    }

    let user: User
    let organization: Organization
    let method: Method
    /// The role's permissions, narrowed by an API key's scopes.
    let permissions: Set<Permission>

    var userID: UUID { user.id! }
    var organizationID: UUID { organization.id! }

    func can(_ permission: Permission) -> Bool { permissions.contains(permission) }

    /// The active user `userID` of `organizationID` and the organization, as every credential
    /// (session, access token, API key) resolves them; nil when either is gone or deactivated.
    static func activeMember(
        userID: UUID, organizationID: UUID, on database: any Database
    ) async throws -> (User, Organization)? {
        guard let user = try await User.find(userID, in: organizationID, on: database),
            user.isActive,
            let organization = try await Organization.find(organizationID, on: database)
        else { return nil }
        return (user, organization)
    }

    /// The session behind a browser request.
    var session: UserSession? {
        if case .session(let session) = method { return session }
        return nil
    }

    /// The audit actor: the user, or the API key acting for them.
    var auditActor: AuditActor {
        switch method {
        case .apiKey(let key):
            AuditActor(
                kind: .apiKey, id: key.id?.uuidString,
                label: "\(user.email) (API key \(key.prefix))")
        case .session, .accessToken:
            AuditActor(kind: .user, id: user.id?.uuidString, label: user.email)
        }
    }
}

extension Request {
    /// The principal, or 401 when the request is not signed in.
    var principal: Principal {
        get throws {
            guard let principal = auth.get(Principal.self) else {
                throw Abort(.unauthorized, reason: "Sign in first.")
            }
            return principal
        }
    }

    /// Where the request came from, for audit entries.
    var auditOrigin: AuditOrigin {
        AuditOrigin(
            ip: clientIP, userAgent: headers.first(name: .userAgent) ?? "",
            requestID: requestID)
    }

    /// The client address (the socket peer; a trusted proxy header can be added with the
    /// deployment issue).
    var clientIP: String { remoteAddress?.ipAddress ?? "" }

    /// Records an audit entry for the signed-in principal's organization.
    func audit(
        _ action: String, entityType: String, entityID: String? = nil, changes: String = ""
    ) async throws {
        let principal = try principal
        try await relief.audit.record(
            AuditEntry(
                organizationID: principal.organizationID, actor: principal.auditActor,
                action: action, entityType: entityType, entityID: entityID, changes: changes,
                origin: auditOrigin),
            on: db)
    }
}
