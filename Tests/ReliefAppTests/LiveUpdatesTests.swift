import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import WebSocketKit

@testable import ReliefApp

/// A WebSocket client that records the text messages it receives.
final class LiveClient: Sendable {
    let messages = NIOLockedValueBox<[String]>([])
    let socket = NIOLockedValueBox<WebSocket?>(nil)

    static func connect(port: Int, cookie: String, origin: String? = nil, on app: Application)
        async throws -> LiveClient
    {
        let client = LiveClient()
        var headers: HTTPHeaders = ["Cookie": "\(WebSession.cookieName)=\(cookie)"]
        if let origin { headers.add(name: .origin, value: origin) }
        try await WebSocket.connect(
            to: "ws://127.0.0.1:\(port)/app/live", headers: headers, on: app.eventLoopGroup
        ) { socket in
            client.socket.withLockedValue { $0 = socket }
            socket.onText { _, text in client.messages.withLockedValue { $0.append(text) } }
        }
        return client
    }

    func send(_ text: String) async throws {
        // The upgrade callback may run just after connect returns.
        try await eventually("the socket to open", within: 10) {
            socket.withLockedValue { $0 } != nil
        }
        try await socket.withLockedValue { $0 }?.send(text)
    }

    func waitFor(_ needle: String) async throws {
        try await eventually("a live message containing \(needle)", within: 10) {
            messages.withLockedValue { $0 }.contains { $0.contains(needle) }
        }
    }

    var isClosed: Bool { socket.withLockedValue { $0?.isClosed ?? true } }

    func close() async { try? await socket.withLockedValue { $0 }?.close() }
}

/// Starts the HTTP server of `app` on a free loopback port.
func startServer(_ app: Application) async throws -> Int {
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    return try #require(app.http.server.shared.localAddress?.port)
}

/// A signed-in session cookie for `user`, made directly in the database.
func sessionCookie(for user: User, app: Application, now: Date) async throws -> String {
    let token = SecureToken.generate()
    try await UserSession(
        organizationID: user.organizationID, userID: try user.requireID,
        tokenDigest: SecureToken.digest(token),
        now: now, expiresAt: now.addingTimeInterval(3600), ip: "127.0.0.1", userAgent: "test",
        awaitingSecondFactor: false
    ).create(on: app.db)
    return token
}

