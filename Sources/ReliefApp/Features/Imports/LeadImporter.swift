import Fluent
import Foundation
import ReliefCore
import SQLKit
import Vapor

/// Runs one lead import: detects the CSV dialect, maps the columns, parses and validates each
/// row, finds duplicates (same phone or e-mail in the organization, or earlier in the file),
/// applies the duplicate policy, assigns new leads by the organization's rules and writes them
/// in batches, each batch with its outcome counts in one transaction. Memory stays flat: the
/// file is read in chunks and only one batch is held.
///
/// Every data row ends in exactly one outcome (created, updated, skipped as a duplicate or
/// rejected with its reasons), so `total_rows` is their sum. A retried job resumes after the
/// last committed batch.
struct LeadImporter {
    let services: ReliefServices
    let database: any Database
    let record: LeadImport
    let actor: LeadActor
    var batchSize = 500
    /// Called after each committed batch (progress on pages, the command's output).
    var onProgress: @Sendable (LeadImport) async -> Void = { _ in }

    /// Why the whole file was refused (not CSV, no usable header); the import fails with it.
    struct FileProblem: Error, CustomStringConvertible {
        var description: String
    }

    private var organizationID: UUID { record.organizationID }
    private var service: LeadService {
        LeadService(services: services, database: database, actor: actor)
    }

