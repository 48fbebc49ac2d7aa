import Fluent
import Foundation
import ReliefCore
import Vapor

/// An upload as the API and the pages show it.
struct DNCRegistryUploadDTO: Content {
    struct Rejected: Content {
        var line: Int
        var reason: String
        var text: String
    }
    var id: UUID
    var list: String
    var downloadedAt: String
    var fileName: String
    var kind: String
    var linesRead: Int
    var loaded: Int
    var removed: Int
    var rejected: Int
    var rejectedLines: [Rejected]
    var areaCodes: [String]
    var totalNumbers: Int
    var uploadedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, list, kind, loaded, removed, rejected
        case downloadedAt = "downloaded_at"
        case fileName = "file_name"
        case linesRead = "lines_read"
        case rejectedLines = "rejected_lines"
        case areaCodes = "area_codes"
        case totalNumbers = "total_numbers"
        case uploadedAt = "uploaded_at"
    }

    init(_ upload: DNCRegistryUpload) {
        id = upload.id!
        list = upload.list
        downloadedAt = upload.downloadedOn
        fileName = upload.fileName
        kind = upload.kind
        linesRead = upload.linesRead
        loaded = upload.numbersLoaded
        removed = upload.numbersRemoved
        rejected = upload.rejectedCount
        rejectedLines =
            (try? JSONDecoder().decode([Rejected].self, from: Data(upload.rejectedSample.utf8)))
            ?? []
        areaCodes = upload.areaCodes.split(separator: " ").map(String.init)
        totalNumbers = upload.totalNumbers
        uploadedAt = upload.uploadedAt
    }
}

/// Loads DNC registry files (national or a state's; full or change lists; plain or zipped) into
/// the organization's per-area-code blocks, and records the upload.
struct DNCRegistryUploads {
    /// The largest registry file accepted (the full national list is about 3 GB unzipped).
    static let maximumBytes: Int64 = 4 << 30

    let context: ComplianceContext
    let dataDirectory: String

    init(req: Request) throws {
        context = try ComplianceContext(req: req)
        dataDirectory = req.relief.config.dataDirectory
        self.request = req
    }

    init(context: ComplianceContext, dataDirectory: String) {
        self.context = context
        self.dataDirectory = dataDirectory
        self.request = nil
    }

    private let request: Request?

    /// "national", or an upper-case state code; nil for anything else.
    static func listName(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == DNCRegistryCache.national { return DNCRegistryCache.national }
        return USState.isValid(trimmed) && trimmed.count == 2 ? trimmed.uppercased() : nil
    }

