/// `dashboard/index.leaf`: the home page. Chart SVG is trusted markup from `SVGChart` and is
/// rendered with `#unsafeHTML(chart.svg)`.
struct DashboardPage: Encodable, Sendable {
    var page: PageContext
    var greeting: String
    var stats: [StatCard]
    var charts: [ChartCard]
    var checklist: [ChecklistItem]
    /// The signed-in user's tasks and reminders; nil for those who cannot see leads.
    var tasks: DashboardTasks?
    /// Whether the live audit feed is shown (readers of the audit log).
    var showActivity: Bool
    /// The latest audit entries; newer ones arrive over the live socket.
    var activity: [ActivityItem]
}

/// One line of the live activity feed.
struct ActivityItem: Encodable, Sendable {
    var actor: String
    var action: String
    var entity: String
}

/// A big number with a label.
struct StatCard: Encodable, Sendable {
    var label: String
    var value: String
    var hint: String
}

/// A titled chart card.
struct ChartCard: Encodable, Sendable {
    var title: String
    var svg: String
}

/// A set-up step on the dashboard ("Enable two-factor sign-in").
struct ChecklistItem: Encodable, Sendable {
    var label: String
    var done: Bool
    var href: String
}

/// The dashboard's task card: open tasks that need attention and the latest reminders.
struct DashboardTasks: Encodable, Sendable {
    var overdue: Int
    var today: Int
    /// Reminders already sent for open tasks, newest first, in the live feed's shape.
    var reminders: [ActivityItem]
}
