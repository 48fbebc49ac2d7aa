import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import PostgresKit
import SQLKit
import Vapor

/// One live update: what happened, on which topic, with a small JSON body for the page.
struct LiveEvent: Codable, Sendable, Equatable {
    var id: String
    /// Absolute topic key: `org:<id>`, `org:<id>:audit`, `user:<id>`.
    var topic: String
    var type: String
    /// Milliseconds since 1970, set by the publisher.
    var at: Int64
    var data: [String: String]
}

/// Live updates. Server code calls ``publish(topic:type:data:)``; browsers subscribed over the
/// `/app/live` WebSocket receive the event. On one node (SQLite) the hub fans out in-process.
/// On PostgreSQL every publish goes through `NOTIFY relief_live` and every node's listener fans
/// it out to its own sockets, so an event published on node A reaches a browser on node B.
/// Each node also keeps the last events per topic for pages that fall back to polling.
final class LiveHub: Sendable {
    static let channel = "relief_live"
    private static let recentLimit = 100

    private struct Subscriber: Sendable {
        let id: UUID
        let topics: Set<String>
        let deliver: @Sendable (LiveEvent) -> Void
    }

    private let subscribers = NIOLockedValueBox<[UUID: Subscriber]>([:])
    private let recent = NIOLockedValueBox<[String: [LiveEvent]]>([:])
    private let listening = NIOLockedValueBox(false)
    private let listener = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let application: Application

    init(application: Application) {
        self.application = application
    }

    // MARK: publishing

    /// Publishes an event to a topic (one call from server code).
    func publish(topic: String, type: String, data: [String: String] = [:]) async {
        let event = LiveEvent(
            id: UUID().uuidString, topic: topic, type: type,
            at: Int64((application.relief.now().timeIntervalSince1970 * 1000).rounded()), data: data
        )
        if let sql = application.db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            do {
                let payload = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
                try await sql.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: payload))").run()
                if listening.withLockedValue({ $0 }) { return }
            } catch {
                application.logger.error("live update NOTIFY failed: \(String(reflecting: error))")
            }
        }
        deliver(event)
    }

    /// Hands an event to this node's subscribers and keeps it for polling.
    func deliver(_ event: LiveEvent) {
        recent.withLockedValue { recent in
            var list = recent[event.topic, default: []]
            list.append(event)
            if list.count > Self.recentLimit { list.removeFirst(list.count - Self.recentLimit) }
            recent[event.topic] = list
        }
        let targets = subscribers.withLockedValue {
            $0.values.filter { $0.topics.contains(event.topic) }
        }
        for target in targets { target.deliver(event) }
    }

    // MARK: subscribing

    /// Registers a receiver for `topics`; returns its id for ``unsubscribe(_:)``.
    func subscribe(topics: Set<String>, deliver: @escaping @Sendable (LiveEvent) -> Void) -> UUID {
        let id = UUID()
        subscribers.withLockedValue {
            $0[id] = Subscriber(id: id, topics: topics, deliver: deliver)
        }
        return id
    }

    func unsubscribe(_ id: UUID) {
        subscribers.withLockedValue { _ = $0.removeValue(forKey: id) }
    }

    /// Open connections on this node.
    var connectionCount: Int { subscribers.withLockedValue { $0.count } }

    /// Events on `topics` published after `since` (milliseconds), oldest first.
    func events(topics: Set<String>, since: Int64) -> [LiveEvent] {
        recent.withLockedValue { recent in
            topics.flatMap { recent[$0] ?? [] }.filter { $0.at > since }.sorted { $0.at < $1.at }
        }
    }

    // MARK: PostgreSQL listener

    /// Starts listening for `NOTIFY relief_live` on a dedicated connection (PostgreSQL only),
    /// reconnecting with backoff when the connection drops. Returns once listening.
    func startListening() async {
        guard case .postgres(let url) = application.relief.config.database,
            listener.withLockedValue({ $0 }) == nil
        else { return }
        let started = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        await withCheckedContinuation { continuation in
            started.withLockedValue { $0 = continuation }
            let task = Task { await self.listenLoop(url: url, started: started) }
            listener.withLockedValue { $0 = task }
        }
    }

    /// Stops the listener (application shutdown).
    func stopListening() {
        listener.withLockedValue { $0?.cancel() }
        listening.withLockedValue { $0 = false }
    }

    private func listenLoop(
        url: String, started: NIOLockedValueBox<CheckedContinuation<Void, Never>?>
    ) async {
        var delay: Double = 0.5
        func signalStarted() {
            let waiter = started.withLockedValue { waiter in
                defer { waiter = nil }
                return waiter
            }
            waiter?.resume()
        }
        while !Task.isCancelled {
            do {
                var configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                configuration.options.connectTimeout = .seconds(5)
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 1, logger: application.logger)
                defer { Task { try? await connection.close() } }
                try await connection.listen(on: Self.channel) { notifications in
                    listening.withLockedValue { $0 = true }
                    signalStarted()
                    delay = 0.5
                    for try await notification in notifications {
                        guard
                            let event = try? JSONDecoder().decode(
                                LiveEvent.self, from: Data(notification.payload.utf8))
                        else { continue }
                        deliver(event)
                    }
                }
            } catch {
                if Task.isCancelled { break }
                application.logger.warning("live update listener lost its connection: \(error)")
            }
            listening.withLockedValue { $0 = false }
            signalStarted()
            try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            delay = min(delay * 2, 30)
        }
        signalStarted()
    }
}

extension LiveHub {
    /// Publishes an audit entry to its organization's audit feed (readers of the audit log).
    func publishAudit(_ event: AuditEvent) async {
        await publish(
            topic: "org:\(event.organizationID.uuidString):audit", type: "audit",
            data: [
                "sequence": String(event.sequence), "actor": event.actorLabel,
                "action": event.action,
                "entity": event.entityType,
            ])
    }
}

extension Application {
    private struct LiveKey: StorageKey {
        typealias Value = LiveHub
    }

    /// The live update hub.
    var live: LiveHub {
        if let hub = storage[LiveKey.self] { return hub }
        let hub = LiveHub(application: self)
        storage[LiveKey.self] = hub
        return hub
    }
}

/// Stops the PostgreSQL listener at shutdown.
struct LiveHubLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        application.live.stopListening()
    }
}
