import Fluent
import ReliefCore
import Vapor

/// The rejected rows of an import as CSV: row number, byte offset and every reason, then the
/// row's own fields under the file's headers. Read 1,000 rows at a time and written as they
/// come, for the download on the import page and the API, and for the command's
/// `FILE.rejected.csv`.
struct RejectedRows: Sendable {
    static let pageSize = 1_000

    let record: LeadImport
    let cipher: FieldCipher
    let database: any Database

    /// Writes the header and every rejected row in row order to `write`, one chunk per page.
    func write(to write: (String) async throws -> Void) async throws {
        let headers =
            (try? JSONDecoder().decode([String].self, from: Data(record.headers.utf8))) ?? []
        try await write(CSVWriter.line(["row_number", "byte_offset", "reason"] + headers))
        let importID = try record.requireID()
        var after = 0
        while true {
            let rows = try await LeadImportRejection.query(in: record.organizationID, on: database)
                .filter(\.$importID == importID).filter(\.$rowNumber > after)
                .sort(\.$rowNumber).limit(Self.pageSize).all()
            guard let last = rows.last else { return }
            var chunk = ""
            for row in rows {
                var fields: [String] = []
                if let sealed = row.fields {
                    let json = try cipher.open(
                        sealed, context: "lead_import_rejections.fields",
                        record: row.id?.uuidString)
                    fields = (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
                }
                chunk += CSVWriter.line(
                    [String(row.rowNumber), String(row.byteOffset), row.reason] + fields)
            }
            try await write(chunk)
            after = last.rowNumber
        }
    }

    /// The download (`…/imports/{id}/rejected.csv`), streamed and audited.
    static func response(for record: LeadImport, on req: Request) async throws -> Response {
        try await req.audit(
            "lead_import.rejected_downloaded", entityType: "lead_import",
            entityID: record.id?.uuidString,
            changes: AuditDiff.details(["rows": String(record.rejectedCount)]))
        let rows = RejectedRows(record: record, cipher: req.relief.cipher, database: req.db)
        let logger = req.logger
        let response = Response(
            status: .ok,
            body: .init(asyncStream: { writer in
                do {
                    try await rows.write { try await writer.write(.buffer(ByteBuffer(string: $0))) }
                    try await writer.write(.end)
                } catch {
                    logger.error("rejected rows download failed: \(String(describing: error))")
                    try? await writer.write(.error(error))
                }
            }))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        let base = record.fileName.replacingOccurrences(of: ".csv", with: "")
            .filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"\(base.isEmpty ? "import" : base)-rejected.csv\"")
        return response
    }
}
