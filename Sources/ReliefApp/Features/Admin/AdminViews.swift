/// `admin/users.leaf`: staff list with a link to each user and, for managers of users, an
/// "Invite user" link to `/app/admin/users/new`.
struct UsersPage: Encodable, Sendable {
    var page: PageContext
    var users: [UserRow]
    var canManage: Bool
}

struct UserRow: Encodable, Sendable {
    var id: String
    var name: String
    var email: String
    var roleLabel: String
    var teams: String
    var active: Bool
    var twoFactor: Bool
    var lastLogin: String
}

/// `admin/user-form.leaf`: invite (posts to `/app/admin/users`) or edit (posts to
/// `/app/admin/users/{id}`) a user. Fields: `name`, `email` (invite only), `role` (select),
/// `languages`, `licensed_states`, `skills` (comma separated), `team_ids[]` (checkboxes).
/// When editing, a separate form posts to `/app/admin/users/{id}/deactivate` or
/// `/app/admin/users/{id}/reactivate`.
struct UserFormPage: Encodable, Sendable {
    var page: PageContext
    var isNew: Bool
    var id: String?
    var name: String
    var email: String
    var languages: String
    var licensedStates: String
    var skills: String
    var active: Bool
    var roles: [SelectOption]
    var teams: [SelectOption]
    var errors: FieldMessages
    var canManage: Bool
}

/// `admin/teams.leaf`: teams with manager and member count; "New team" link to
/// `/app/admin/teams/new` when `canManage`.
struct TeamsPage: Encodable, Sendable {
    var page: PageContext
    var teams: [TeamRow]
    var canManage: Bool
}

struct TeamRow: Encodable, Sendable {
    var id: String
    var name: String
    var managerName: String
    var memberCount: Int
}

/// `admin/team-form.leaf`: create (posts to `/app/admin/teams`) or edit (posts to
/// `/app/admin/teams/{id}`) a team. Fields: `name`, `manager_id` (select, may be empty),
/// `member_ids[]` (checkboxes). Editing shows a delete form posting to
/// `/app/admin/teams/{id}/delete`.
struct TeamFormPage: Encodable, Sendable {
    var page: PageContext
    var isNew: Bool
    var id: String?
    var name: String
    var managers: [SelectOption]
    var members: [SelectOption]
    var errors: FieldMessages
    var canManage: Bool
}

/// `admin/organization.leaf`: organization settings posting to `/app/admin/organization`.
/// Fields: `name`, `display_name`, `time_zone` (select), `address_line1`, `address_line2`,
/// `city`, `state`, `postal_code`, `country`, `logo_url`, `primary_color` (`<input
/// type=color>`), `custom_host`, `require_two_factor` (checkbox), `agent_visibility` (select).
struct OrganizationPage: Encodable, Sendable {
    var page: PageContext
    var slug: String
    var form: OrganizationForm
    var timeZones: [SelectOption]
    var visibilities: [SelectOption]
    var errors: FieldMessages
    var canManage: Bool
}

struct OrganizationForm: Codable, Sendable {
    var name: String
    var displayName: String
    var timeZone: String
    var addressLine1: String
    var addressLine2: String
    var city: String
    var state: String
    var postalCode: String
    var country: String
    var logoURL: String
    var primaryColor: String
    var customHost: String
    var requireTwoFactor: Bool
    var agentVisibility: String
}

/// `admin/roles.leaf`: the role -> permission matrix as a table (read-only).
struct RolesPage: Encodable, Sendable {
    var page: PageContext
    var roles: [String]
    var rows: [PermissionMatrixRow]
}

struct PermissionMatrixRow: Encodable, Sendable {
    var permission: String
    var summary: String
    var cells: [Bool]
}

/// `admin/audit.leaf`: the audit log. A GET form with `actor`, `action` (select), `entity`,
/// `from`, `to` (dates) filters the list; `exportURL` downloads the same selection as CSV;
/// `nextURL` loads older rows.
struct AuditPage: Encodable, Sendable {
    var page: PageContext
    var events: [AuditRow]
    var actor: String
    var actions: [SelectOption]
    var entity: String
    var from: String
    var to: String
    var exportURL: String
    var nextURL: String?
    var canExport: Bool
}

struct AuditRow: Encodable, Sendable {
    var sequence: Int
    var occurredAt: String
    var actor: String
    var action: String
    var entity: String
    var ip: String
    var requestID: String
    var changes: String
}

/// `admin/outbox.leaf`: e-mails the development mailer recorded instead of sending.
struct OutboxPage: Encodable, Sendable {
    var page: PageContext
    var messages: [OutboxRow]
}

struct OutboxRow: Encodable, Sendable {
    var id: String
    var to: String
    var subject: String
    var body: String
    var createdAt: String
}

/// `admin/jobs.leaf`: background jobs of the organization: counts by state and the failed
/// and dead jobs, each with a retry form (`/app/admin/jobs/{id}/retry`) and a discard form
/// (`/app/admin/jobs/{id}/discard`).
struct JobsPage: Encodable, Sendable {
    var page: PageContext
    var counts: [StatCard]
    var jobs: [JobRow]
}

struct JobRow: Encodable, Sendable {
    var id: String
    var kind: String
    var state: String
    var attempts: String
    var runAt: String
    var lastError: String
}
