import Fluent
import ReliefCore
import Vapor

/// `/app/imports`: upload a lead file, map its columns with a preview, follow the progress,
/// download the rejected rows.
struct ImportsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let imports = routes.grouped("imports")
        imports.get(use: index).access(.requires(.leadsImport))
        imports.on(.POST, body: .stream, use: upload).access(.requires(.leadsImport))
        imports.get(":id", use: show).access(.requires(.leadsImport))
        imports.post(":id", "start", use: start).access(.requires(.leadsImport))
        imports.get(":id", "progress", use: progress).access(.requires(.leadsImport))
        imports.get(":id", "rejected.csv", use: rejectedCSV).access(.requires(.leadsImport))
    }

    func index(req: Request) async throws -> View {
        let principal = try req.principal
        let recent = try await LeadImport.query(in: principal.organizationID, on: req.db)
            .sort(\.$createdAt, .descending).limit(20).all()
        let sources = try await LeadSource.query(in: principal.organizationID, on: req.db)
            .sort(\.$name).all().map(\.name)
        return try await req.view.render(
            "imports/index",
            ImportsPage(
                page: req.pageContext(title: "Import leads", section: "leads"),
                imports: recent.map { ImportRow($0, timeZone: principal.organization.timeZone) },
                sources: sources,
                policies: DuplicatePolicy.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == .skip)
                },
                maxMegabytes: req.relief.config.maxImportBytes / 1_048_576))
    }

    /// A multipart form (no JavaScript) or the raw file with `X-File-Name` (the page's script,
    /// which shows upload progress and expects JSON back).
    func upload(req: Request) async throws -> Response {
        let isScript = req.headers.first(name: "X-File-Name") != nil
        let name = req.headers.first(name: "X-File-Name")?.removingPercentEncoding ?? "upload.csv"
        let record: LeadImport
        let options: ImportService.Options
        do {
            (record, options) = try await ImportService(req: req).receive(fileName: name)
        } catch let failure as ValidationFailure where !isScript {
            return req.redirectAfterPost(
                to: "/app/imports",
                flash: (.error, failure.fields.values.sorted().joined(separator: " ")))
        }
        var target = "/app/imports/\(try record.requireID())"
        var query: [URLQueryItem] = []
        if let source = options.sourceName, !source.isEmpty {
            query.append(URLQueryItem(name: "source", value: source))
        }
        if let policy = options.duplicatePolicy {
            query.append(URLQueryItem(name: "duplicates", value: policy.rawValue))
        }
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query
            target += "?" + (components.percentEncodedQuery ?? "")
        }
        if isScript {
            return try await UploadResult(id: try record.requireID(), url: target)
                .encodeResponse(status: .created, for: req)
        }
        return req.redirectAfterPost(to: target)
    }

    struct UploadResult: Content {
        var id: UUID
        var url: String
    }

    private func find(_ req: Request) async throws -> LeadImport {
        try await LeadImport.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
    }

    /// The mapping form (while `uploaded`), else progress and result.
    func show(req: Request) async throws -> Response {
        let record = try await find(req)
        let principal = try req.principal
        let service = ImportService(req: req)
        guard record.state == .uploaded else {
            return try await req.render(
                "imports/show",
                ImportResultPage(
                    page: req.pageContext(title: "Import \(record.fileName)", section: "leads"),
                    record: ImportRow(record, timeZone: principal.organization.timeZone),
                    isDone: record.state == .completed || record.state == .failed))
        }
        let query = try req.query.decode(MappingQuery.self)
        let (headers, rows) = try service.preview(record)
        let source = query.source ?? ""
        var mapping = ImportMapping.automatic(headers: headers)
        if !source.isEmpty, let saved = try await service.savedMapping(source: source) {
            mapping = saved
        }
        if let chosen = query.mapping(headers: headers) { mapping = chosen }
        let resolved = mapping.resolve(headers: headers)
        let parser = LeadRowParser(
            mapping: resolved, today: CalendarDate(req.now, in: req.organizationTimeZone))
        let previews = rows.map { row -> PreviewRow in
            switch row.content {
            case .malformed(let reason):
                return PreviewRow(number: row.number, cells: [], problems: [reason])
            case .fields(let fields):
                switch parser.parse(fields) {
                case .lead(let draft):
                    return PreviewRow(number: row.number, cells: Self.cells(draft), problems: [])
                case .problems(let problems):
                    return PreviewRow(
                        number: row.number, cells: [],
                        problems: problems.map { "\($0.field): \($0.message)" })
                case .blank:
                    return PreviewRow(
                        number: row.number, cells: [], problems: ["The row is empty."])
                }
            }
        }
        let policy = query.duplicates.flatMap(DuplicatePolicy.init(rawValue:)) ?? .skip
        return try await req.render(
            "imports/map",
            ImportMappingPage(
                page: req.pageContext(
                    title: "Map the columns of \(record.fileName)", section: "leads"),
                id: try record.requireID().uuidString, fileName: record.fileName,
                size: String(format: "%.1f MB", Double(record.byteSize) / 1_048_576),
                columns: headers.enumerated().map { index, header in
                    MappingColumn(
                        index: index, header: header,
                        sample: rows.first?.fields.flatMap { index < $0.count ? $0[index] : nil }
                            ?? "",
                        options: [
                            SelectOption(
                                value: "", label: "Ignore", selected: resolved.fields[index] == nil)
                        ]
                            + LeadImportField.allCases.map {
                                SelectOption(
                                    value: $0.rawValue, label: $0.label,
                                    selected: resolved.fields[index] == $0)
                            })
                },
                conflicts: resolved.conflicts.map {
                    "\(headers[$0.column]): \($0.field.label) is already taken by another column."
                },
                previewHeaders: ["Name", "Phone", "Email", "City, state, ZIP", "Debt", "Source"],
                previews: previews, source: source,
                policies: DuplicatePolicy.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == policy)
                }))
    }

    private static func cells(_ draft: LeadDraft) -> [String] {
        [
            [draft.firstName, draft.middleName, draft.lastName].compactMap { $0 }.joined(
                separator: " "),
            draft.phones.map(\.number.formatted).joined(separator: ", "),
            draft.emails.joined(separator: ", "),
            [draft.city, draft.state, draft.zip].compactMap { $0 }.joined(separator: ", "),
            draft.totalUnsecuredDebtCents.map { MoneyFormat.dollars($0) } ?? "",
            draft.source ?? "",
        ]
    }

    /// The mapping form's fields: `column_<n>` per column, `source`, `duplicates`.
    struct MappingQuery: Content {
        var source: String?
        var duplicates: String?
        var values: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            for key in container.allKeys {
                values[key.stringValue] = try? container.decode(String.self, forKey: key)
            }
            source = values["source"]
            duplicates = values["duplicates"]
        }

        /// The mapping chosen on the form (column header -> field), or nil when the form did
        /// not send the columns.
        func mapping(headers: [String]) -> ImportMapping? {
            guard values["column_0"] != nil else { return nil }
            return ImportMapping(
                columns: Dictionary(
                    headers.enumerated().compactMap { index, header in
                        values["column_\(index)"].flatMap(LeadImportField.init(rawValue:))
                            .map { (header, $0) }
                    }, uniquingKeysWith: { first, _ in first }))
        }

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    func start(req: Request) async throws -> Response {
        let record = try await find(req)
        let form = try req.content.decode(MappingQuery.self)
        let service = ImportService(req: req)
        let (headers, _) = try service.preview(record, rows: 0)
        try await service.start(
            record, mapping: form.mapping(headers: headers),
            policy: form.duplicates.flatMap(DuplicatePolicy.init(rawValue:)) ?? .skip,
            sourceName: form.source)
        return req.redirectAfterPost(
            to: "/app/imports/\(try record.requireID())",
            flash: (.success, "Import of \(record.fileName) started."))
    }

    func progress(req: Request) async throws -> ImportStatusDTO {
        ImportService.status(try await find(req))
    }

    func rejectedCSV(req: Request) async throws -> Response {
        try await RejectedRows.response(for: find(req), on: req)
    }
}

