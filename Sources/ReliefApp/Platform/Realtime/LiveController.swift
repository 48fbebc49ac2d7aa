import Fluent
import Foundation
import ReliefCore
import Vapor

/// `/app/live` (WebSocket) and `/app/live/poll` (the fallback). A page subscribes to topic
/// names relative to its user: `org` (its organization), `user` (itself) and `audit` (the
/// organization's audit feed, for those who may read the audit log). Anything else closes the
/// socket with a reason and is audited.
struct LiveController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // The synchronous upgrade callback registers the message handler before the first frame
        // can arrive; the async variant runs in a task and could miss an early subscribe.
        routes.webSocket(
            "live",
            shouldUpgrade: { req in req.eventLoop.makeSucceededFuture(Self.sameOrigin(req)) },
            onUpgrade: connected
        )
        .access(.requires(.signedIn))
        routes.get("live", "poll", use: poll).access(.requires(.signedIn))
    }

    /// Resolves a relative topic name for a principal, or nil when it may not see it.
    static func topicKey(_ name: String, for principal: Principal) -> String? {
        switch name {
        case "org": return "org:\(principal.organizationID.uuidString)"
        case "user": return "user:\(principal.userID.uuidString)"
        case "audit":
            return principal.can(.auditRead)
                ? "org:\(principal.organizationID.uuidString):audit" : nil
        default: return nil
        }
    }

    /// Refuses cross-site WebSocket connections (browsers always send `Origin`).
    static func sameOrigin(_ req: Request) -> HTTPHeaders? {
        guard let origin = req.headers.first(name: .origin),
            let host = req.headers.first(name: .host),
            let originHost = URL(string: origin)?.host
        else { return req.headers.first(name: .origin) == nil ? [:] : nil }
        let hostOnly = host.split(separator: ":").first.map(String.init) ?? host
        return originHost == hostOnly ? [:] : nil
    }

    struct ClientMessage: Decodable {
        var action: String
        var topics: [String]
    }

    @Sendable
    func connected(_ req: Request, _ socket: WebSocket) {
        guard let principal = req.auth.get(Principal.self) else {
            socket.close(code: .policyViolation, promise: nil)
            return
        }
        let hub = req.application.live
        let subscription = SubscriptionSlot()
        let encoder = JSONEncoder()
        socket.onText { socket, text in
            guard
                let message = try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8)),
                message.action == "subscribe", !message.topics.isEmpty, message.topics.count <= 10
            else {
                await refuse(
                    socket, req: req,
                    reason: "Messages must be {\"action\":\"subscribe\",\"topics\":[...]}.",
                    detail: String(text.prefix(200)))
                return
            }
            var keys: Set<String> = []
            for name in message.topics {
                guard let key = Self.topicKey(name, for: principal) else {
                    await refuse(
                        socket, req: req, reason: "You may not subscribe to \(name).", detail: name)
                    return
                }
                keys.insert(key)
            }
            if let old = subscription.value { hub.unsubscribe(old) }
            subscription.value = hub.subscribe(topics: keys) { event in
                guard let data = try? encoder.encode(event) else { return }
                socket.send(String(decoding: data, as: UTF8.self))
            }
            try? await socket.send(
                #"{"type":"subscribed","topics":\#(String(decoding: (try? encoder.encode(message.topics)) ?? Data("[]".utf8), as: UTF8.self))}"#
            )
        }
        socket.onClose.whenComplete { _ in
            if let id = subscription.value { hub.unsubscribe(id) }
        }
    }

    private func refuse(_ socket: WebSocket, req: Request, reason: String, detail: String) async {
        let body = (try? JSONEncoder().encode(["type": "error", "reason": reason])).map {
            String(decoding: $0, as: UTF8.self)
        }
        if let body { try? await socket.send(body) }
        try? await socket.close(code: .policyViolation)
        try? await req.audit(
            "live.refused", entityType: "live_socket",
            changes: AuditDiff.details(["reason": reason, "message": detail]))
    }

    struct PollResult: Content {
        var events: [LiveEvent]
        var now: Int64
    }

    /// `GET /app/live/poll?topics=org,audit&since=<ms>`: events this node has seen since `since`.
    func poll(req: Request) async throws -> PollResult {
        let principal = try req.principal
        let names =
            (try? req.query.get(String.self, at: "topics"))?.split(separator: ",").map(String.init)
            ?? []
        var keys: Set<String> = []
        for name in names {
            guard let key = Self.topicKey(name, for: principal) else {
                throw Abort(.forbidden, reason: "You may not subscribe to \(name).")
            }
            keys.insert(key)
        }
        let since = (try? req.query.get(Int64.self, at: "since")) ?? 0
        return PollResult(
            events: req.application.live.events(topics: keys, since: since),
            now: Int64((req.now.timeIntervalSince1970 * 1000).rounded()))
    }
}

/// A mutable box for the subscription id of one socket.
final class SubscriptionSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: UUID?

    var value: UUID? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
