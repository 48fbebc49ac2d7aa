import ConsoleKit
import Fluent
import Foundation
import NIOConcurrencyHelpers
import ReliefCore
import Vapor

/// `relief import leads FILE --org SLUG [--mapping FILE] [--duplicates skip|update|overwrite]
/// [--source NAME]`: imports a large lead file directly from disk, printing progress and the
/// same summary as the import page. Rejected rows are written to `FILE.rejected.csv`.
struct ImportCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["leads": ImportLeadsCommand()] }
    var help: String { "Imports data files." }
}

struct ImportLeadsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The CSV file of leads.")
        var file: String
        @Option(name: "org", help: "The organization's slug.")
        var org: String?
        @Option(name: "mapping", help: #"A JSON file: {"columns":{"Column header":"field"}}."#)
        var mapping: String?
        @Option(
            name: "duplicates", help: "skip (default), update (fill empty fields) or overwrite.")
        var duplicates: String?
        @Option(name: "source", help: "The source of leads whose rows name none.")
        var source: String?
    }

    var help: String { "Imports a CSV file of leads into an organization." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let slug = signature.org,
            let organization = try await Organization.query(on: app.db).filter(\.$slug == slug)
                .first()
        else { throw CommandFailure(description: "Give --org with an existing organization slug.") }
        let policyName = signature.duplicates ?? "skip"
        guard let policy = DuplicatePolicy(rawValue: policyName) else {
            throw CommandFailure(description: "--duplicates must be skip, update or overwrite.")
        }
        let url = URL(fileURLWithPath: signature.file)
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw CommandFailure(description: "Cannot read \(signature.file).")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let record = LeadImport(
            organizationID: try organization.requireID, createdBy: nil,
            fileName: url.lastPathComponent, now: app.relief.now())
        record.byteSize = Int64(size)
        record.duplicatePolicy = policy
        record.sourceName = signature.source ?? ""
        record.state = .queued
        if let mappingPath = signature.mapping {
            guard let data = FileManager.default.contents(atPath: mappingPath),
                let mapping = try ImportService.mapping(from: String(decoding: data, as: UTF8.self))
            else { throw CommandFailure(description: "Cannot read the mapping \(mappingPath).") }
            record.mapping = String(decoding: try mapping.json(), as: UTF8.self)
        }
        try await record.create(on: app.db)
        let actor = LeadActor(
            organizationID: try organization.requireID, userID: nil,
            audit: AuditActor(kind: .system, id: nil, label: "relief import leads"),
            origin: .commandLine)
        let console = context.console
        let started = Date()
        var importer = LeadImporter(
            services: app.relief, database: app.db, record: record, actor: actor)
        let lastPrinted = NIOLockedValueBox(Date.distantPast)
        importer.onProgress = { record in
            let now = Date()
            guard now.timeIntervalSince(lastPrinted.withLockedValue { $0 }) >= 2 else { return }
            lastPrinted.withLockedValue { $0 = now }
            let rate = Double(record.processedRows) / max(0.001, now.timeIntervalSince(started))
            console.print(
                "\(ImportService.status(record).percent)% \(record.processedRows) rows "
                    + "(\(Int(rate)) rows/s)")
        }
        let zone = TimeZone(identifier: organization.timeZone) ?? .gmt
        do {
            try await importer.run(today: CalendarDate(app.relief.now(), in: zone)) {
                let chunk = try handle.read(upToCount: EncryptedSpool.chunkSize)
                return (chunk?.isEmpty ?? true) ? nil : chunk
            }
        } catch let problem as ImportFileProblem {
            throw CommandFailure(description: problem.description)
        }
        let seconds = Date().timeIntervalSince(started)
        console.print(
            """
            Imported \(record.fileName) in \(String(format: "%.1f", seconds)) s
              rows                 \(record.totalRows)
              created              \(record.createdCount)
              updated              \(record.updatedCount)
              skipped duplicates   \(record.skippedDuplicates)
              rejected             \(record.rejectedCount)
            """)
        if record.rejectedCount > 0 {
            let path = signature.file + ".rejected.csv"
            try await writeRejected(record, to: path, app: app)
            console.print("Rejected rows with their reasons: \(path)")
        }
    }

    private func writeRejected(_ record: LeadImport, to path: String, app: Application)
        async throws
    {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let out = FileHandle(forWritingAtPath: path)
        else { throw CommandFailure(description: "Cannot write \(path).") }
        defer { try? out.close() }
        try await RejectedRows(record: record, cipher: app.relief.cipher, database: app.db)
            .write { try out.write(contentsOf: Data($0.utf8)) }
    }
}
