import ReliefCore

/// The areas of ReliefCRM in the sidebar, each with the permission needed to see it. Areas not
/// built yet lead to an honest "coming soon" page (see ``PlannedArea``).
enum Navigation {
    struct Entry: Sendable {
        var key: String
        var label: String
        var href: String
        var icon: String
        var permission: Permission
    }

    struct Group: Sendable {
        var title: String
        var entries: [Entry]
    }

    static let groups: [Group] = [
        Group(
            title: "Overview",
            entries: [
                Entry(
                    key: "dashboard", label: "Dashboard", href: "/app", icon: "home",
                    permission: .signedIn)
            ]),
        Group(
            title: "Sales",
            entries: [
                Entry(
                    key: "leads", label: "Leads", href: "/app/leads", icon: "leads",
                    permission: .leadsRead),
                Entry(
                    key: "pipeline", label: "Pipeline", href: "/app/pipeline", icon: "pipeline",
                    permission: .leadsRead),
                Entry(
                    key: "tasks", label: "My tasks", href: "/app/tasks", icon: "check",
                    permission: .leadsRead),
                Entry(
                    key: "call-list", label: "Call list", href: "/app/call-list", icon: "phone",
                    permission: .leadsRead),
            ] + areaEntries(["qualification"])),
        Group(
            title: "Outreach",
            entries: areaEntries(["sequences", "inbox", "calls", "calendar"]) + [
                Entry(
                    key: "landing-pages", label: "Landing pages", href: "/app/landing-pages",
                    icon: "globe", permission: .organizationRead)
            ]),
        Group(title: "Clients", entries: areaEntries(["programs", "portal"])),
        Group(
            title: "Insight",
            entries: [
                Entry(
                    key: "reports", label: "Lead sources report", href: "/app/reports/sources",
                    icon: "chart", permission: .reportsRead)
            ] + areaEntries(["performance", "forecasts", "automation"])),
        Group(
            title: "Compliance",
            entries: [
                Entry(
                    key: "compliance", label: "Compliance", href: "/app/compliance",
                    icon: "shield", permission: .complianceRead),
                Entry(
                    key: "compliance-flags", label: "Flags to review",
                    href: "/app/compliance/flags", icon: "alert", permission: .complianceRead),
                Entry(
                    key: "compliance-dnc", label: "DNC registries", href: "/app/compliance/dnc",
                    icon: "upload", permission: .complianceRead),
                Entry(
                    key: "compliance-internal-dnc", label: "Internal do-not-call",
                    href: "/app/compliance/internal-dnc", icon: "phone",
                    permission: .complianceRead),
                Entry(
                    key: "compliance-caller-ids", label: "Caller id pool",
                    href: "/app/compliance/caller-ids", icon: "globe",
                    permission: .complianceRead),
                Entry(
                    key: "compliance-rules", label: "State rules", href: "/app/compliance/rules",
                    icon: "book", permission: .complianceRead),
                Entry(
                    key: "compliance-settings", label: "Compliance settings",
                    href: "/app/compliance/settings", icon: "settings",
                    permission: .complianceRead),
            ]),
        Group(
            title: "Administration",
            entries: [
                Entry(
                    key: "users", label: "Users", href: "/app/admin/users", icon: "users",
                    permission: .usersRead),
                Entry(
                    key: "teams", label: "Teams", href: "/app/admin/teams", icon: "team",
                    permission: .teamsRead),
                Entry(
                    key: "organization", label: "Organization", href: "/app/admin/organization",
                    icon: "building", permission: .organizationRead),
                Entry(
                    key: "roles", label: "Roles", href: "/app/admin/roles", icon: "shield",
                    permission: .usersRead),
                Entry(
                    key: "assignment", label: "Lead assignment", href: "/app/admin/assignment",
                    icon: "target", permission: .leadsAssign),
                Entry(
                    key: "sources", label: "Lead sources", href: "/app/admin/sources",
                    icon: "dollar", permission: .leadsAssign),
                Entry(
                    key: "custom-fields", label: "Custom fields",
                    href: "/app/admin/custom-fields", icon: "list",
                    permission: .organizationManage),
                Entry(
                    key: "audit", label: "Audit log", href: "/app/admin/audit", icon: "log",
                    permission: .auditRead),
                Entry(
                    key: "outbox", label: "E-mail outbox", href: "/app/admin/outbox", icon: "mail",
                    permission: .outboxRead),
                Entry(
                    key: "jobs", label: "Background jobs", href: "/app/admin/jobs", icon: "bolt",
                    permission: .jobsManage),
            ] + areaEntries(["integrations"])),
    ]

    private static func areaEntries(_ keys: [String]) -> [Entry] {
        keys.compactMap { key in
            PlannedArea.all.first { $0.key == key }.map {
                Entry(
                    key: $0.key, label: $0.title, href: "/app/\($0.key)", icon: $0.icon,
                    permission: .signedIn)
            }
        }
    }

    /// The sidebar for a principal: groups with the entries they may open.
    static func build(activeKey: String, can: (Permission) -> Bool) -> [NavGroup] {
        groups.compactMap { group in
            let items = group.entries.filter { can($0.permission) }.map { entry in
                NavItem(
                    key: entry.key, label: entry.label, href: entry.href, icon: entry.icon,
                    active: entry.key == activeKey,
                    soon: PlannedArea.all.contains { $0.key == entry.key })
            }
            return items.isEmpty ? nil : NavGroup(title: group.title, items: items)
        }
    }
}
