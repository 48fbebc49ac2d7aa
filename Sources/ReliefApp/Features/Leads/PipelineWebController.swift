import Fluent
import ReliefCore
import Vapor

/// `/app/pipeline`: the leads as a board, one column per status under the list's filters, and
/// moving a lead to another column. Moves go through ``LeadService/changeStatus(_:to:reason:)``
/// like every status change; the board's script asks for JSON, the "Move to" forms (which work
/// without JavaScript) get a redirect back to the board, or a page asking for the reason.
struct PipelineWebController: RouteCollection {
    /// Cards shown per column; the column links to the list for the rest.
    static let cardsPerColumn = 50

    func boot(routes: any RoutesBuilder) throws {
        let pipeline = routes.grouped("pipeline")
        pipeline.get(use: board).access(.requires(.leadsRead))
        pipeline.post("leads", ":id", "move", use: move).access(.requires(.leadsWrite))
    }

    func board(req: Request) async throws -> View {
        let principal = try req.principal
        var query = try req.query.decode(LeadListQuery.self)
        query.status = nil
        query.cursor = nil
        let search = try await req.leadSearch()
        let totals = try await search.stageTotals(query)
        let directory = try await LeadDirectoryNames.load(principal.organizationID, on: req.db)
        let now = req.now
        var columns: [BoardColumn] = []
        for status in LeadStatus.allCases.sorted() {
            var columnQuery = query
            columnQuery.status = [status.rawValue]
            let total = totals[status]
            let leads =
                total == nil
                ? [] : try await search.page(columnQuery, limit: Self.cardsPerColumn).leads
            let cards = leads.map { lead in
                let targets = BoardCard.targets(from: lead.status)
                return BoardCard(
                    id: lead.id?.uuidString ?? "", name: lead.fullName,
                    phone: lead.primaryPhone.flatMap { try? PhoneNumber.parse($0).formatted }
                        ?? "",
                    owner: lead.ownerID.flatMap { directory.users[$0] } ?? "Unassigned",
                    debt: lead.statedUnsecuredDebtCents.map {
                        MoneyFormat.dollars($0, wholeDollars: true)
                    } ?? "",
                    inStage: BoardCard.inStage(since: lead.statusChangedAt, now: now),
                    targets: targets.map {
                        SelectOption(value: $0.rawValue, label: $0.label, selected: false)
                    },
                    targetKeys: targets.map(\.rawValue).joined(separator: " "))
            }
            columns.append(
                BoardColumn(
                    status: status.rawValue, label: status.label, count: total?.count ?? 0,
                    debt: StageChip.debtLabel(total?.debt ?? 0),
                    needsReason: PipelineRules.requirements(for: status).contains(.reason),
                    cards: cards, listURL: "/app/leads?" + columnQuery.queryString,
                    isTruncated: (total?.count ?? 0) > cards.count))
        }
        let count = totals.values.reduce(0) { $0 + $1.count }
        let enrolledDebt = totals.values.reduce(Int64(0)) { $0 + $1.debt }
        let boardFields: Set<String> = ["q", "owner", "team", "source", "state", "tag"]
        return try await req.view.render(
            "leads/pipeline",
            PipelinePage(
                page: req.pageContext(title: "Pipeline", section: "pipeline"),
                summary: "\(count) lead\(count == 1 ? "" : "s") · "
                    + "\(MoneyFormat.dollars(enrolledDebt, wholeDollars: true)) enrolled debt",
                filters: LeadFilters(query, directory: directory),
                columns: columns.filter { LeadStatus.mainPath.map(\.rawValue).contains($0.status) },
                closedColumns: columns.filter {
                    !LeadStatus.mainPath.map(\.rawValue).contains($0.status)
                },
                view: query.queryString, listURL: "/app/leads?" + query.queryString,
                carried: query.queryItems.filter { !boardFields.contains($0.name) }.map {
                    HiddenField(name: $0.name, value: $0.value ?? "")
                },
                canWrite: principal.can(.leadsWrite)))
    }

    /// The "Move to" form and the drag and drop script: `status`, `reason`, and `view` (the
    /// board's query string, to come back to and to count under).
    struct MoveForm: Content {
        var status: String
        var reason: String?
        var view: String?
    }

    func move(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let form = try req.content.decode(MoveForm.self)
        var view = (try? LeadListQuery.parse(form.view ?? "")) ?? LeadListQuery()
        view.status = nil
        view.cursor = nil
        let boardURL = "/app/pipeline" + (view.queryString.isEmpty ? "" : "?" + view.queryString)
        // Only the board's script asks for JSON (browsers' `*/*` must not count).
        let wantsJSON = req.headers.accept.mediaTypes.contains {
            $0.type == "application" && $0.subType == "json"
        }
        let status = LeadStatus(rawValue: form.status)
        do {
            guard let status else {
                throw ValidationFailure(fields: ["status": "Choose a status."])
            }
            try await req.leads.changeStatus(lead, to: status, reason: form.reason)
            let message = "Moved \(lead.fullName) to \(status.label)."
            guard wantsJSON else {
                return req.redirectAfterPost(to: boardURL, flash: (.success, message))
            }
            let totals = try await req.leadSearch().stageTotals(view)
            return try await PipelineMoveResult(
                id: try lead.requireID().uuidString, status: status.rawValue,
                statusLabel: status.label,
                targets: BoardCard.targets(from: status).map {
                    PipelineMoveResult.Target(value: $0.rawValue, label: $0.label)
                },
                columns: LeadStatus.allCases.sorted().map {
                    PipelineMoveResult.Column(
                        status: $0.rawValue, count: totals[$0]?.count ?? 0,
                        debt: StageChip.debtLabel(totals[$0]?.debt ?? 0))
                },
                message: message
            ).encodeResponse(for: req)
        } catch let failure as ValidationFailure {
            let message = failure.summary
            if wantsJSON {
                let body = APIErrorBody(
                    error: .init(
                        code: "validation_failed", message: message, fields: failure.fields))
                return try await body.encodeResponse(status: .unprocessableEntity, for: req)
            }
            if let status, Set(failure.fields.keys) == ["reason"] {
                return try await req.render(
                    "leads/pipeline-move",
                    PipelineMovePage(
                        page: req.pageContext(
                            title: "Move \(lead.fullName) to \(status.label)",
                            section: "pipeline"),
                        lead: LeadLink(id: try lead.requireID().uuidString, name: lead.fullName),
                        status: status.rawValue, statusLabel: status.label,
                        view: view.queryString, boardURL: boardURL,
                        error: failure.fields["reason"] ?? ""),
                    status: .unprocessableEntity)
            }
            return req.redirectAfterPost(to: boardURL, flash: (.error, message))
        }
    }
}
