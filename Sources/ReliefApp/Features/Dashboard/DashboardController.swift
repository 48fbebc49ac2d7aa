import Fluent
import ReliefCore
import Vapor

/// The home page: who is on the team, recent sign-in activity and set-up progress, drawn from
/// real data (users, teams and the audit trail).
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: dashboard).access(.requires(.signedIn))
    }

    func dashboard(req: Request) async throws -> Response {
        let principal = try req.principal
        let orgID = principal.organizationID
        let zone = TimeZone(identifier: principal.organization.timeZone) ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let now = req.now
        let users = try await User.query(in: orgID, on: req.db).all()
        let teams = try await Team.query(in: orgID, on: req.db).count()
        let since = calendar.startOfDay(for: now).addingTimeInterval(-13 * 86_400)
        let events = try await AuditEvent.query(in: orgID, on: req.db).filter(
            \.$occurredAt >= since
        ).all()

        let active = users.filter(\.isActive)
        let withTwoFactor = active.filter(\.twoFactorEnabled).count
        let stats = [
            StatCard(
                label: "Active users", value: String(active.count),
                hint: "\(users.count - active.count) deactivated"),
            StatCard(label: "Teams", value: String(teams), hint: "sales and servicing teams"),
            StatCard(
                label: "Two-factor sign-in", value: "\(withTwoFactor)/\(active.count)",
                hint: "users protected"),
            StatCard(label: "Audited actions", value: String(events.count), hint: "last 14 days"),
        ]

        let roleCounts = Role.allCases.map { role in Double(active.filter { $0.role == role }.count)
        }
        let days = (0..<14).map { calendar.date(byAdding: .day, value: $0, to: since)! }
        let dayFormatter = DateFormatter()
        dayFormatter.timeZone = zone
        dayFormatter.dateFormat = "M/d"
        func count(_ prefix: String, on day: Date) -> Double {
            Double(
                events.filter {
                    $0.action.hasPrefix(prefix) && calendar.isDate($0.occurredAt, inSameDayAs: day)
                }.count)
        }
        let weekdayLabels = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        var heat = Array(repeating: Array(repeating: 0.0, count: 6), count: 7)
        for event in events {
            let parts = calendar.dateComponents([.weekday, .hour], from: event.occurredAt)
            heat[(parts.weekday ?? 1) - 1][(parts.hour ?? 0) / 4] += 1
        }
        let charts = [
            ChartCard(
                title: "Sign-ins, last 14 days",
                svg: SVGChart.line(
                    title: "Sign-ins per day, last 14 days",
                    labels: days.map(dayFormatter.string(from:)),
                    series: [
                        ChartSeries(
                            name: "Successful",
                            values: days.map { count("auth.login.succeeded", on: $0) }),
                        ChartSeries(
                            name: "Failed", values: days.map { count("auth.login.failed", on: $0) }),
                    ])),
            ChartCard(
                title: "Team by role",
                svg: SVGChart.bar(
                    title: "Active users by role", labels: Role.allCases.map(\.label),
                    values: roleCounts)),
            ChartCard(
                title: "Two-factor coverage",
                svg: SVGChart.progressRing(
                    title: "Share of active users with two-factor sign-in",
                    fraction: active.isEmpty ? 0 : Double(withTwoFactor) / Double(active.count),
                    label: "protected")),
            ChartCard(
                title: "When your team works",
                svg: SVGChart.heatMap(
                    title: "Audited actions by weekday and time of day", rowLabels: weekdayLabels,
                    columnLabels: ["0-4", "4-8", "8-12", "12-16", "16-20", "20-24"], values: heat)),
        ]
        let org = principal.organization
        let checklist = [
            ChecklistItem(
                label: "Enable two-factor sign-in for yourself",
                done: principal.user.twoFactorEnabled, href: "/app/account/2fa"),
            ChecklistItem(
                label: "Add your business address (needed for CAN-SPAM)",
                done: !org.addressLine1.isEmpty && !org.postalCode.isEmpty,
                href: "/app/admin/organization"),
            ChecklistItem(label: "Create a team", done: teams > 0, href: "/app/admin/teams/new"),
            ChecklistItem(
                label: "Invite your agents", done: users.count > 1, href: "/app/admin/users/new"),
            ChecklistItem(
                label: "Require two-factor sign-in for everyone", done: org.requireTwoFactor,
                href: "/app/admin/organization"),
        ]
        let tasks = principal.can(.leadsRead) ? try await taskSummary(req, zone: zone) : nil
        let hour = calendar.component(.hour, from: now)
        let greeting = hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening"
        return try await req.render(
            "dashboard/index",
            DashboardPage(
                page: req.pageContext(title: "Dashboard", section: "dashboard"),
                greeting:
                    "\(greeting), \(principal.user.name.split(separator: " ").first.map(String.init) ?? principal.user.name)",
                stats: stats, charts: charts, checklist: checklist, tasks: tasks,
                showActivity: principal.can(.auditRead),
                activity: principal.can(.auditRead)
                    ? events.sorted { $0.sequence > $1.sequence }.prefix(10).map {
                        ActivityItem(actor: $0.actorLabel, action: $0.action, entity: $0.entityType)
                    } : []))
    }

    /// The signed-in user's open tasks: how many are overdue and due today, and the latest
    /// reminders sent (newer ones arrive over the live socket).
    private func taskSummary(_ req: Request, zone: TimeZone) async throws -> DashboardTasks {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let open = try await LeadTask.query(in: organizationID, on: req.db)
            .filter(\.$assigneeID == principal.userID).filter(\.$completedAt == nil)
            .sort(\.$dueAt).limit(500).all()
        let buckets = open.map {
            TaskSchedule.bucket(dueAt: $0.dueAt, completedAt: nil, now: req.now, in: zone)
        }
        let reminded = open.filter { $0.remindedAt != nil }
            .sorted { ($0.remindedAt ?? .distantPast) > ($1.remindedAt ?? .distantPast) }
            .prefix(5)
        let leads = try await Lead.query(in: organizationID, on: req.db)
            .filter(\.$id ~~ reminded.map(\.leadID)).all()
        let names = Dictionary(leads.compactMap { lead in lead.id.map { ($0, lead.fullName) } }) {
            first, _ in first
        }
        return DashboardTasks(
            overdue: buckets.filter { $0 == .overdue }.count,
            today: buckets.filter { $0 == .today }.count,
            reminders: reminded.compactMap { task in
                names[task.leadID].map {
                    ActivityItem(
                        actor: "Due " + LeadService.taskDue(task.dueAt, zone: zone),
                        action: task.title, entity: $0)
                }
            })
    }
}
