import Fluent
import Vapor

/// A model whose rows belong to one organization (tenant). Feature code reads and writes such
/// rows only through ``query(in:on:)`` and ``find(_:in:on:)``, never through `query(on:)`, so
/// a forgotten filter cannot leak another tenant's data. Register every conforming model in
/// ``TenantRegistry/models``; a test walks that list and the database schema.
protocol TenantScoped: Model where IDValue == UUID {
    /// Narrows `query` to rows of `organizationID`.
    static func scoped(_ query: QueryBuilder<Self>, to organizationID: UUID) -> QueryBuilder<Self>
}

extension TenantScoped {
    /// Rows of this model in one organization.
    static func query(in organizationID: UUID, on database: any Database) -> QueryBuilder<Self> {
        scoped(query(on: database), to: organizationID)
    }

    /// The row with `id` when it belongs to `organizationID`, else nil.
    static func find(_ id: UUID?, in organizationID: UUID, on database: any Database)
        async throws -> Self?
    {
        guard let id else { return nil }
        return try await query(in: organizationID, on: database).filter(\._$id == id).first()
    }

    /// The row with `id` in the organization, or 404 (never 403, so ids of other tenants do
    /// not leak).
    static func findOr404(_ id: UUID?, in organizationID: UUID, on database: any Database)
        async throws -> Self
    {
        guard let row = try await find(id, in: organizationID, on: database) else {
            throw Abort(.notFound, reason: "\(Self.entityName) not found.")
        }
        return row
    }

    /// The name used in audit entries and error messages (`user`, `team`, ...).
    static var entityName: String {
        String(schema.hasSuffix("s") ? schema.dropLast() : Substring(schema))
    }
}

/// Every tenant-scoped model. The isolation test fails when a table with an
/// `organization_id` column is missing here.
enum TenantRegistry {
    static let models: [any TenantScoped.Type] = [
        User.self, Team.self, TeamMember.self, UserSession.self, ApiKey.self, Job.self,
        RefreshToken.self, RecoveryCode.self, OneTimeToken.self, AuditEvent.self,
        OutboxMessage.self, LeadSource.self, Lead.self, LeadPhoneRecord.self,
        LeadEmailRecord.self, Debt.self, Activity.self, Consent.self, LeadTag.self, LeadTask.self,
        AssignmentRuleRecord.self, RoundRobinCounter.self, LeadImport.self,
        LeadImportRejection.self, SavedImportMapping.self, CustomFieldDefinition.self,
        SavedView.self, InternalDNCEntry.self, ContactOptOut.self, ComplianceFlag.self,
        ContactDecisionRecord.self, DNCRegistryUpload.self, DNCRegistryBlock.self,
        CallerIDNumber.self, CallerIDDay.self, ComplianceSettings.self,
        EngagementEventRecord.self, EngagementSettings.self, LandingPage.self, LandingVisitor.self,
    ]
}
