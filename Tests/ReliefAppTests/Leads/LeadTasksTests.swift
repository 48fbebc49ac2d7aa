import Fluent
import ReliefCore
import Testing
import Vapor

@testable import ReliefApp

/// Follow-up tasks: the API, the lead page, "My tasks" and the reminder job.
@Suite("Lead tasks")
struct LeadTasksTests {
    /// A lead owned by the agent, created by the owner.
    static func agentLead(_ api: APIClient, agent: User) async throws -> String {
        let response = try await api.call(
            .POST, "/api/v1/leads",
            json:
                #"{"first_name":"Rosa","last_name":"Diaz","phone":"7135550188","owner_id":"\#(try agent.requireID)"}"#
        )
        #expect(response.status == .created, "\(response.body.string)")
        return try #require(try response.json()["id"] as? String)
    }

    @Test("tasks through the API: create, list, change, complete, delete; each on the timeline")
    func api() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let leadID = try await Self.agentLead(owner, agent: agent)
            let due = clock.now.addingTimeInterval(2 * 3600)

            let bad = try await owner.call(
                .POST, "/api/v1/leads/\(leadID)/tasks",
                json: #"{"title":" ","due_at":"tomorrow","remind_minutes_before":99999}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("due_at"))
            let missing = try await owner.call(
                .POST, "/api/v1/leads/\(leadID)/tasks", json: #"{"remind_minutes_before":99999}"#)
            let fields =
                (try missing.json()["error"] as? [String: Any])?["fields"] as? [String: String]
            #expect(
                Set(fields?.keys.map { $0 } ?? []) == ["title", "due_at", "remind_minutes_before"])
            #expect(try await LeadTask.query(on: app.db).count() == 0)

            let created = try await owner.call(
                .POST, "/api/v1/leads/\(leadID)/tasks",
                json:
                    #"{"title":"Call back about the Chase account","due_at":"\#(due.formatted(.iso8601))","remind_minutes_before":15}"#
            )
            #expect(created.status == .created, "\(created.body.string)")
            let task = try created.json()
            let taskID = try #require(task["id"] as? String)
            #expect(task["assignee_id"] as? String == (try agent.requireID).uuidString)
            #expect(task["state"] as? String == "open")
            #expect(task["lead_name"] as? String == "Rosa Diaz")
            #expect(
                task["remind_at"] as? String == due.addingTimeInterval(-900).formatted(.iso8601))

