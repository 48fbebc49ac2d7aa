import Fluent
import Foundation
import ReliefCore
import Vapor

/// Receiving, previewing, starting and reading lead imports; shared by the import pages, the
/// API and the job.
struct ImportService {
    let req: Request

    /// Options an upload may carry (form fields, multipart parts or query parameters).
    struct Options: Sendable {
        var fileName: String
        var sourceName: String?
        var duplicatePolicy: DuplicatePolicy?
        var mapping: ImportMapping?
    }

    /// Stores the request body (a CSV file, raw or as the `file` part of a multipart form)
    /// encrypted in a spool, refusing it early when `Content-Length` says it is over the limit
    /// and stopping as soon as a body without one crosses it. Returns the new import
    /// (state `uploaded`) and the options found in a multipart form.
    func receive(fileName: String) async throws -> (LeadImport, Options) {
        let principal = try req.principal
        let limit = req.relief.config.maxImportBytes
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init),
            declared > limit
        {
            throw Self.tooLarge(declared, limit: limit)
        }
        let record = LeadImport(
            organizationID: principal.organizationID, createdBy: principal.userID,
            fileName: String(fileName.prefix(200)), now: req.now)
        record.id = UUID()
        let url = try record.spoolURL(dataDirectory: req.relief.config.dataDirectory)
        let writer = try EncryptedSpool.Writer(
            url: url, id: try record.requireID(), cipher: req.relief.cipher)
        var options = Options(fileName: record.fileName)
        do {
            if req.headers.contentType?.type == "multipart" {
                let body = try await req.body.collect(max: limit + 1_048_576).get()
                let form = try FormDataDecoder().decode(
                    UploadForm.self, from: body ?? ByteBuffer(),
                    boundary: req.headers.contentType?.parameters["boundary"] ?? "")
                guard let file = form.file else {
                    throw ValidationFailure(fields: ["file": "Choose a CSV file to import."])
                }
                guard file.data.readableBytes <= limit else {
                    throw Self.tooLarge(file.data.readableBytes, limit: limit)
                }
                try writer.append(file.data.readableBytesView)
                options.fileName = String(file.filename.prefix(200))
                options.sourceName = form.source
                options.duplicatePolicy = form.duplicates.flatMap(DuplicatePolicy.init(rawValue:))
                options.mapping = try form.mapping.flatMap { try Self.mapping(from: $0) }
            } else if let collected = req.body.data {
                // Already in memory (small bodies, tests).
                guard collected.readableBytes <= limit else {
                    throw Self.tooLarge(collected.readableBytes, limit: limit)
                }
                try writer.append(collected.readableBytesView)
            } else {
                for try await chunk in req.body {
                    try writer.append(chunk.readableBytesView)
                    if writer.byteCount > Int64(limit) {
                        throw Self.tooLarge(Int(writer.byteCount), limit: limit)
                    }
                }
            }
            guard writer.byteCount > 0 else {
                throw ValidationFailure(fields: ["file": "The file is empty."])
            }
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        record.fileName = options.fileName.isEmpty ? "upload.csv" : options.fileName
        record.byteSize = writer.byteCount
        try await record.create(on: req.db)
        try await req.audit(
            "lead_import.uploaded", entityType: "lead_import", entityID: record.id?.uuidString,
            changes: AuditDiff.details([
                "file": record.fileName, "bytes": String(record.byteSize),
            ]))
        return (record, options)
    }

    struct UploadForm: Content {
        var file: File?
        var source: String?
        var duplicates: String?
        var mapping: String?
    }

