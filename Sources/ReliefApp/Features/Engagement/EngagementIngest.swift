import Fluent
import Foundation
import Metrics
import NIOConcurrencyHelpers
import ReliefCore
import Vapor

/// Takes tracked events from the public endpoints and writes them in batches: a request only
/// appends to a buffer in memory and answers; a flush every ``flushInterval`` (or as soon as a
/// batch is full) writes the buffered events in one transaction with their leads' new heat
/// scores, then alerts the owners of leads that turned hot. A clean shutdown flushes what is
/// left, so an event acknowledged before it is never lost. When the buffer holds
/// ``maximumBuffered`` events (the database is behind), requests wait for a flush instead of
/// growing memory.
final class EngagementIngest: Sendable {
    static let flushInterval: Duration = .milliseconds(100)
    static let batchSize = 5_000
    static let maximumBuffered = 50_000
    /// Clicks of a message kept in memory for the "every link clicked at once" rule.
    static let clickMemory: TimeInterval = 60

    private let application: Application
    private let buffer = NIOLockedValueBox<[NewEngagementEvent]>([])
    private let recentClicks = NIOLockedValueBox<[UUID: [MessageClick]]>([:])
    private let flusher = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let flushing = FlushGate()

    init(application: Application) {
        self.application = application
    }

    /// Queues one event; waits for a flush only when the buffer is full.
    func record(_ event: NewEngagementEvent) async {
        let count = buffer.withLockedValue {
            $0.append(event)
            return $0.count
        }
        Counter(
            label: "relief_engagement_events_total",
            dimensions: [
                ("type", event.event.type.rawValue), ("machine", "\(event.event.machine)"),
            ]
        ).increment()
        if count >= Self.maximumBuffered { await flush() }
    }

    /// Events waiting to be written.
    var pendingCount: Int { buffer.withLockedValue { $0.count } }

    /// The earlier clicks of `message` still in memory, and remembers `click` for the next.
    func clicks(of message: UUID, adding click: MessageClick) -> [MessageClick] {
        recentClicks.withLockedValue { clicks in
            let since = click.occurredAt.addingTimeInterval(-Self.clickMemory)
            let earlier = (clicks[message] ?? []).filter { $0.occurredAt >= since }
            clicks[message] = earlier + [click]
            if clicks.count > 10_000 {
                clicks = clicks.filter { $0.value.contains { $0.occurredAt >= since } }
            }
            return earlier
        }
    }

    /// Starts the periodic flush.
    func start() {
        flusher.withLockedValue { task in
            guard task == nil else { return }
            task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.flushInterval)
                    await self?.flush()
                }
            }
        }
    }

    /// Stops the periodic flush and writes everything still buffered.
    func stop() async {
        let task = flusher.withLockedValue { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await flush()
    }

    /// Writes everything buffered, a batch at a time. A batch that fails goes back to the front
    /// of the buffer (logged) for the next flush.
    func flush() async {
        await flushing.run {
            while true {
                let batch = buffer.withLockedValue { events -> [NewEngagementEvent] in
                    let batch = Array(events.prefix(Self.batchSize))
                    events.removeFirst(batch.count)
                    return batch
                }
                guard !batch.isEmpty else { return }
                do {
                    try await write(batch)
                } catch {
                    buffer.withLockedValue { $0.insert(contentsOf: batch, at: 0) }
                    application.logger.error(
                        "engagement events not written yet (\(batch.count), retrying): \(String(reflecting: error))"
                    )
                    return
                }
            }
        }
    }

    private func write(_ batch: [NewEngagementEvent]) async throws {
        let now = application.relief.now()
        let crossings = try await application.db.transaction { database in
            try await database.insertInGroups(batch, now: now)
            // Clicks that turned out to be a scanner's (every link at once): flag the earlier
            // ones of the same message, and rebuild those leads' scores from their history.
            var rebuilt: Set<UUID> = []
            for event in batch where event.reasons.contains(.allLinksClicked) {
                guard let message = event.event.messageID, let lead = event.leadID else { continue }
                try await EngagementEventRecord.query(in: event.organizationID, on: database)
                    .filter(\.$messageID == message).filter(\.$type == .click)
                    .filter(\.$machine == false)
                    .filter(
                        \.$occurredAt
                            >= event.event.occurredAt.addingTimeInterval(-Self.clickMemory)
                    )
                    .set(\.$machine, to: true)
                    .set(\.$machineReasons, to: MachineActivityReason.allLinksClicked.rawValue)
                    .update()
                if rebuilt.insert(lead).inserted {
                    try await HeatScores(database: database, now: now).rebuild(
                        organizationID: event.organizationID, leadIDs: [lead])
                }
            }
            return try await HeatScores(database: database, now: now)
                .apply(batch.filter { $0.leadID.map { !rebuilt.contains($0) } ?? false })
        }
        for crossing in crossings { await alert(crossing) }
        for organization in Set(batch.map(\.organizationID)) {
            await application.live.publish(
                topic: "org:\(organization.uuidString)", type: "engagement.updated")
        }
    }

    /// Tells the owner a lead turned hot, with what it did, and notes it on the timeline.
    private func alert(_ crossing: HeatScores.Crossing) async {
        do {
            let explanation = try await HeatExplanations(database: application.db)
                .explain(
                    lead: crossing.leadID, in: crossing.organizationID, at: application.relief.now()
                )
            let activity = Activity(
                organizationID: crossing.organizationID, leadID: crossing.leadID, kind: .engagement,
                occurredAt: application.relief.now(), actorID: nil, actorLabel: "heat score",
                summary: "Hot lead: \(explanation.reason)",
                data: #"{"score":\#(String(format: "%.1f", crossing.score))}"#)
            try await activity.create(on: application.db)
            if let owner = crossing.ownerID {
                await application.live.publish(
                    topic: "user:\(owner.uuidString)", type: "lead.hot",
                    data: [
                        "lead_id": crossing.leadID.uuidString, "name": crossing.name,
                        "score": String(format: "%.1f", crossing.score),
                        "reason": explanation.reason,
                    ])
            }
        } catch {
            application.logger.error("hot lead alert failed: \(String(reflecting: error))")
        }
    }
}

/// Runs one flush at a time.
private actor FlushGate {
    private var running = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run(_ body: @Sendable () async -> Void) async {
        while running {
            await withCheckedContinuation { waiters.append($0) }
        }
        running = true
        await body()
        running = false
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}

extension Application {
    private struct EngagementIngestKey: StorageKey {
        typealias Value = EngagementIngest
    }

    /// The tracked-event ingest (created on first use; started with the server).
    var engagement: EngagementIngest {
        if let ingest = storage[EngagementIngestKey.self] { return ingest }
        let ingest = EngagementIngest(application: self)
        storage[EngagementIngestKey.self] = ingest
        return ingest
    }
}

/// Flushes what is left at shutdown (`relief serve` starts the periodic flush itself: the
/// application has booted before the command runs, so a boot hook would never fire).
struct EngagementIngestLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.engagement.stop()
    }
}