            // The agent sees it among their open tasks; the owner has none of their own.
            let (agentAPI, _) = try await APIClient.signIn(app, agent.email)
            let mine = try await agentAPI.call(.GET, "/api/v1/tasks?assignee=me&state=open")
                .jsonArray()
            #expect(mine.map { $0["id"] as? String } == [taskID])
            #expect(try await owner.call(.GET, "/api/v1/tasks").jsonArray().isEmpty)
            let theirs = try await owner.call(
                .GET, "/api/v1/tasks?assignee=\(try agent.requireID)")
            #expect(try theirs.jsonArray().count == 1)
            let otherAgent = try await agentAPI.call(
                .GET, "/api/v1/tasks?assignee=\(try fixture.owner.requireID)")
            #expect(otherAgent.status == .forbidden)
            #expect(
                try await agentAPI.call(.GET, "/api/v1/leads/\(leadID)/tasks").jsonArray().count
                    == 1)

            let moved = try await agentAPI.call(
                .PATCH, "/api/v1/tasks/\(taskID)",
                json: #"{"due_at":"\#(due.addingTimeInterval(3600).formatted(.iso8601))"}"#)
            #expect(moved.status == .ok, "\(moved.body.string)")
            #expect(
                try moved.json()["remind_at"] as? String
                    == due.addingTimeInterval(3600 - 900).formatted(.iso8601),
                "the reminder keeps its offset")
            let noReminder = try await agentAPI.call(
                .PATCH, "/api/v1/tasks/\(taskID)", json: #"{"remind_minutes_before":null}"#)
            #expect(
                try noReminder.json()["remind_at"] == nil
                    || (try noReminder.json()["remind_at"]) is NSNull)
            let done = try await agentAPI.call(
                .PATCH, "/api/v1/tasks/\(taskID)", json: #"{"completed":true}"#)
            #expect(try done.json()["state"] as? String == "completed")
            #expect(
                try await agentAPI.call(.GET, "/api/v1/tasks?state=completed").jsonArray().count
                    == 1)
            #expect(
                try await agentAPI.call(.DELETE, "/api/v1/tasks/\(taskID)").status == .noContent)
            #expect(try await LeadTask.query(on: app.db).count() == 0)

            let timeline = try await owner.call(.GET, "/api/v1/leads/\(leadID)/timeline")
                .jsonArray().filter { $0["kind"] as? String == "task" }
                .compactMap { $0["summary"] as? String }
            #expect(timeline.count == 5)
            #expect(timeline.contains("Task added: Call back about the Chase account"))
            #expect(timeline.contains("Task completed: Call back about the Chase account"))
            #expect(timeline.contains("Task deleted: Call back about the Chase account"))
            let actions = try await AuditEvent.query(on: app.db).filter(\.$entityType == "task")
                .sort(\.$sequence).all().map(\.action)
            #expect(
                actions == [
                    "task.created", "task.updated", "task.updated", "task.completed",
                    "task.deleted",
                ])
        }
    }

    @Test("the lead page adds, completes and reopens tasks; My tasks groups them by due time")
    func pages() async throws {
        try await withApp { app, _ in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let leadID = try await Self.agentLead(owner, agent: agent)
            let browser = Browser(app)
            try await browser.signIn(agent.email)
            let page = try await browser.get("/app/leads/\(leadID)").body.string
            #expect(page.contains("No open tasks."))
            #expect(page.contains("America/New_York"))

            let refused = try await browser.post(
                "/app/leads/\(leadID)/tasks",
                [
                    ("title", ""), ("due_date", "2026-02-30"), ("due_time", "25:00"),
                    ("remind", "15"),
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("That day does not exist in that month."))
            #expect(refused.body.string.contains("Enter a time like 14:30 or 2:30 pm."))

            // 2026-11-18 is "today" at the test clock (1_795_000_000 = Nov 18 03:46 EST).
            let today = try await browser.post(
                "/app/leads/\(leadID)/tasks",
                [
                    ("title", "Send the enrollment packet"), ("due_date", "2026-11-18"),
                    ("due_time", "2:30 pm"), ("remind", "30"),
                ])
            #expect(today.status == .seeOther)
            let task = try #require(try await LeadTask.query(on: app.db).first())
            #expect(task.assigneeID == (try agent.requireID))
            // 14:30 EST is 19:30 UTC.
            #expect(task.dueAt.formatted(.iso8601) == "2026-11-18T19:30:00Z")
            #expect(task.remindAt?.formatted(.iso8601) == "2026-11-18T19:00:00Z")
            for (title, day) in [
                ("Ask for bank statements", "2026-11-17"), ("Check in", "2026-11-25"),
            ] {
                try await browser.get("/app/leads/\(leadID)")
                let added = try await browser.post(
                    "/app/leads/\(leadID)/tasks",
                    [("title", title), ("due_date", day), ("due_time", "09:00"), ("remind", "")])
                #expect(added.status == .seeOther)
            }

            let mine = try await browser.get("/app/tasks")
            #expect(mine.status == .ok)
            let html = mine.body.string
            let overdue = try #require(html.range(of: "Overdue"))
            let todayHeading = try #require(html.range(of: ">Today"))
            let upcoming = try #require(html.range(of: "Upcoming"))
            let statements = try #require(
                html.range(of: "<strong>Ask for bank statements</strong>"))
            let packet = try #require(html.range(of: "<strong>Send the enrollment packet</strong>"))
            let checkIn = try #require(html.range(of: "<strong>Check in</strong>"))
            #expect(overdue.lowerBound < statements.lowerBound)
            #expect(statements.lowerBound < todayHeading.lowerBound)
            #expect(todayHeading.lowerBound < packet.lowerBound)
            #expect(packet.lowerBound < upcoming.lowerBound)
            #expect(upcoming.lowerBound < checkIn.lowerBound)

            let done = try await browser.post("/app/tasks/\(try task.requireID())/complete")
            #expect(done.status == .seeOther)
            #expect(done.headers.first(name: .location) == "/app/tasks")
            #expect(try await LeadTask.find(task.id, on: app.db)?.completedAt != nil)
            try await browser.get("/app/leads/\(leadID)")
            let reopened = try await browser.post(
                "/app/tasks/\(try task.requireID())/reopen", [("from", "lead")])
            #expect(reopened.headers.first(name: .location) == "/app/leads/\(leadID)")
            #expect(try await LeadTask.find(task.id, on: app.db)?.completedAt == nil)
            let leadPage = try await browser.get("/app/leads/\(leadID)").body.string
            #expect(leadPage.contains("Task reopened: Send the enrollment packet"))
            #expect(leadPage.contains("Overdue"))

            // Someone who can neither see the lead nor holds the task gets a 404.
            let stranger = Browser(app)
            try await stranger.signIn(fixture.users[.manager]!.email)
            try await stranger.get("/app")
            #expect(
                try await stranger.post("/app/tasks/\(try task.requireID())/complete").status
                    == .notFound)
        }
    }

    @Test("due reminders reach the assignee's live topic once and show on the dashboard")
    func reminders() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let agent = fixture.users[.agent]!
            let agentID = try agent.requireID
            let (owner, _) = try await APIClient.signIn(app, fixture.owner.email)
            let leadID = try await Self.agentLead(owner, agent: agent)
            let due = clock.now.addingTimeInterval(3600)
            for (title, minutes) in [("Call Rosa", "15"), ("No reminder", "null")] {
                let response = try await owner.call(
                    .POST, "/api/v1/leads/\(leadID)/tasks",
                    json:
                        #"{"title":"\#(title)","due_at":"\#(due.formatted(.iso8601))","remind_minutes_before":\#(minutes)}"#
                )
                #expect(response.status == .created)
            }
            let topic = "user:\(agentID.uuidString)"
            func runJob() async throws {
                try await TaskReminderJob().run(
                    .init(),
                    context: JobContext(
                        application: app, jobID: UUID(), organizationID: nil, attempt: 1,
                        logger: app.logger))
            }

            try await runJob()
            #expect(app.live.events(topics: [topic], since: 0).isEmpty, "not yet due")
            clock.advance(45 * 60 + 1)
            try await runJob()
            let events = app.live.events(topics: [topic], since: 0)
            #expect(events.count == 1)
            #expect(events.first?.type == "task.reminder")
            #expect(events.first?.data["title"] == "Call Rosa")
            #expect(events.first?.data["entity"] == "Rosa Diaz")
            #expect(events.first?.data["lead"] == leadID)
            let task = try #require(
                try await LeadTask.query(on: app.db).filter(\.$title == "Call Rosa").first())
            #expect(task.remindedAt != nil)
            try await runJob()
            #expect(app.live.events(topics: [topic], since: 0).count == 1, "reminded once")

            let browser = Browser(app)
            try await browser.signIn(agent.email)
            let dashboard = try await browser.get("/app").body.string
            #expect(dashboard.contains("Your tasks"))
            #expect(dashboard.contains("data-live-feed=\"task.reminder\""))
            #expect(dashboard.contains("Call Rosa"))
            #expect(dashboard.contains("0 overdue · 2 due today"))
        }
    }
}
