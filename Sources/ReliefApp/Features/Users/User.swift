import Fluent
import ReliefCore
import Vapor

/// A staff member of one organization. E-mail addresses are unique across the deployment
/// (stored lowercased) so sign-in needs no organization picker.
final class User: Model, TenantScoped, @unchecked Sendable {
    static let schema = "users"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Enum(key: "role") var role: Role
    /// Bcrypt hash; nil until an invited user chooses a password.
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "languages") var languages: [String]
    @Field(key: "licensed_states") var licensedStates: [String]
    @Field(key: "skills") var skills: [String]
    @Field(key: "theme") var theme: String
    /// The TOTP secret sealed by ``FieldCipher`` (context `users.totp_secret`).
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @OptionalField(key: "totp_enabled_at") var totpEnabledAt: Date?
    /// The last accepted TOTP time step, so each code works once.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    /// Away agents get no new leads from assignment rules.
    @Field(key: "is_away") var isAway: Bool
    /// The most open leads assignment rules give the user; nil for no limit.
    @OptionalField(key: "lead_capacity") var leadCapacity: Int?
    /// The user's share of a team's round-robin relative to teammates.
    @Field(key: "assignment_weight") var assignmentWeight: Int

    init() {}

    init(organizationID: UUID, email: String, name: String, role: Role) {
        self.organizationID = organizationID
        self.email = email.lowercased()
        self.name = name
        self.role = role
        isActive = true
        languages = ["en"]
        licensedStates = []
        skills = []
        theme = "system"
        isAway = false
        assignmentWeight = 1
    }

    static func scoped(_ query: QueryBuilder<User>, to organizationID: UUID) -> QueryBuilder<User> {
        query.filter(\.$organizationID == organizationID)
    }

    var twoFactorEnabled: Bool { totpEnabledAt != nil }

    /// Up to two initials for the avatar badge.
    var initials: String {
        let letters = name.split(separator: " ").prefix(2).compactMap(\.first)
        return letters.isEmpty ? String(email.prefix(1)).uppercased() : String(letters).uppercased()
    }

    /// The saved user's id.
    var requireID: UUID {
        get throws {
            guard let id else { throw Abort(.internalServerError, reason: "unsaved user") }
            return id
        }
    }
}