/// `/api/v1/imports`.
struct ImportsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let imports = routes.grouped("imports")
        imports.on(.POST, body: .stream, use: create).access(.requires(.leadsImport))
        imports.get(":id", use: read).access(.requires(.leadsImport))
        imports.get(":id", "rejected.csv", use: rejected).access(.requires(.leadsImport))
    }

    /// The file as a `text/csv` body (options in the query: `file_name`, `source`,
    /// `duplicates`, `mapping` as JSON) or as the `file` part of a multipart form (options as
    /// parts). The import starts at once with the given or the automatic mapping.
    func create(req: Request) async throws -> Response {
        let fileName = (try? req.query.get(String.self, at: "file_name")) ?? "upload.csv"
        let service = ImportService(req: req)
        let (record, options) = try await service.receive(fileName: fileName)
        let policyName =
            options.duplicatePolicy?.rawValue ?? (try? req.query.get(String.self, at: "duplicates"))
        let policy: DuplicatePolicy
        if let policyName {
            guard let parsed = DuplicatePolicy(rawValue: policyName) else {
                throw ValidationFailure(fields: ["duplicates": "Use skip, update or overwrite."])
            }
            policy = parsed
        } else {
            policy = .skip
        }
        let source = options.sourceName ?? (try? req.query.get(String.self, at: "source"))
        var mapping =
            try options.mapping
            ?? (try? req.query.get(String.self, at: "mapping")).flatMap {
                try ImportService.mapping(from: $0)
            }
        if mapping == nil, let source, !source.isEmpty {
            mapping = try await service.savedMapping(source: source)
        }
        try await service.start(record, mapping: mapping, policy: policy, sourceName: source)
        return try await ImportCreated(id: try record.requireID())
            .encodeResponse(status: .accepted, for: req)
    }

    struct ImportCreated: Content {
        var id: UUID
    }

    func read(req: Request) async throws -> ImportStatusDTO {
        ImportService.status(
            try await LeadImport.findOr404(
                req.parameters.get("id", as: UUID.self), in: req.principal.organizationID,
                on: req.db))
    }

    func rejected(req: Request) async throws -> Response {
        try await RejectedRows.response(
            for: LeadImport.findOr404(
                req.parameters.get("id", as: UUID.self), in: req.principal.organizationID,
                on: req.db),
            on: req)
    }
}

