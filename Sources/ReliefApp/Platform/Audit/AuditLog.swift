import Fluent
import FluentSQL
import Foundation
import Vapor

/// Who did something, as the audit trail records it.
struct AuditActor: Sendable, Equatable {
    enum Kind: String, Sendable {
        case user
        case apiKey = "api_key"
        case system, consumer
    }
    var kind: Kind
    var id: String?
    var label: String

    static let system = AuditActor(kind: .system, id: nil, label: "system")
}

/// Where a request came from, as the audit trail records it.
struct AuditOrigin: Sendable, Equatable {
    var ip: String
    var userAgent: String
    var requestID: String

    static let commandLine = AuditOrigin(ip: "", userAgent: "relief command", requestID: "")
}

/// One thing to record. `changes` is a JSON object text, usually from ``AuditDiff``.
struct AuditEntry: Sendable {
    var organizationID: UUID
    var actor: AuditActor
    var action: String
    var entityType: String
    var entityID: String?
    var changes: String = ""
    var origin: AuditOrigin
}

/// Appends entries to an organization's hash chain. Appends for one organization are
/// serialized inside the process and, on PostgreSQL, across processes with a transaction-level
/// advisory lock; a unique (organization, sequence) index stops any fork of the chain.
struct AuditLog: Sendable {
    let locks: KeyedAsyncLock
    let now: @Sendable () -> Date
    /// Called after each entry is written (the live audit feed).
    var onRecord: (@Sendable (AuditEvent) async -> Void)?

    @discardableResult
    func record(_ entry: AuditEntry, on database: any Database) async throws -> AuditEvent {
        let event = try await append(entry, on: database)
        await onRecord?(event)
        return event
    }

    private func append(_ entry: AuditEntry, on database: any Database) async throws -> AuditEvent {
        try await locks.withLock(entry.organizationID.uuidString) {
            try await database.transaction { transaction in
                if let sql = transaction as? any SQLDatabase, sql.dialect.name == "postgresql" {
                    try await sql.raw(
                        "SELECT pg_advisory_xact_lock(hashtext(\(bind: entry.organizationID.uuidString)))"
                    ).run()
                }
                let last = try await AuditEvent.query(in: entry.organizationID, on: transaction)
                    .sort(\.$sequence, .descending).first()
                let event = AuditEvent()
                event.organizationID = entry.organizationID
                event.sequence = (last?.sequence ?? 0) + 1
                event.occurredAt = AuditChain.truncated(now())
                event.actorType = entry.actor.kind.rawValue
                event.actorID = entry.actor.id
                event.actorLabel = entry.actor.label
                event.action = entry.action
                event.entityType = entry.entityType
                event.entityID = entry.entityID
                event.changes = entry.changes
                event.ip = entry.origin.ip
                event.userAgent = String(entry.origin.userAgent.prefix(400))
                event.requestID = entry.origin.requestID
                event.previousHash = last?.hash ?? AuditChain.genesisHash
                event.hash = AuditChain.hash(
                    previousHash: event.previousHash, fields: event.chainFields)
                try await event.create(on: transaction)
                return event
            }
        }
    }

    /// Verifies every organization's chain; returns the first break per broken organization.
    func verifyAll(on database: any Database) async throws -> [(Organization, AuditChain.Break)] {
        var broken: [(Organization, AuditChain.Break)] = []
        for organization in try await Organization.query(on: database).sort(\.$slug).all() {
            let orgID = try organization.requireID
            let rows = try await AuditEvent.query(in: orgID, on: database)
                .sort(\.$sequence, .ascending).all()
            let chain = rows.map {
                (
                    id: $0.id?.uuidString ?? "?", fields: $0.chainFields,
                    previousHash: $0.previousHash, hash: $0.hash
                )
            }
            if let failure = AuditChain.verify(chain) { broken.append((organization, failure)) }
        }
        return broken
    }
}

/// Builds the `changes` JSON of an audit entry from before/after values. Fields named in
/// `redacted` show only that they changed.
struct AuditDiff: Sendable {
    private var entries: [(String, String?, String?)] = []

    /// Records a field when its value changed (or on create, when `before` is nil).
    mutating func field(_ name: String, from before: String?, to after: String?) {
        guard before != after else { return }
        entries.append((name, before, after))
    }

    /// The changed fields between two snapshots of a record (field name -> value), in name
    /// order; a field missing from `before` counts as created.
    static func between(_ before: [String: String], _ after: [String: String]) -> AuditDiff {
        var diff = AuditDiff()
        for (name, value) in after.sorted(by: { $0.key < $1.key }) {
            diff.field(name, from: before[name], to: value)
        }
        return diff
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The names of the changed fields, in order.
    var fieldNames: [String] { entries.map(\.0) }

    /// `{"name":{"from":...,"to":...},...}` in field order.
    var json: String {
        if entries.isEmpty { return "" }
        let body = entries.map { name, before, after in
            "\(AuditChain.quoted(name)):{\"from\":\(before.map(AuditChain.quoted) ?? "null"),"
                + "\"to\":\(after.map(AuditChain.quoted) ?? "null")}"
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    /// A one-line reading of a `changes` JSON text for pages: `role: agent → manager; name: …`.
    static func readable(_ changes: String) -> String {
        guard !changes.isEmpty,
            let object = try? JSONSerialization.jsonObject(with: Data(changes.utf8))
                as? [String: Any]
        else { return changes }
        func text(_ value: Any?) -> String {
            guard let value, !(value is NSNull) else { return "—" }
            let string = "\(value)"
            return string.isEmpty ? "—" : string
        }
        return object.keys.sorted().map { key in
            if let pair = object[key] as? [String: Any], pair.keys.contains("to") {
                return "\(key): \(text(pair["from"])) → \(text(pair["to"]))"
            }
            return "\(key): \(text(object[key]))"
        }.joined(separator: "; ")
    }

    /// A JSON object of plain details (`{"reason":"bad password"}`).
    static func details(_ pairs: KeyValuePairs<String, String>) -> String {
        "{"
            + pairs.map { "\(AuditChain.quoted($0.key)):\(AuditChain.quoted($0.value))" }
            .joined(separator: ",") + "}"
    }
}
