import Crypto
import Foundation

/// The tamper-evidence rules of the audit trail: how a row is turned into canonical JSON and
/// hashed, and how a chain is verified.
enum AuditChain {
    /// The `previous_hash` of an organization's first row.
    static let genesisHash = String(repeating: "0", count: 64)

    /// The fields that are hashed, as they are stored.
    struct Fields: Sendable, Equatable {
        var organizationID: UUID
        var sequence: Int
        var occurredAt: Date
        var actorType: String
        var actorID: String?
        var actorLabel: String
        var action: String
        var entityType: String
        var entityID: String?
        var changes: String
        var ip: String
        var userAgent: String
        var requestID: String
    }

    /// Milliseconds since 1970: the precision every database keeps, so a re-read row hashes
    /// the same.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// `date` truncated to whole milliseconds (what is stored).
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// Canonical JSON: keys sorted, no spaces, strings escaped the same way every time.
    static func canonicalJSON(_ fields: Fields) -> String {
        let members: [(String, String)] = [
            ("action", quoted(fields.action)),
            ("actor_id", fields.actorID.map(quoted) ?? "null"),
            ("actor_label", quoted(fields.actorLabel)),
            ("actor_type", quoted(fields.actorType)),
            ("changes", quoted(fields.changes)),
            ("entity_id", fields.entityID.map(quoted) ?? "null"),
            ("entity_type", quoted(fields.entityType)),
            ("ip", quoted(fields.ip)),
            ("occurred_at_ms", String(milliseconds(fields.occurredAt))),
            ("organization_id", quoted(fields.organizationID.uuidString.lowercased())),
            ("request_id", quoted(fields.requestID)),
            ("sequence", String(fields.sequence)),
            ("user_agent", quoted(fields.userAgent)),
        ]
        return "{" + members.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// `SHA-256(previous_hash || canonical JSON)` as lowercase hex.
    static func hash(previousHash: String, fields: Fields) -> String {
        let digest = SHA256.hash(data: Data((previousHash + canonicalJSON(fields)).utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// A JSON string literal with the minimal escapes of RFC 8259.
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                result += String(format: "\\u%04x", control.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The first problem found in one organization's rows (given in sequence order).
    struct Break: Error, Equatable, CustomStringConvertible {
        var sequence: Int
        var eventID: String
        var problem: String

        var description: String { "row \(sequence) (id \(eventID)): \(problem)" }
    }

    /// Verifies rows of one organization sorted by sequence; returns the first break or nil.
    static func verify(_ rows: [(id: String, fields: Fields, previousHash: String, hash: String)])
        -> Break?
    {
        var expectedPrevious = genesisHash
        for (index, row) in rows.enumerated() {
            let expectedSequence = index + 1
            if row.fields.sequence != expectedSequence {
                return Break(
                    sequence: row.fields.sequence, eventID: row.id,
                    problem: "expected sequence \(expectedSequence): a row was deleted or "
                        + "inserted out of order")
            }
            if row.previousHash != expectedPrevious {
                return Break(
                    sequence: row.fields.sequence, eventID: row.id,
                    problem: "previous_hash does not match the row before it")
            }
            if hash(previousHash: row.previousHash, fields: row.fields) != row.hash {
                return Break(
                    sequence: row.fields.sequence, eventID: row.id,
                    problem: "hash does not match the row's contents: the row was changed")
            }
            expectedPrevious = row.hash
        }
        return nil
    }
}

extension AuditEvent {
    /// The hashed fields of this row.
    var chainFields: AuditChain.Fields {
        AuditChain.Fields(
            organizationID: organizationID, sequence: sequence, occurredAt: occurredAt,
            actorType: actorType, actorID: actorID, actorLabel: actorLabel, action: action,
            entityType: entityType, entityID: entityID, changes: changes, ip: ip,
            userAgent: userAgent, requestID: requestID)
    }
}