/// The rejected rows of an import as CSV: row number, byte offset, reason, then the row's
/// fields under the file's own headers. Downloading it is audited (rows may hold personal data).
extension Request {
    /// The organization's time zone (for dates typed or shown on pages).
    var organizationTimeZone: TimeZone {
        (try? principal.organization.timeZone).flatMap(TimeZone.init(identifier:)) ?? .gmt
    }
}

struct ImportsPage: Encodable, Sendable {
    var page: PageContext
    var imports: [ImportRow]
    var sources: [String]
    var policies: [SelectOption]
    var maxMegabytes: Int
}

/// An import in lists and on its result page.
struct ImportRow: Encodable, Sendable {
    var id: String
    var fileName: String
    var state: String
    var created: String
    var percent: Int
    var processedRows: Int
    var totalRows: Int
    var createdCount: Int
    var updatedCount: Int
    var skippedDuplicates: Int
    var rejectedCount: Int
    var error: String
    var policy: String

    init(_ record: LeadImport, timeZone: String) {
        let status = ImportService.status(record)
        id = record.id?.uuidString ?? ""
        fileName = record.fileName
        state = record.state.rawValue
        created = DisplayDate.string(record.createdAt, timeZone: timeZone)
        percent = status.percent
        processedRows = record.processedRows
        totalRows = record.totalRows
        createdCount = record.createdCount
        updatedCount = record.updatedCount
        skippedDuplicates = record.skippedDuplicates
        rejectedCount = record.rejectedCount
        error = record.error ?? ""
        policy = record.duplicatePolicy.label
    }
}

struct ImportResultPage: Encodable, Sendable {
    var page: PageContext
    var record: ImportRow
    var isDone: Bool
}

struct ImportMappingPage: Encodable, Sendable {
    var page: PageContext
    var id: String
    var fileName: String
    var size: String
    var columns: [MappingColumn]
    var conflicts: [String]
    var previewHeaders: [String]
    var previews: [PreviewRow]
    var source: String
    var policies: [SelectOption]
}

struct MappingColumn: Encodable, Sendable {
    var index: Int
    var header: String
    var sample: String
    var options: [SelectOption]
}

struct PreviewRow: Encodable, Sendable {
    var number: Int
    var cells: [String]
    var problems: [String]
}
