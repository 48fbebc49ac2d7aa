import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// Runs one lead import: detects the CSV dialect, maps the columns, parses and validates each
/// row, finds duplicates (same phone or e-mail in the organization, or earlier in the file),
/// applies the duplicate policy, assigns new leads by the organization's rules and writes them
/// in batches, each batch with its outcome counts in one transaction. Memory stays flat: the
/// file is read in chunks and at most two batches are held.
///
/// Reading and preparing the next batch (parsing, validation, the lead rows) runs on its own
/// task while the current batch is written, so the two overlap. Rows are written with
/// ``Database/insertInGroups(_:now:)`` (multi-row INSERTs on SQLite, COPY on PostgreSQL).
///
/// Every data row ends in exactly one outcome (created, updated, skipped as a duplicate or
/// rejected with its reasons), so `total_rows` is their sum. A retried job resumes after the
/// last committed batch.
struct LeadImporter {
    let services: ReliefServices
    let database: any Database
    let record: LeadImport
    let actor: LeadActor
    var batchSize = 2_000
    /// After an import that created at least this many leads, the planner's statistics are
    /// refreshed (``DatabaseStatistics``), so the list and search use the right indexes at once
    /// instead of after the hourly refresh.
    static let statisticsRefreshThreshold = 1_000
    /// Called after each committed batch (progress on pages, the command's output).
    var onProgress: @Sendable (LeadImport) async -> Void = { _ in }

    private var organizationID: UUID { record.organizationID }
    private var service: LeadService {
        LeadService(services: services, database: database, actor: actor)
    }

    /// Imports from `nextChunk` (the upload, read in chunks) to the end, then marks the import
    /// completed. A file problem marks it failed and is rethrown.
    func run(today: CalendarDate, nextChunk: @escaping () throws -> Data?) async throws {
        record.state = .running
        record.startedAt = record.startedAt ?? services.now()
        try await record.save(on: database)
        do {
            try await importRows(today: today, nextChunk: nextChunk)
        } catch let problem as ImportFileProblem {
            record.state = .failed
            record.error = problem.description
            record.finishedAt = services.now()
            record.updatedAt = services.now()
            try await record.save(on: database)
            try await audit("lead_import.failed", ["error": problem.description])
            await onProgress(record)
            throw problem
        }
        if record.createdCount >= Self.statisticsRefreshThreshold {
            try await DatabaseStatistics.refresh(on: database)
        }
        record.state = .completed
        record.totalRows = record.processedRows
        record.bytesProcessed = record.byteSize
        record.finishedAt = services.now()
        record.updatedAt = services.now()
        try await record.save(on: database)
        try await audit(
            "lead_import.completed",
            [
                "file": record.fileName, "rows": String(record.totalRows),
                "created": String(record.createdCount), "updated": String(record.updatedCount),
                "skipped_duplicates": String(record.skippedDuplicates),
                "rejected": String(record.rejectedCount),
            ])
        await onProgress(record)
    }

    // MARK: - reading

    private func importRows(today: CalendarDate, nextChunk: @escaping () throws -> Data?)
        async throws
    {
        let file = try ImportFile(nextChunk: nextChunk)
        record.headers = String(decoding: try JSONEncoder().encode(file.headers), as: UTF8.self)
        let mapping = (record.importMapping ?? ImportMapping.automatic(headers: file.headers))
            .resolve(headers: file.headers)
        let mapped = Set(mapping.fields.compactMap { $0 })
        let identifying: Set<LeadImportField> = [
            .phone, .mobilePhone, .homePhone, .workPhone, .email, .email2,
        ]
        guard !mapped.isDisjoint(with: identifying),
            mapped.contains(.fullName)
                || (mapped.contains(.firstName) && mapped.contains(.lastName))
        else {
            throw ImportFileProblem(
                description:
                    "No column could be used for the name and a phone or e-mail. Columns found: "
                    + file.headers.joined(separator: ", ") + ". Map them on the import page.")
        }
        let preparer = BatchPreparer(
            file: file, parser: LeadRowParser(mapping: mapping, today: today), service: service,
            organizationID: organizationID, sourceName: record.sourceName, now: services.now)
        try preparer.skip(record.processedRows)
        // Source ids by name key, looked up (or created) once per import.
        var sources: [String: UUID?] = [:]
        let size = batchSize
        var next = Task { try preparer.next(size) }
        while let batch = try await next.value {
            next = Task { try preparer.next(size) }
            do {
                try await commit(batch, sources: &sources)
            } catch {
                next.cancel()
                _ = try? await next.value
                throw error
            }
        }
    }

