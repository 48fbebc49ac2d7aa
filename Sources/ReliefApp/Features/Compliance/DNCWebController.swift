import Fluent
import Foundation
import ReliefCore
import Vapor

/// `/app/compliance/dnc` (registry uploads: form, progress, result, history) and
/// `/app/compliance/internal-dnc` (the internal do-not-call list: add, remove, history).
struct DNCWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let compliance = routes.grouped("compliance")
        compliance.get("dnc", use: registries).access(.requires(.complianceRead))
        compliance.on(.POST, "dnc", body: .stream, use: upload)
            .access(.requires(.complianceManage))
        compliance.get("internal-dnc", use: internalList).access(.requires(.complianceRead))
        compliance.post("internal-dnc", use: addInternal).access(.requires(.internalDNCAdd))
        compliance.post("internal-dnc", ":id", "remove", use: removeInternal)
            .access(.requires(.complianceManage))
    }

    // MARK: - registries

    func registries(req: Request) async throws -> Response {
        let resultID = try? req.query.get(UUID.self, at: "upload")
        return try await renderRegistries(req, resultID: resultID, values: [:], errors: [:])
    }

    private func renderRegistries(
        _ req: Request, resultID: UUID?, values: [String: String], errors: FieldMessages,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let zone = principal.organization.timeZone
        let dashboard = try ComplianceDashboard(req: req)
        let history = try await DNCRegistryUpload.query(in: organizationID, on: req.db)
            .sort(\.$uploadedAt, .descending).limit(50).all()
        var result: DNCRegistryUpload?
        if let resultID {
            result = try await DNCRegistryUpload.find(resultID, in: organizationID, on: req.db)
        }
        let chosen = values["list"] ?? DNCRegistryCache.national
        let lists =
            [
                SelectOption(
                    value: DNCRegistryCache.national, label: "National registry",
                    selected: chosen == DNCRegistryCache.national)
            ]
            + USState.codes.sorted().map { code in
                SelectOption(
                    value: code, label: RegistryFreshness.label(of: code), selected: chosen == code)
            }
        return try await req.render(
            "compliance/dnc",
            DNCRegistryPage(
                page: req.pageContext(title: "DNC registries", section: "compliance-dnc"),
                registries: RegistryFreshness.all(
                    try await dashboard.latestUploads(), now: req.now, timeZone: zone),
                lists: lists,
                downloadedAt: values["downloaded_at"]
                    ?? CalendarDate(req.now, in: .gmt).description,
                errors: errors, errorSummary: ValidationFailure(fields: errors).summary,
                result: result.map { UploadRow($0, timeZone: zone) },
                history: history.map { UploadRow($0, timeZone: zone) },
                canUpload: principal.can(.complianceManage),
                maxFormMegabytes: req.relief.config.maxImportBytes / 1_048_576),
            status: status)
    }

    /// The form's fields when sent without JavaScript (multipart).
    struct UploadForm: Content {
        var list: String?
        var downloadedAt: String?
        var file: File?

        enum CodingKeys: String, CodingKey {
            case list, file
            case downloadedAt = "downloaded_at"
        }
    }

    /// The page's script sends the file as the raw body (streamed to disk, any size up to the
    /// registry limit) with the list and day in the query and `X-File-Name`, and gets JSON
    /// back; without JavaScript the form posts multipart (collected within the import limit)
    /// and the page is shown again with the result or the errors.
    func upload(req: Request) async throws -> Response {
        let isScript = req.headers.first(name: "X-File-Name") != nil
        let uploads = try DNCRegistryUploads(req: req)
        if isScript {
            do {
                let (list, day) = try DNCRegistryUploads.validate(
                    list: (try? req.query.get(String.self, at: "list")) ?? "",
                    downloadedOn: (try? req.query.get(String.self, at: "downloaded_at")) ?? "",
                    now: req.now)
                let name =
                    req.headers.first(name: "X-File-Name")?.removingPercentEncoding ?? "registry"
                let upload = try await uploads.receive(
                    list: list, downloadedOn: day, fileName: name)
                // Shown on the result page the script opens next.
                req.flash(.success, Self.summary(upload))
                return try await ScriptUploadResult(
                    upload: DNCRegistryUploadDTO(upload),
                    url: "/app/compliance/dnc?upload=\(try upload.requireID())"
                ).encodeResponse(status: .created, for: req)
            } catch {
                return try await Self.jsonProblem(error, for: req)
            }
        }
        let body = try await req.body.collect(max: req.relief.config.maxImportBytes + 1_048_576)
            .get()
        var values: [String: String] = [:]
        do {
            guard req.headers.contentType?.type == "multipart", let body else {
                throw ValidationFailure(fields: ["file": "Choose the registry file to upload."])
            }
            let form = try FormDataDecoder().decode(
                UploadForm.self, from: body,
                boundary: req.headers.contentType?.parameters["boundary"] ?? "")
            values = ["list": form.list ?? "", "downloaded_at": form.downloadedAt ?? ""]
            var fields: FieldMessages = [:]
            var validated: (list: String, downloadedOn: CalendarDate)?
            do {
                validated = try DNCRegistryUploads.validate(
                    list: form.list ?? "", downloadedOn: form.downloadedAt ?? "", now: req.now)
            } catch let failure as ValidationFailure {
                fields = failure.fields
            }
            guard let file = form.file, file.data.readableBytes > 0 else {
                fields["file"] = "Choose the registry file to upload."
                throw ValidationFailure(fields: fields)
            }
            guard let validated, fields.isEmpty else { throw ValidationFailure(fields: fields) }
            let upload = try await uploads.receive(
                file: file.data, list: validated.list, downloadedOn: validated.downloadedOn,
                fileName: file.filename.isEmpty ? "registry" : file.filename)
            return req.redirectAfterPost(
                to: "/app/compliance/dnc?upload=\(try upload.requireID())",
                flash: (.success, Self.summary(upload)))
        } catch let failure as ValidationFailure {
            return try await renderRegistries(
                req, resultID: nil, values: values, errors: failure.fields,
                status: .unprocessableEntity)
        }
    }

    struct ScriptUploadResult: Content {
        var upload: DNCRegistryUploadDTO
        var url: String
    }

    /// "Loaded 3 numbers into the National registry (1 line rejected)."
    static func summary(_ upload: DNCRegistryUpload) -> String {
        var text =
            "Loaded \(upload.numbersLoaded) number\(upload.numbersLoaded == 1 ? "" : "s") into the "
            + RegistryFreshness.label(of: upload.list)
        if upload.numbersRemoved > 0 { text += ", removed \(upload.numbersRemoved)" }
        if upload.rejectedCount > 0 {
            text +=
                " (\(upload.rejectedCount) line\(upload.rejectedCount == 1 ? "" : "s") rejected)"
        }
        return text + "."
    }

    /// The API's problem body for the page's script (the web error page is HTML).
    static func jsonProblem(_ error: any Error, for req: Request) async throws -> Response {
        let problem = Problem(error)
        if problem.status.code >= 500 {
            req.logger.error("registry upload failed: \(String(reflecting: error))")
        }
        return try await APIErrorBody(
            error: .init(code: problem.code, message: problem.message, fields: problem.fields)
        ).encodeResponse(status: problem.status, for: req)
    }

    // MARK: - internal list

    struct ListQuery: Content {
        var q: String?
    }

    func internalList(req: Request) async throws -> Response {
        try await renderInternal(req, errors: [:], values: [:])
    }

    private func renderInternal(
        _ req: Request, errors: FieldMessages, values: [String: String],
        removeError: (UUID, String)? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try req.principal
        let organizationID = principal.organizationID
        let search = ((try? req.query.decode(ListQuery.self))?.q ?? "")
            .trimmingCharacters(in: .whitespaces)
        let limit = 200
        var active = InternalDNCEntry.query(in: organizationID, on: req.db)
            .filter(\.$removedAt == nil)
        let digits = search.filter(\.isNumber)
        if !digits.isEmpty { active = active.filter(\.$e164 ~~ String(digits.suffix(10))) }
        let activeCount = try await active.count()
        let entries = try await active.sort(\.$addedAt, .descending).limit(limit).all()
        let removed = try await InternalDNCEntry.query(in: organizationID, on: req.db)
            .filter(\.$removedAt != nil).sort(\.$removedAt, .descending).limit(50).all()
        let presenter = try await CompliancePresenter.load(
            organizationID: organizationID, timeZone: principal.organization.timeZone,
            leadIDs: (entries + removed).compactMap(\.leadID), on: req.db)
        return try await req.render(
            "compliance/internal-dnc",
            InternalDNCPage(
                page: req.pageContext(
                    title: "Internal do-not-call list", section: "compliance-internal-dnc"),
                q: search, entries: entries.map(presenter.internalEntry),
                activeCount: activeCount, truncated: activeCount > entries.count,
                removed: removed.map(presenter.internalEntry), errors: errors,
                phone: values["phone"] ?? "", reason: values["reason"] ?? "",
                removeErrorID: removeError?.0.uuidString ?? "", removeError: removeError?.1 ?? "",
                canAdd: principal.can(.internalDNCAdd), canRemove: principal.can(.complianceManage)),
            status: status)
    }

    struct AddForm: Content {
        var phone: String?
        var reason: String?
    }

    func addInternal(req: Request) async throws -> Response {
        let form = try req.content.decode(AddForm.self)
        let back =
            try req.principal.can(.complianceRead) ? "/app/compliance/internal-dnc" : "/app"
        do {
            let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else {
                throw ValidationFailure(fields: [
                    "reason": "Say why: the consumer's words, or who asked."
                ])
            }
            let (entry, created) = try await InternalDNCList(req: req).add(
                phone: form.phone ?? "", reason: reason, leadID: nil)
            let phone = InternalDNCList.display(entry.e164)
            return req.redirectAfterPost(
                to: back,
                flash: created
                    ? (.success, "Added \(phone) to the internal do-not-call list.")
                    : (.info, "\(phone) is already on the internal do-not-call list."))
        } catch let failure as ValidationFailure {
            return try await renderInternal(
                req, errors: failure.fields,
                values: ["phone": form.phone ?? "", "reason": form.reason ?? ""],
                status: .unprocessableEntity)
        }
    }

    struct RemoveForm: Content {
        var reason: String?
    }

    func removeInternal(req: Request) async throws -> Response {
        let organizationID = try req.principal.organizationID
        let id = try req.parameters.require("id", as: UUID.self)
        guard
            let entry = try await InternalDNCEntry.find(id, in: organizationID, on: req.db),
            entry.removedAt == nil
        else { throw Abort(.notFound, reason: "No such number on the internal list.") }
        let form = try req.content.decode(RemoveForm.self)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            return try await renderInternal(
                req, errors: [:], values: [:],
                removeError: (id, "Say why the number may be called again."),
                status: .unprocessableEntity)
        }
        _ = try await InternalDNCList(req: req).remove(phone: entry.e164, reason: reason)
        return req.redirectAfterPost(
            to: "/app/compliance/internal-dnc",
            flash: (
                .success,
                "Removed \(InternalDNCList.display(entry.e164)) from the internal do-not-call list."
            ))
    }
}