    /// Streams the request body to a temporary file, loads it, and removes the file.
    func receive(list: String, downloadedOn: CalendarDate, fileName: String) async throws
        -> DNCRegistryUpload
    {
        guard let req = request else { throw Abort(.internalServerError) }
        let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("dnc-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        var written: Int64 = 0
        do {
            if let collected = req.body.data {
                handle.write(Data(collected.readableBytesView))
                written = Int64(collected.readableBytes)
            } else {
                for try await chunk in req.body {
                    written += Int64(chunk.readableBytes)
                    guard written <= Self.maximumBytes else {
                        throw Abort(
                            .payloadTooLarge,
                            reason: "A registry file may be at most \(Self.maximumBytes >> 30) GB.")
                    }
                    handle.write(Data(chunk.readableBytesView))
                }
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        guard written > 0 else {
            throw ValidationFailure(fields: ["file": "The body is empty: send the registry file."])
        }
        return try await loadFile(
            at: url, list: list, downloadedOn: downloadedOn, fileName: fileName)
    }

    /// Loads a file that arrived whole (the file part of the DNC page's form without
    /// JavaScript): written to a temporary file, parsed and loaded like a streamed one.
    func receive(
        file data: ByteBuffer, list: String, downloadedOn: CalendarDate, fileName: String
    ) async throws -> DNCRegistryUpload {
        guard data.readableBytes > 0 else {
            throw ValidationFailure(fields: ["file": "The file is empty: choose the registry file."]
            )
        }
        let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("dnc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: Data(data.readableBytesView))
        else { throw Abort(.internalServerError, reason: "Could not spool the registry file.") }
        return try await loadFile(
            at: url, list: list, downloadedOn: downloadedOn, fileName: fileName)
    }

    /// Parses the file off the event loop and applies it.
    private func loadFile(
        at url: URL, list: String, downloadedOn: CalendarDate, fileName: String
    ) async throws -> DNCRegistryUpload {
        guard let req = request else { throw Abort(.internalServerError) }
        let parsed = try await req.application.threadPool.runIfActive(eventLoop: req.eventLoop) {
            try DNCRegistryFile.parse(fileAt: url)
        }.get()
        return try await load(parsed, list: list, downloadedOn: downloadedOn, fileName: fileName)
    }

    /// Checks the list name and download day of an upload: the list is `national` or a state
    /// code, the day a `YYYY-MM-DD` not after today (UTC). Throws every field's reason.
    static func validate(list rawList: String, downloadedOn rawDay: String, now: Date) throws
        -> (list: String, downloadedOn: CalendarDate)
    {
        var fields = FieldCheck()
        let list = listName(rawList)
        if list == nil {
            fields.fail("list", "Use national or a two-letter state code such as TX.")
        }
        let downloaded = try? CalendarDate.parse(rawDay)
        if downloaded == nil {
            fields.fail("downloaded_at", "The day the file was downloaded, as YYYY-MM-DD.")
        } else if let downloaded, downloaded > CalendarDate(now, in: .gmt) {
            fields.fail("downloaded_at", "\(downloaded) is in the future.")
        }
        guard let list, let downloaded, fields.errors.isEmpty else {
            throw ValidationFailure(fields: fields.errors)
        }
        return (list, downloaded)
    }

    /// Applies a parsed file: a full list replaces the area codes it holds, a change list adds
    /// and removes numbers. Refused (nothing written) when not one line could be read.
    func load(
        _ parsed: DNCParseResult, list: String, downloadedOn: CalendarDate, fileName: String
    ) async throws -> DNCRegistryUpload {
        let rejectedSample = parsed.rejected.prefix(100).map {
            DNCRegistryUploadDTO.Rejected(
                line: $0.lineNumber, reason: "\($0.reason)", text: $0.text)
        }
        guard parsed.additionCount + parsed.removalCount > 0 else {
            let first = rejectedSample.prefix(5).map { "line \($0.line): \($0.reason)" }
            throw ValidationFailure(fields: [
                "file":
                    "No number could be read (\(parsed.rejectedCount) lines rejected). "
                    + first.joined(separator: "; ")
            ])
        }
        let organizationID = context.organizationID
        let now = context.now
        let areaCodes = Set(parsed.additions.keys).union(parsed.removals.keys).sorted()
        let upload = DNCRegistryUpload()
        try await context.database.transaction { database in
            var loaded = 0
            var removed = 0
            for areaCode in areaCodes {
                let existing = try await DNCRegistryBlock.query(in: organizationID, on: database)
                    .filter(\.$list == list).filter(\.$areaCode == areaCode).first()
                let additions = parsed.additions[areaCode] ?? []
                let removals = parsed.removals[areaCode] ?? []
                let table: DNCAreaCodeTable
                if parsed.isChangeList, let existing {
                    let current = try DNCAreaCodeTable(encoded: Array(existing.data))
                    table = current.applying(additions: additions, removals: removals)
                    removed += current.count + additions.count - table.count
                } else {
                    table = DNCAreaCodeTable(subscribers: additions)
                }
                loaded += additions.count
                let block = existing ?? DNCRegistryBlock()
                block.organizationID = organizationID
                block.list = list
                block.areaCode = areaCode
                block.numbers = table.count
                block.data = Data(table.encoded())
                block.updatedAt = now
                try await block.save(on: database)
            }
            let total =
                try await DNCRegistryBlock.query(in: organizationID, on: database)
                .filter(\.$list == list).sumOfIntegers(\.$numbers)
            upload.organizationID = organizationID
            upload.list = list
            upload.downloadedOn = downloadedOn.description
            upload.fileName = String(fileName.prefix(200))
            upload.kind = parsed.isChangeList ? "change" : "full"
            upload.linesRead = parsed.linesRead
            upload.numbersLoaded = loaded
            upload.numbersRemoved = max(0, removed)
            upload.rejectedCount = parsed.rejectedCount
            upload.rejectedSample = String(
                decoding: try JSONEncoder().encode(Array(rejectedSample)), as: UTF8.self)
            upload.areaCodes = areaCodes.map { String($0) }.joined(separator: " ")
            upload.totalNumbers = total
            upload.uploadedByLabel = context.actor.label
            upload.uploadedAt = now
            try await upload.create(on: database)
        }
        try await context.audit(
            "compliance.dnc_registry_uploaded", entityType: "dnc_registry_upload",
            entityID: upload.id,
            details: [
                "list": list, "downloaded_on": downloadedOn.description,
                "loaded": String(upload.numbersLoaded), "rejected": String(upload.rejectedCount),
            ])
        return upload
    }
}