    static func tooLarge(_ size: Int, limit: Int) -> Abort {
        Abort(
            .payloadTooLarge,
            reason: "The file is \(megabytes(size)); imports accept up to \(megabytes(limit)) "
                + "(RELIEF_MAX_IMPORT_MB).")
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// A mapping given as JSON: `{"columns":{"Header":"field"}}` or just `{"Header":"field"}`.
    static func mapping(from json: String) throws -> ImportMapping? {
        let trimmed = json.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if let mapping = try? ImportMapping(json: Data(trimmed.utf8)), !mapping.columns.isEmpty {
            return mapping
        }
        guard
            let plain = try? JSONDecoder().decode(
                [String: String].self, from: Data(trimmed.utf8))
        else {
            throw ValidationFailure(fields: [
                "mapping": #"Give the mapping as {"columns":{"Column header":"field_name"}}."#
            ])
        }
        var columns: [String: LeadImportField] = [:]
        var unknown: [String] = []
        for (header, name) in plain {
            if let field = LeadImportField(rawValue: name) {
                columns[header] = field
            } else {
                unknown.append(name)
            }
        }
        if !unknown.isEmpty {
            throw ValidationFailure(fields: [
                "mapping": "Unknown fields: " + unknown.sorted().joined(separator: ", ")
                    + ". Use: " + LeadImportField.allCases.map(\.rawValue).joined(separator: ", ")
            ])
        }
        return ImportMapping(columns: columns)
    }

    /// Queues the import with its mapping (nil: automatic) and duplicate policy, saving the
    /// mapping for the source so the next file from it starts mapped.
    func start(
        _ record: LeadImport, mapping: ImportMapping?, policy: DuplicatePolicy, sourceName: String?
    ) async throws {
        guard record.state == .uploaded else {
            throw Abort(.conflict, reason: "This import has already started.")
        }
        record.mapping =
            try mapping.map { String(decoding: try $0.json(), as: UTF8.self) } ?? "{}"
        record.duplicatePolicy = policy
        record.sourceName = sourceName?.trimmingCharacters(in: .whitespaces) ?? ""
        record.state = .queued
        record.updatedAt = req.now
        let organizationID = record.organizationID
        try await req.db.transaction { database in
            try await record.save(on: database)
            try await Jobs.enqueue(
                ImportLeadsJob.self, .init(importID: try record.requireID()),
                organizationID: organizationID, on: database, now: req.now)
            if let mapping, !record.sourceName.isEmpty {
                try await saveMapping(mapping, source: record.sourceName, on: database)
            }
        }
        try await req.audit(
            "lead_import.started", entityType: "lead_import", entityID: record.id?.uuidString,
            changes: AuditDiff.details([
                "file": record.fileName, "duplicates": policy.rawValue,
                "mapping": mapping == nil ? "automatic" : record.mapping,
            ]))
    }

    private func saveMapping(_ mapping: ImportMapping, source: String, on database: any Database)
        async throws
    {
        let key = LeadSource.key(source)
        let organizationID = try req.principal.organizationID
        let row =
            try await SavedImportMapping.query(in: organizationID, on: database)
            .filter(\.$sourceKey == key).first() ?? SavedImportMapping()
        row.organizationID = organizationID
        row.sourceKey = key
        row.mapping = String(decoding: try mapping.json(), as: UTF8.self)
        try await row.save(on: database)
    }

    /// The mapping saved for `source`, if any.
    func savedMapping(source: String) async throws -> ImportMapping? {
        let row = try await SavedImportMapping.query(in: req.principal.organizationID, on: req.db)
            .filter(\.$sourceKey == LeadSource.key(source)).first()
        return try row.flatMap { try ImportMapping(json: Data($0.mapping.utf8)) }
    }

    /// The file's dialect, header and first rows, read from the spool.
    func preview(_ record: LeadImport, rows count: Int = 5) throws -> (
        headers: [String], rows: [CSVRow]
    ) {
        let reader = try EncryptedSpool.Reader(
            url: try record.spoolURL(dataDirectory: req.relief.config.dataDirectory),
            id: try record.requireID(), cipher: req.relief.cipher)
        let file: ImportFile
        do {
            file = try ImportFile(nextChunk: reader.next)
        } catch let problem as ImportFileProblem {
            throw ValidationFailure(fields: ["file": problem.description])
        }
        var rows: [CSVRow] = []
        while rows.count < count, let row = try file.reader.next() { rows.append(row) }
        return (file.headers, rows)
    }

    /// The import as the API reports it.
    static func status(_ record: LeadImport) -> ImportStatusDTO {
        ImportStatusDTO(
            id: record.id ?? UUID(), state: record.state.rawValue, fileName: record.fileName,
            totalRows: record.state == .completed ? record.totalRows : nil,
            processedRows: record.processedRows, created: record.createdCount,
            updated: record.updatedCount, skippedDuplicates: record.skippedDuplicates,
            rejected: record.rejectedCount, error: record.error,
            percent: record.byteSize > 0
                ? min(100, Int(record.bytesProcessed * 100 / record.byteSize)) : 0)
    }
}

/// `GET /api/v1/imports/{id}`.
struct ImportStatusDTO: Content {
    var id: UUID
    var state: String
    var fileName: String
    var totalRows: Int?
    var processedRows: Int
    var created: Int
    var updated: Int
    var skippedDuplicates: Int
    var rejected: Int
    var error: String?
    var percent: Int

