import Foundation
import ReliefCore

/// A stored document's metadata (the file name and who uploaded it belong in the feature's
/// own table, beside the document id).
struct StoredDocument: Equatable, Sendable {
    let organizationID: UUID
    let id: UUID
    /// The content type decided by ``ContentSniffer`` from the bytes.
    let contentType: String
    /// Plaintext size in bytes.
    let size: Int
    /// The master key id the document is encrypted under.
    let keyID: String
}

/// Why the document store refused or could not read a document.
enum DocumentStoreError: Error, Equatable, CustomStringConvertible {
    case tooLarge(size: Int, limit: Int)
    case rejected(ContentSniffer.Rejection)
    case notFound(organizationID: UUID, id: UUID)
    case damaged(organizationID: UUID, id: UUID, reason: String)

    var description: String {
        switch self {
        case .tooLarge(let size, let limit):
            return "The file is \(Self.megabytes(size)); the limit is \(Self.megabytes(limit))."
        case .rejected(let rejection): return rejection.description
        case .notFound(let org, let id): return "document \(org)/\(id) does not exist"
        case .damaged(let org, let id, let reason):
            return "document \(org)/\(id) cannot be read: \(reason)"
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}

/// Encrypted storage of uploaded documents, addressed by organization and id. The local store
/// below writes files under the data directory; an S3-compatible store can implement the same
/// protocol later (encrypting before upload the same way).
protocol DocumentStore: Sendable {
    /// Checks the size and content type (``ContentSniffer``), encrypts and stores `data`,
    /// replacing any document with the same id.
    func put(_ data: Data, declaredType: String?, organizationID: UUID, id: UUID) async throws
        -> StoredDocument
    /// The document and its plaintext; ``DocumentStoreError/notFound(organizationID:id:)``
    /// when there is none in that organization.
    func get(organizationID: UUID, id: UUID) async throws -> (StoredDocument, Data)
    /// Removes the document; removing a missing one is not an error.
    func delete(organizationID: UUID, id: UUID) async throws
}

/// Counts from re-encrypting stored documents under the current key.
struct DocumentRekeyCounts: Equatable, Sendable {
    var rekeyed = 0
    var alreadyCurrent = 0
    var failed: [String] = []
}

/// A document store that can re-encrypt everything it holds under the current key
/// (`relief keys rotate`).
protocol RekeyableDocumentStore: DocumentStore {
    func rekeyAll(batchSize: Int) async throws -> DocumentRekeyCounts
}
