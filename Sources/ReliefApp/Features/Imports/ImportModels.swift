import Fluent
import ReliefCore
import Vapor

/// What an import does with a row whose phone or e-mail matches an existing lead.
enum DuplicatePolicy: String, Codable, Sendable, CaseIterable {
    /// Leave the existing lead alone; count the row as a skipped duplicate.
    case skip
    /// Fill the existing lead's empty fields from the row.
    case update
    /// Replace the existing lead's fields with the row's non-empty values.
    case overwrite

    var label: String {
        switch self {
        case .skip: "Skip the row"
        case .update: "Fill empty fields of the existing lead"
        case .overwrite: "Overwrite the existing lead with the row's values"
        }
    }
}

/// A lead file import. `state`: `uploaded` (web: waiting for the column mapping), `queued`,
/// `running`, `completed`, `failed`. Outcome counts always add up: every data row is created,
/// updated, skipped as a duplicate or rejected.
final class LeadImport: Model, TenantScoped, @unchecked Sendable {
    static let schema = "lead_imports"

    enum State: String, Codable, Sendable {
        case uploaded, queued, running, completed, failed
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .none) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .none) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "file_name") var fileName: String
    @Field(key: "source_name") var sourceName: String
    /// JSON array of the file's column names, read when the import starts.
    @Field(key: "headers") var headers: String
    /// JSON of the ``ImportMapping``; `{}` for the automatic mapping.
    @Field(key: "mapping") var mapping: String
    @Enum(key: "duplicate_policy") var duplicatePolicy: DuplicatePolicy
    @Enum(key: "state") var state: State
    @Field(key: "byte_size") var byteSize: Int64
    @Field(key: "bytes_processed") var bytesProcessed: Int64
    @Field(key: "total_rows") var totalRows: Int
    @Field(key: "processed_rows") var processedRows: Int
    @Field(key: "created_count") var createdCount: Int
    @Field(key: "updated_count") var updatedCount: Int
    @Field(key: "skipped_duplicates") var skippedDuplicates: Int
    @Field(key: "rejected_count") var rejectedCount: Int
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    init(organizationID: UUID, createdBy: UUID?, fileName: String, now: Date) {
        self.organizationID = organizationID
        self.createdBy = createdBy
        self.fileName = fileName
        sourceName = ""
        headers = "[]"
        mapping = "{}"
        duplicatePolicy = .skip
        state = .uploaded
        byteSize = 0
        bytesProcessed = 0
        totalRows = 0
        processedRows = 0
        createdCount = 0
        updatedCount = 0
        skippedDuplicates = 0
        rejectedCount = 0
        createdAt = now
        updatedAt = now
    }

    static func scoped(_ query: QueryBuilder<LeadImport>, to organizationID: UUID)
        -> QueryBuilder<LeadImport>
    {
        query.filter(\.$organizationID == organizationID)
    }

    /// The mapping to use: the stored one, or nil for automatic.
    var importMapping: ImportMapping? {
        guard mapping != "{}", let data = mapping.data(using: .utf8),
            let decoded = try? ImportMapping(json: data), !decoded.columns.isEmpty
        else { return nil }
        return decoded
    }

    /// Where the encrypted upload is kept until the import finishes.
    func spoolURL(dataDirectory: String) throws -> URL {
        EncryptedSpool.url(
            dataDirectory: dataDirectory, organizationID: organizationID, id: try requireID())
    }
}

/// One rejected row: its number in the file, byte offset, every reason, and its fields (sealed,
/// since a row may hold an SSN) for the rejected-rows CSV.
final class LeadImportRejection: Model, TenantScoped, @unchecked Sendable {
    static let schema = "lead_import_rejections"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "import_id") var importID: UUID
    @Field(key: "row_number") var rowNumber: Int
    @Field(key: "byte_offset") var byteOffset: Int64
    @Field(key: "reason") var reason: String
    /// JSON array of the row's fields sealed by ``FieldCipher`` (context
    /// `lead_import_rejections.fields`); nil when the row could not be read.
    @OptionalField(key: "fields") var fields: String?

    init() {}

    static func scoped(_ query: QueryBuilder<LeadImportRejection>, to organizationID: UUID)
        -> QueryBuilder<LeadImportRejection>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A column mapping saved for a lead source.
final class SavedImportMapping: Model, TenantScoped, @unchecked Sendable {
    static let schema = "import_mappings"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    /// ``LeadSource/key(_:)`` of the source name.
    @Field(key: "source_key") var sourceKey: String
    /// JSON of the ``ImportMapping``.
    @Field(key: "mapping") var mapping: String

    init() {}

    static func scoped(_ query: QueryBuilder<SavedImportMapping>, to organizationID: UUID)
        -> QueryBuilder<SavedImportMapping>
    {
        query.filter(\.$organizationID == organizationID)
    }
}