@Suite("Live updates")
struct LiveUpdatesTests {
    @Test("an audit entry reaches a subscribed socket; bad subscriptions are refused and audited")
    func singleNode() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let port = try await startServer(app)
            let owner = try await LiveClient.connect(
                port: port,
                cookie: try await sessionCookie(for: fixture.owner, app: app, now: clock.now),
                on: app)
            try await owner.send(#"{"action":"subscribe","topics":["audit","org","user"]}"#)
            try await owner.waitFor(#""type":"subscribed""#)
            try await app.relief.audit.record(
                AuditEntry(
                    organizationID: try fixture.organization.requireID, actor: .system,
                    action: "test.live", entityType: "test", origin: .commandLine),
                on: app.db)
            try await owner.waitFor(#""action":"test.live""#)

            // An agent may not read the audit feed.
            let agent = try await LiveClient.connect(
                port: port,
                cookie: try await sessionCookie(
                    for: fixture.users[.agent]!, app: app, now: clock.now), on: app)
            try await agent.send(#"{"action":"subscribe","topics":["audit"]}"#)
            try await agent.waitFor("You may not subscribe to audit.")
            try await eventually("closed", within: 10) { agent.isClosed }
            // Garbage closes the socket too.
            let noisy = try await LiveClient.connect(
                port: port,
                cookie: try await sessionCookie(for: fixture.owner, app: app, now: clock.now),
                on: app)
            try await noisy.send("hello?")
            try await noisy.waitFor(#""type":"error""#)
            try await eventually("refusals audited", within: 20) {
                try await AuditEvent.query(in: fixture.organization.requireID, on: app.db).filter(
                    \.$action == "live.refused"
                ).count() >= 2
            }
            let refusals = try await AuditEvent.query(
                in: fixture.organization.requireID, on: app.db
            )
            .filter(\.$action == "live.refused").all().map(\.changes)
            #expect(refusals.count == 2, "\(refusals)")
            #expect(refusals.contains { $0.contains("You may not subscribe to audit.") })
            #expect(refusals.contains { $0.contains("hello?") })

            // The poll fallback returns what was published.
            let browser = Browser(app)
            try await browser.signIn(fixture.owner.email)
            let polled = try await browser.get("/app/live/poll?topics=audit&since=0")
            #expect(polled.body.string.contains("test.live"))
            #expect(try await browser.get("/app/live/poll?topics=lead:1").status == .forbidden)
            await owner.close()
            await app.server.shutdown()
        }
    }

    @Test("a socket from another site or without a session is refused")
    func crossSiteRefused() async throws {
        try await withApp { app, clock in
            let fixture = try await Fixture.make(app, slug: "acme")
            let port = try await startServer(app)
            let cookie = try await sessionCookie(for: fixture.owner, app: app, now: clock.now)
            #expect(
                await connects(
                    port: port, cookie: cookie, origin: "http://127.0.0.1:\(port)", app: app))
            #expect(
                !(await connects(
                    port: port, cookie: cookie, origin: "https://evil.example", app: app)))
            #expect(!(await connects(port: port, cookie: "not-a-session", origin: nil, app: app)))
            await app.server.shutdown()
        }
    }

    /// Whether a WebSocket upgrade succeeds within 5 seconds (a refused upgrade may never
    /// answer the client, so the attempt is raced against a timer and then abandoned).
    private func connects(port: Int, cookie: String, origin: String?, app: Application) async
        -> Bool
    {
        let outcome = NIOLockedValueBox<CheckedContinuation<Bool, Never>?>(nil)
        return await withCheckedContinuation { continuation in
            outcome.withLockedValue { $0 = continuation }
            @Sendable func finish(_ value: Bool) {
                outcome.withLockedValue { waiter in
                    waiter?.resume(returning: value)
                    waiter = nil
                }
            }
            Task {
                let client = try? await LiveClient.connect(
                    port: port, cookie: cookie, origin: origin, on: app)
                await client?.close()
                finish(client != nil)
            }
            Task {
                try? await Task.sleep(nanoseconds: 5_000_000_000)
                finish(false)
            }
        }
    }

    @Test(
        "on PostgreSQL an event published on node A reaches a socket on node B",
        .enabled(if: TestDatabase.isPostgres, "needs PostgreSQL (LISTEN/NOTIFY)"))
    func acrossNodes() async throws {
        try await withApp { nodeA, clock in
            let fixture = try await Fixture.make(nodeA, slug: "acme")
            let nodeB = try await Application.make(.testing)
            do {
                try await configure(nodeB, config: nodeA.relief.config, now: { clock.now })
                await nodeB.live.startListening()
                await nodeA.live.startListening()
                let port = try await startServer(nodeB)
                let client = try await LiveClient.connect(
                    port: port,
                    cookie: try await sessionCookie(for: fixture.owner, app: nodeA, now: clock.now),
                    on: nodeB)
                try await client.send(#"{"action":"subscribe","topics":["org"]}"#)
                try await client.waitFor(#""type":"subscribed""#)
                await nodeA.live.publish(
                    topic: "org:\(try fixture.organization.requireID.uuidString)",
                    type: "lead.assigned", data: ["lead": "L-1"])
                try await client.waitFor(#""type":"lead.assigned""#)
                #expect(nodeA.live.connectionCount == 0 && nodeB.live.connectionCount == 1)
                await client.close()
                await nodeB.server.shutdown()
            } catch {
                nodeB.live.stopListening()
                try await nodeB.asyncShutdown()
                throw error
            }
            nodeA.live.stopListening()
            nodeB.live.stopListening()
            try await nodeB.asyncShutdown()
        }
    }
}
