import Fluent
import ReliefCore
import Vapor

/// A tenant: one debt-relief company with its staff, leads and branding.
final class Organization: Model, @unchecked Sendable {
    static let schema = "organizations"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "address_line1") var addressLine1: String
    @Field(key: "address_line2") var addressLine2: String
    @Field(key: "city") var city: String
    @Field(key: "state") var state: String
    @Field(key: "postal_code") var postalCode: String
    @Field(key: "country") var country: String
    @Field(key: "display_name") var displayName: String
    @OptionalField(key: "logo_url") var logoURL: String?
    @Field(key: "primary_color") var primaryColor: String
    @OptionalField(key: "custom_host") var customHost: String?
    @Field(key: "require_two_factor") var requireTwoFactor: Bool
    @Field(key: "agent_visibility") var agentVisibility: String
    /// Who gets a lead no assignment rule places; nil leaves it unassigned.
    @OptionalField(key: "fallback_owner_id") var fallbackOwnerID: UUID?

    init() {}

    init(name: String, slug: String, timeZone: String = "America/New_York") {
        self.name = name
        self.slug = slug
        self.timeZone = timeZone
        addressLine1 = ""
        addressLine2 = ""
        city = ""
        state = ""
        postalCode = ""
        country = "US"
        displayName = name
        primaryColor = "#2563eb"
        requireTwoFactor = false
        agentVisibility = AgentVisibility.ownAndTeam.rawValue
    }

    /// The org's agent lead visibility setting.
    var visibility: AgentVisibility { AgentVisibility(rawValue: agentVisibility) ?? .ownAndTeam }

    /// Branding for pages.
    var brand: Brand {
        Brand(displayName: displayName, logoURL: logoURL, primaryColor: primaryColor)
    }

    /// The organization id, which every saved organization has.
    var requireID: UUID {
        get throws {
            guard let id else { throw Abort(.internalServerError, reason: "unsaved organization") }
            return id
        }
    }
}
