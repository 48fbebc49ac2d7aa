/// Something a route or an action needs. Every `/app` and `/api` route declares exactly one
/// permission (or is explicitly public); middleware checks it against ``PermissionMatrix``.
/// Raw values are stable: they are stored as API key scopes.
public enum Permission: String, Sendable, Codable, CaseIterable {
    /// Any signed-in staff member: dashboard, own account, own sessions, own API keys.
    case signedIn = "signed_in"
    case usersRead = "users.read"
    case usersManage = "users.manage"
    case teamsRead = "teams.read"
    case teamsManage = "teams.manage"
    case organizationRead = "organization.read"
    case organizationManage = "organization.manage"
    case auditRead = "audit.read"
    case auditExport = "audit.export"
    case outboxRead = "outbox.read"
    case leadsRead = "leads.read"
    case leadsWrite = "leads.write"
    case leadsAssign = "leads.assign"
    case leadsExport = "leads.export"
    case leadsImport = "leads.import"
    case sensitiveRead = "sensitive.read"
    case complianceRead = "compliance.read"
    case complianceManage = "compliance.manage"
    case callerIDsManage = "caller_ids.manage"
    case internalDNCAdd = "internal_dnc.add"
    case reportsRead = "reports.read"
    case jobsManage = "jobs.manage"

    /// A short description for the API key scope picker and the role matrix page.
    public var summary: String {
        switch self {
        case .signedIn: "Use the app: dashboard, own account"
        case .usersRead: "See staff members"
        case .usersManage: "Invite, change and deactivate staff members"
        case .teamsRead: "See teams"
        case .teamsManage: "Create and change teams"
        case .organizationRead: "See organization settings"
        case .organizationManage: "Change organization settings and branding"
        case .auditRead: "Read the audit log"
        case .auditExport: "Export the audit log"
        case .outboxRead: "Read the development e-mail outbox"
        case .leadsRead: "See leads (within the record scope)"
        case .leadsWrite: "Create and change leads"
        case .leadsAssign: "Assign leads to agents and teams"
        case .leadsExport: "Export leads"
        case .leadsImport: "Import lead files"
        case .sensitiveRead: "See full SSN, date of birth and bank data"
        case .complianceRead: "See compliance decisions and DNC lists"
        case .complianceManage: "Change DNC lists and compliance settings"
        case .callerIDsManage: "Add caller id numbers and restore flagged ones"
        case .internalDNCAdd: "Add numbers to the internal do-not-call list"
        case .reportsRead: "See team and business reports"
        case .jobsManage: "Retry and discard background jobs"
        }
    }
}

/// The role -> permission table. One table, read by the route middleware, the API key scope
/// check and the role matrix page.
public enum PermissionMatrix {
    /// Permissions granted to each role.
    public static func permissions(for role: Role) -> Set<Permission> {
        switch role {
        case .owner, .admin:
            return Set(Permission.allCases)
        case .manager:
            return [
                .signedIn, .usersRead, .teamsRead, .teamsManage, .organizationRead,
                .leadsRead, .leadsWrite, .leadsAssign, .leadsExport, .leadsImport, .complianceRead,
                .callerIDsManage, .internalDNCAdd, .reportsRead,
            ]
        case .agent:
            return [.signedIn, .leadsRead, .leadsWrite, .internalDNCAdd]
        case .compliance:
            return [
                .signedIn, .usersRead, .teamsRead, .organizationRead, .auditRead, .auditExport,
                .leadsRead, .sensitiveRead, .complianceRead, .complianceManage, .callerIDsManage,
                .internalDNCAdd, .reportsRead,
            ]
        case .viewer:
            return [.signedIn, .leadsRead, .reportsRead]
        }
    }

    /// Whether `role` holds `permission`.
    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        permissions(for: role).contains(permission)
    }
}