    /// Imports from `nextChunk` (the decrypted upload, read in chunks) to the end, then marks
    /// the import completed. A file problem marks it failed and is rethrown.
    func run(today: CalendarDate, nextChunk: () throws -> Data?) async throws {
        record.state = .running
        record.startedAt = record.startedAt ?? services.now()
        try await record.save(on: database)
        do {
            try await importRows(today: today, nextChunk: nextChunk)
        } catch let problem as FileProblem {
            record.state = .failed
            record.error = problem.description
            record.finishedAt = services.now()
            record.updatedAt = services.now()
            try await record.save(on: database)
            try await audit("lead_import.failed", ["error": problem.description])
            await onProgress(record)
            throw problem
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

    private func importRows(today: CalendarDate, nextChunk: () throws -> Data?) async throws {
        var sample: [UInt8] = []
        var buffered: [Data] = []
        while sample.count < CSVDialect.sampleSize, let chunk = try nextChunk() {
            sample.append(contentsOf: chunk)
            buffered.append(chunk)
        }
        let dialect: CSVDialect
        do {
            dialect = try CSVDialect.detect(sample: sample)
        } catch {
            throw FileProblem(description: error.message)
        }
        var reader = CSVReader(dialect: dialect)
        var bytesRead: Int64 = 0
        for chunk in buffered {
            reader.append(chunk)
            bytesRead += Int64(chunk.count)
        }
        var exhausted = false
        func nextRow() throws -> CSVRow? {
            while true {
                if let row = reader.next() { return row }
                if exhausted { return nil }
                if let chunk = try nextChunk() {
                    reader.append(chunk)
                    bytesRead += Int64(chunk.count)
                } else {
                    reader.finish()
                    exhausted = true
                }
            }
        }
        guard let headerRow = try nextRow(), let headers = headerRow.fields else {
            throw FileProblem(description: "The first row must hold the column names.")
        }
        record.headers = String(decoding: try JSONEncoder().encode(headers), as: UTF8.self)
        let mapping = (record.importMapping ?? ImportMapping.automatic(headers: headers))
            .resolve(headers: headers)
        let mapped = Set(mapping.fields.compactMap { $0 })
        let identifying: Set<LeadImportField> = [
            .phone, .mobilePhone, .homePhone, .workPhone, .email, .email2,
        ]
        guard !mapped.isDisjoint(with: identifying),
            mapped.contains(.fullName)
                || (mapped.contains(.firstName) && mapped.contains(.lastName))
        else {
            throw FileProblem(
                description:
                    "No column could be used for the name and a phone or e-mail. Columns found: "
                    + headers.joined(separator: ", ") + ". Map them on the import page.")
        }
        let parser = LeadRowParser(mapping: mapping, today: today)
        let alreadyDone = record.processedRows
        var dataRows = 0
        var batch: [Pending] = []
        while let row = try nextRow() {
            dataRows += 1
            if dataRows <= alreadyDone { continue }
            batch.append(classify(row, parser: parser))
            if batch.count >= batchSize {
                try await commit(batch, bytesRead: bytesRead)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await commit(batch, bytesRead: bytesRead) }
    }

    /// One data row on its way to an outcome.
    private struct Pending {
        var number: Int
        var byteOffset: Int64
        var fields: [String]?
        var draft: LeadDraft?
        var problems: [String]
    }

    private func classify(_ row: CSVRow, parser: LeadRowParser) -> Pending {
        var pending = Pending(
            number: row.number, byteOffset: row.byteOffset, fields: row.fields, draft: nil,
            problems: [])
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
                if let zip = draft.zip, !services.geo.zips.exists(zip) {
                    pending.problems = ["zip: ZIP \(zip) does not exist."]
                } else {
                    if draft.source == nil, !record.sourceName.isEmpty {
                        draft.source = record.sourceName
                    }
                    pending.draft = draft
                }
            }
        }
        return pending
    }

    // MARK: - writing

    private func commit(_ batch: [Pending], bytesRead: Int64) async throws {
        let now = services.now()
        var rejected = batch.filter { $0.draft == nil }
        var candidates = batch.filter { $0.draft != nil }

        // Duplicates: against the organization's leads, and within this batch.
        let phones = Set(candidates.flatMap { $0.draft!.phones.map(\.number.e164) })
        let emails = Set(candidates.flatMap { $0.draft!.emails })
        var owner: [String: UUID] = [:]
        if !phones.isEmpty {
            for record in try await LeadPhoneRecord.query(in: organizationID, on: database)
                .filter(\.$e164 ~~ Array(phones)).all()
            {
                owner[record.e164] = record.leadID
            }
        }
        if !emails.isEmpty {
            for record in try await LeadEmailRecord.query(in: organizationID, on: database)
                .filter(\.$email ~~ Array(emails)).all()
            {
                owner[record.email] = record.leadID
            }
        }
        var newLeads: [(pending: Pending, lead: Lead, draft: LeadDraft)] = []
        var positionOfNew: [UUID: Int] = [:]
        var existingUpdates: [UUID: LeadDraft] = [:]
        var updatedRows = 0
        var skippedRows = 0
        let mode: DraftMergeMode? =
            switch record.duplicatePolicy {
            case .skip: nil
            case .update: .fillEmpty
            case .overwrite: .overwrite
            }
        for index in candidates.indices {
            let draft = candidates[index].draft!
            let keys = draft.phones.map(\.number.e164) + draft.emails
            if let match = keys.lazy.compactMap({ owner[$0] }).first {
                guard let mode else {
                    skippedRows += 1
                    continue
                }
                if let position = positionOfNew[match] {
                    newLeads[position].draft = newLeads[position].draft.merged(
                        with: draft, mode: mode)
                } else {
                    existingUpdates[match] = (existingUpdates[match] ?? draft).merged(
                        with: draft, mode: .overwrite)
                }
                updatedRows += 1
                for key in keys { owner[key] = match }
                continue
            }
            let lead = Lead(organizationID: organizationID, now: now)
            let id = UUID()
            lead.id = id
            positionOfNew[id] = newLeads.count
            newLeads.append((candidates[index], lead, draft))
            for key in keys { owner[key] = id }
        }
        candidates.removeAll()

        // Fill the new leads (a ZIP the directory lacks was caught in classify; anything else
        // LeadService refuses becomes a rejection), then assign them.
        var ready: [(lead: Lead, draft: LeadDraft)] = []
        var sources: [String: UUID] = [:]
        for entry in newLeads {
            do {
                try service.apply(entry.draft, to: entry.lead, isNew: true, now: now)
            } catch let failure as ValidationFailure {
                var pending = entry.pending
                pending.problems = failure.fields.sorted { $0.key < $1.key }.map {
                    "\($0.key): \($0.value)"
                }
                rejected.append(pending)
                continue
            }
            if let name = entry.draft.source, !name.isEmpty {
                let key = LeadSource.key(name)
                if sources[key] == nil { sources[key] = try await service.sourceID(named: name) }
                entry.lead.sourceID = sources[key]
            }
            ready.append((entry.lead, entry.draft))
        }
        if !ready.isEmpty, try await hasAssignmentRules() {
            let decisions = try await service.assigner.decide(
                ready.map { LeadAssigner.facts(of: $0.lead, source: $0.draft.source) })
            for (entry, decision) in zip(ready, decisions) {
                service.apply(decision, to: entry.lead)
            }
        }

        // Write the batch and its counts together.
        let sealedRejections = try rejected.map { pending in
            let row = LeadImportRejection()
            row.id = UUID()
            row.organizationID = organizationID
            row.importID = try record.requireID()
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
        let importID = try record.requireID()
        let importLabel = "Imported from \(record.fileName)"
        let (written, updated, skipped, rejectedCount) = (
            ready, updatedRows, skippedRows, rejected.count
        )
        try await database.transaction { database in
            try await database.insertInGroups(written.map(\.lead))
            var phones: [LeadPhoneRecord] = []
            var emails: [LeadEmailRecord] = []
            var tags: [LeadTag] = []
            var activities: [Activity] = []
            for (lead, draft) in written {
                let leadID = try lead.requireID()
                for (index, phone) in draft.phones.enumerated() {
                    phones.append(
                        LeadPhoneRecord(
                            organizationID: organizationID, leadID: leadID, e164: phone.number.e164,
                            type: phone.type, isPrimary: index == 0))
                }
                for (index, email) in draft.emails.enumerated() {
                    emails.append(
                        LeadEmailRecord(
                            organizationID: organizationID, leadID: leadID, email: email,
                            isPrimary: index == 0))
                }
                var seen = Set<String>()
                for tag in draft.tags.map(LeadTags.normalize)
                where !tag.isEmpty && seen.insert(tag).inserted {
                    tags.append(LeadTag(organizationID: organizationID, leadID: leadID, tag: tag))
                }
                var summary = importLabel
                if let rule = lead.assignmentRule { summary += "; assigned by \(rule)" }
                activities.append(
                    Activity(
                        organizationID: organizationID, leadID: leadID, kind: .imported,
                        occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
                        summary: summary, body: draft.notes ?? "",
                        data: AuditDiff.details(["import_id": importID.uuidString])))
            }
            try await database.insertInGroups(phones)
            try await database.insertInGroups(emails)
            try await database.insertInGroups(tags)
            try await database.insertInGroups(activities)
            try await database.insertInGroups(sealedRejections)
            record.processedRows += batch.count
            record.createdCount += written.count
            record.updatedCount += updated
            record.skippedDuplicates += skipped
            record.rejectedCount += rejectedCount
            record.bytesProcessed = min(bytesRead, record.byteSize)
            record.updatedAt = now
            try await record.save(on: database)
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