    /// One data row on its way to an outcome.
    fileprivate struct Pending {
        var number: Int
        var byteOffset: Int64
        var fields: [String]?
        var draft: LeadDraft?
        /// The new lead filled from `draft`, unless the row was rejected.
        var lead: NewLeadRow?
        var problems: [String]
    }

    /// The rows of one batch, and how far into the file they reach.
    fileprivate struct Batch {
        var rows: [Pending]
        var bytesRead: Int64
    }

    /// Reads rows and prepares them (parse, validate, fill a new lead) on the reading task.
    /// Used by one task at a time: the next batch is asked for only after the last arrived.
    private final class BatchPreparer: @unchecked Sendable {
        let file: ImportFile
        let parser: LeadRowParser
        let service: LeadService
        let organizationID: UUID
        let sourceName: String
        let now: @Sendable () -> Date

        init(
            file: ImportFile, parser: LeadRowParser, service: LeadService, organizationID: UUID,
            sourceName: String, now: @escaping @Sendable () -> Date
        ) {
            self.file = file
            self.parser = parser
            self.service = service
            self.organizationID = organizationID
            self.sourceName = sourceName
            self.now = now
        }

        /// Passes over the rows a previous attempt committed.
        func skip(_ count: Int) throws {
            var skipped = 0
            while skipped < count, try file.reader.next() != nil { skipped += 1 }
        }

        func next(_ size: Int) throws -> Batch? {
            var rows: [Pending] = []
            rows.reserveCapacity(size)
            let now = now()
            while rows.count < size, let row = try file.reader.next() {
                rows.append(try prepare(row, now: now))
            }
            return rows.isEmpty ? nil : Batch(rows: rows, bytesRead: file.reader.bytesRead)
        }

        private func prepare(_ row: CSVRow, now: Date) throws -> Pending {
            var pending = Pending(
                number: row.number, byteOffset: row.byteOffset, fields: row.fields, draft: nil,
                lead: nil, problems: [])
            switch row.content {
            case .malformed(let reason):
                pending.problems = [reason]
            case .fields(let fields):
                switch parser.parse(fields) {
                case .blank:
                    pending.problems = ["The row is empty."]
                case .problems(let problems):
                    pending.problems = problems.map { "\($0.field): \($0.message)" }
                case .lead(var draft):
                    if draft.source == nil, !sourceName.isEmpty { draft.source = sourceName }
                    let lead = NewLeadRow(
                        id: UUID.timeOrdered(), organizationID: organizationID, createdAt: now)
                    do {
                        try service.apply(draft, to: lead, isNew: true, now: now)
                        pending.draft = draft
                        pending.lead = lead
                    } catch let failure as ValidationFailure {
                        pending.problems = failure.fields.sorted { $0.key < $1.key }.map {
                            "\($0.key): \($0.value)"
                        }
                    }
                }
            }
            return pending
        }
    }

    // MARK: - writing