    enum CodingKeys: String, CodingKey {
        case id, state, created, updated, rejected, error, percent
        case fileName = "file_name"
        case totalRows = "total_rows"
        case processedRows = "processed_rows"
        case skippedDuplicates = "skipped_duplicates"
    }
}

/// Runs a queued import in the background, publishing progress to its owner's live topic.
struct ImportLeadsJob: JobHandler {
    struct Payload: Codable, Sendable {
        var importID: UUID
    }

    static let kind = "leads.import"
    static var retryPolicy: RetryPolicy { RetryPolicy(maxAttempts: 3) }

    func run(_ payload: Payload, context: JobContext) async throws {
        let app = context.application
        guard let organizationID = context.organizationID,
            let record = try await LeadImport.find(
                payload.importID, in: organizationID, on: context.db),
            record.state == .queued || record.state == .running
        else { return }
        let services = app.relief
        let user = try await User.find(record.createdBy, in: organizationID, on: context.db)
        let actor = LeadActor(
            organizationID: organizationID, userID: user?.id,
            audit: user.map { AuditActor(kind: .user, id: $0.id?.uuidString, label: $0.email) }
                ?? .system,
            origin: AuditOrigin(
                ip: "", userAgent: "import job", requestID: context.jobID.uuidString))
        let organization = try await Organization.find(organizationID, on: context.db)
        let zone = organization.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt
        let url = try record.spoolURL(dataDirectory: services.config.dataDirectory)
        let reader = try EncryptedSpool.Reader(
            url: url, id: try record.requireID(), cipher: services.cipher)
        let topic = record.createdBy.map { "user:\($0.uuidString)" }
        var importer = LeadImporter(
            services: services, database: context.db, record: record, actor: actor)
        importer.onProgress = { [weak app] (record: LeadImport) in
            guard let topic, let app else { return }
            let status = ImportService.status(record)
            await app.live.publish(
                topic: topic, type: "import.progress",
                data: [
                    "id": status.id.uuidString, "state": status.state,
                    "percent": String(status.percent),
                    "processed_rows": String(status.processedRows),
                ])
        }
        do {
            try await importer.run(today: CalendarDate(services.now(), in: zone)) {
                try reader.next()
            }
        } catch is ImportFileProblem {
            // Recorded on the import; retrying cannot fix the file.
        } catch {
            if context.attempt >= Self.retryPolicy.maxAttempts {
                record.state = .failed
                record.error =
                    "The import stopped after \(record.processedRows) rows and could not resume: "
                    + "\(error)"
                record.finishedAt = services.now()
                try await record.save(on: context.db)
                try? FileManager.default.removeItem(at: url)
            }
            throw error
        }
        try? FileManager.default.removeItem(at: url)
    }
}