    private func commit(_ batch: Batch, sources: inout [String: UUID?]) async throws {
        let now = services.now()
        var rejected = batch.rows.filter { $0.lead == nil }
        let candidates = batch.rows.filter { $0.lead != nil }

        // Duplicates: against the organization's leads (earlier batches included), and within
        // this batch.
        let phoneKeys = Set(candidates.flatMap { $0.draft!.phones.map(\.number.e164) })
        let emailKeys = Set(candidates.flatMap { $0.draft!.emails })
        var owner = try await leadIDs(
            table: LeadPhoneRecord.schema, column: "e164", index: "lead_phones_org_e164",
            keys: phoneKeys)
        owner.merge(
            try await leadIDs(
                table: LeadEmailRecord.schema, column: "email", index: "lead_emails_org_email",
                keys: emailKeys),
            uniquingKeysWith: { first, _ in first })
        var newLeads: [Pending] = []
        var positionOfNew: [UUID: Int] = [:]
        var mergedNew = Set<Int>()
        var existingUpdates: [UUID: LeadDraft] = [:]
        var updatedRows = 0
        var skippedRows = 0
        let mode: DraftMergeMode? =
            switch record.duplicatePolicy {
            case .skip: nil
            case .update: .fillEmpty
            case .overwrite: .overwrite
            }
        for candidate in candidates {
            let draft = candidate.draft!
            let keys = draft.phones.map(\.number.e164) + draft.emails
            if let match = keys.lazy.compactMap({ owner[$0] }).first {
                guard let mode else {
                    skippedRows += 1
                    continue
                }
                if let position = positionOfNew[match] {
                    newLeads[position].draft = newLeads[position].draft!.merged(
                        with: draft, mode: mode)
                    mergedNew.insert(position)
                } else {
                    existingUpdates[match] = (existingUpdates[match] ?? draft).merged(
                        with: draft, mode: .overwrite)
                }
                updatedRows += 1
                for key in keys { owner[key] = match }
                continue
            }
            let id = candidate.lead!.id
            positionOfNew[id] = newLeads.count
            newLeads.append(candidate)
            for key in keys { owner[key] = id }
        }

        // A new lead that absorbed later rows of the file is filled again from the merged
        // draft; one the merged values break (a ZIP the directory lacks) keeps its first row.
        for position in mergedNew {
            let entry = newLeads[position]
            try? service.apply(entry.draft!, to: entry.lead!, isNew: true, now: now)
        }
        var ready: [(lead: NewLeadRow, draft: LeadDraft)] = []
        for entry in newLeads {
            let (lead, draft) = (entry.lead!, entry.draft!)
            if let name = draft.source, !name.isEmpty {
                let key = LeadSource.key(name)
                if sources[key] == nil {
                    sources[key] = try await service.sourceID(named: name)
                }
                lead.sourceID = sources[key] ?? nil
            }
            ready.append((lead, draft))
        }
        if !ready.isEmpty, try await hasAssignmentRules() {
            let decisions = try await service.assigner.decide(
                ready.map { LeadAssigner.facts(of: $0.lead, source: $0.draft.source) })
            for (entry, decision) in zip(ready, decisions) {
                service.apply(decision, to: entry.lead)
            }
        }

        // Write the batch and its counts together.
        let importID = try record.requireID()
        let sealedRejections = try rejected.map { pending in
            let row = LeadImportRejection()
            row.organizationID = organizationID
            row.importID = importID
            row.rowNumber = pending.number
            row.byteOffset = pending.byteOffset
            row.reason = pending.problems.joined(separator: "; ")
            row.fields = try pending.fields.map {
                try services.cipher.seal(
                    String(decoding: try JSONEncoder().encode($0), as: UTF8.self),
                    context: "lead_import_rejections.fields")
            }
            return row
        }
        rejected.removeAll()
        var phoneRows: [NewLeadPhoneRow] = []
        var emailRows: [NewLeadEmailRow] = []
        var tagRows: [NewLeadTagRow] = []
        var activities: [NewActivityRow] = []
        let importLabel = "Imported from \(record.fileName)"
        let importData = AuditDiff.details(["import_id": importID.uuidString])
        for (lead, draft) in ready {
            let leadID = lead.id
            for (index, phone) in draft.phones.enumerated() {
                phoneRows.append(
                    NewLeadPhoneRow(
                        organizationID: organizationID, leadID: leadID, e164: phone.number.e164,
                        type: phone.type, isPrimary: index == 0))
            }
            for (index, email) in draft.emails.enumerated() {
                emailRows.append(
                    NewLeadEmailRow(
                        organizationID: organizationID, leadID: leadID, email: email,
                        isPrimary: index == 0))
            }
            var seen = Set<String>()
            for tag in draft.tags.map(LeadTags.normalize)
            where !tag.isEmpty && seen.insert(tag).inserted {
                tagRows.append(
                    NewLeadTagRow(organizationID: organizationID, leadID: leadID, tag: tag))
            }
            var summary = importLabel
            if let rule = lead.assignmentRule { summary += "; assigned by \(rule)" }
            activities.append(
                NewActivityRow(
                    organizationID: organizationID, leadID: leadID, kind: .imported,
                    actorID: actor.userID, actorLabel: actor.label, summary: summary,
                    body: draft.notes ?? "", data: importData))
        }
        let leads = ready.map(\.lead)
        let (phones, emails, tags, events) = (phoneRows, emailRows, tagRows, activities)
        let counts = (
            rows: batch.rows.count, created: leads.count, updated: updatedRows,
            skipped: skippedRows, rejected: sealedRejections.count
        )
        try await database.transaction { database in
            try await database.prepareForBulkWrites()
            try await database.insertInGroups(leads, now: now)
            try await database.insertInGroups(phones, now: now)
            try await database.insertInGroups(emails, now: now)
            try await database.insertInGroups(tags, now: now)
            try await database.insertInGroups(events, now: now)
            try await database.insertInGroups(sealedRejections)
            record.processedRows += counts.rows
            record.createdCount += counts.created
            record.updatedCount += counts.updated
            record.skippedDuplicates += counts.skipped
            record.rejectedCount += counts.rejected
            record.bytesProcessed = min(batch.bytesRead, record.byteSize)
            record.updatedAt = now
            try await record.save(on: database)
        }
        // Notes that mention a bankruptcy filing raise a flag for compliance review.
        for (lead, draft) in ready {
            let text = [draft.notes ?? "", draft.hardship ?? ""].joined(separator: "\n")
            if ComplianceFlags.mightMentionBankruptcy(text) {
                try await service.complianceFlags.scanForBankruptcy(
                    text, leadID: lead.id, on: database)
            }
        }
        // Duplicates of leads stored before this batch: through LeadService, so each change is
        // in the lead's timeline and the audit log.
        for (leadID, incoming) in existingUpdates {
            guard let lead = try await Lead.find(leadID, in: organizationID, on: database),
                let mode
            else { continue }
            let current = try await LeadDrafts.current(of: lead, service: service)
            do {
                try await service.update(lead, with: current.merged(with: incoming, mode: mode))
            } catch is ValidationFailure {
                // The merged values broke a rule (e.g. a ZIP the directory lacks): keep the lead.
                continue
            }
        }
        await onProgress(record)
    }

    /// The lead owning each of `keys` in `column` of `table` (`lead_phones.e164` through
    /// `lead_phones_org_e164`, `lead_emails.email` through `lead_emails_org_email`) in the
    /// organization. On SQLite the index is named (`INDEXED BY`): with statistics taken while
    /// the organization was small, the planner would rather scan the table than probe the
    /// index 2,000 times, and each batch would read every row imported before it.
    private func leadIDs(table: String, column: String, index: String, keys: Set<String>)
        async throws -> [String: UUID]
    {
        guard !keys.isEmpty, let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw(
            Self.duplicateLookup(
                table: table, column: column, index: index, organizationID: organizationID,
                keys: Array(keys), namingIndex: sql.dialect.name == "sqlite")
        ).all()
        var owners: [String: UUID] = [:]
        for row in rows {
            let key = try row.decode(column: column, as: String.self)
            if owners[key] == nil { owners[key] = try row.decode(column: "lead_id", as: UUID.self) }
        }
        return owners
    }

    /// `SELECT column, lead_id` for `keys`; `namingIndex` adds SQLite's `INDEXED BY index`.
    static func duplicateLookup(
        table: String, column: String, index: String, organizationID: UUID, keys: [String],
        namingIndex: Bool
    ) -> SQLQueryString {
        let indexed = namingIndex ? "INDEXED BY \(index)" : ""
        return """
            SELECT \(ident: column), lead_id FROM \(ident: table) \(unsafeRaw: indexed) \
            WHERE organization_id = \(bind: organizationID) \
            AND \(ident: column) IN (\(binds: keys))
            """
    }

    private func hasAssignmentRules() async throws -> Bool {
        let rules = try await AssignmentRuleRecord.query(in: organizationID, on: database)
            .filter(\.$isActive == true).count()
        if rules > 0 { return true }
        return try await Organization.find(organizationID, on: database)?.fallbackOwnerID != nil
    }

    private func audit(_ action: String, _ details: KeyValuePairs<String, String>) async throws {
        try await services.audit.record(
            AuditEntry(
                organizationID: organizationID, actor: actor.audit, action: action,
                entityType: "lead_import", entityID: record.id?.uuidString,
                changes: AuditDiff.details(details), origin: actor.origin),
            on: database)
    }
}

/// Why a whole file was refused (not CSV, no usable header); the import fails with it.
struct ImportFileProblem: Error, CustomStringConvertible {
    var description: String
}

/// An uploaded lead file being read: its dialect, its header row, then its data rows. Shared
/// by the import and the preview on the import page.
final class ImportFile: @unchecked Sendable {
    let reader: CSVFileReader
    let headers: [String]

    /// Detects the dialect and reads the header row. Throws ``ImportFileProblem`` when the
    /// input is not CSV or has no header row.
    init(nextChunk: @escaping () throws -> Data?) throws {
        do {
            reader = try CSVFileReader(nextChunk: nextChunk)
        } catch let error as CSVFormatError {
            throw ImportFileProblem(description: error.message)
        }
        guard let header = try reader.next()?.fields else {
            throw ImportFileProblem(description: "The first row must hold the column names.")
        }
        headers = header
    }
}
