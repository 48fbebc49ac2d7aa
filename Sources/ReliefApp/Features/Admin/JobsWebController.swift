import Fluent
import Vapor

/// `/app/admin/jobs`: the organization's failed and dead background jobs, with retry and
/// discard.
struct JobsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let jobs = routes.grouped("admin", "jobs")
        jobs.get(use: list).access(.requires(.jobsManage))
        jobs.post(":id", "retry", use: retry).access(.requires(.jobsManage))
        jobs.post(":id", "discard", use: discard).access(.requires(.jobsManage))
    }

    func list(req: Request) async throws -> Response {
        let principal = try req.principal
        let orgID = principal.organizationID
        var counts: [StatCard] = []
        for (state, hint) in [
            (Job.State.queued, "waiting to run"), (.running, "running now"),
            (.failed, "will retry"), (.dead, "need attention"),
        ] {
            let count = try await Job.query(in: orgID, on: req.db).filter(\.$state == state).count()
            counts.append(
                StatCard(label: state.rawValue.capitalized, value: String(count), hint: hint))
        }
        let jobs = try await Job.query(in: orgID, on: req.db)
            .filter(\.$state ~~ [Job.State.failed, .dead])
            .sort(\.$updatedAt, .descending).limit(200).all()
        let zone = principal.organization.timeZone
        let rows = jobs.map {
            JobRow(
                id: $0.id?.uuidString ?? "", kind: $0.kind, state: $0.state.rawValue,
                attempts: "\($0.attempts) of \($0.maxAttempts)",
                runAt: $0.state == .dead ? "—" : DisplayDate.string($0.runAt, timeZone: zone),
                lastError: $0.lastError ?? "")
        }
        return try await req.render(
            "admin/jobs",
            JobsPage(
                page: req.pageContext(title: "Background jobs", section: "jobs"), counts: counts,
                jobs: rows))
    }

    private func failedJob(_ req: Request) async throws -> Job {
        let job = try await Job.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
        guard job.state == .failed || job.state == .dead else {
            throw Abort(.conflict, reason: "Only failed or dead jobs can be retried or discarded.")
        }
        return job
    }

    /// Runs the job again now with a fresh set of attempts.
    func retry(req: Request) async throws -> Response {
        let job = try await failedJob(req)
        var diff = AuditDiff()
        diff.field("state", from: job.state.rawValue, to: Job.State.queued.rawValue)
        job.state = .queued
        job.attempts = 0
        job.runAt = req.now
        job.updatedAt = req.now
        job.finishedAt = nil
        try await job.save(on: req.db)
        try await req.audit(
            "job.retried", entityType: "job", entityID: job.id?.uuidString, changes: diff.json)
        return req.redirectAfterPost(
            to: "/app/admin/jobs", flash: (.success, "The \(job.kind) job will run again now."))
    }

    func discard(req: Request) async throws -> Response {
        let job = try await failedJob(req)
        try await job.delete(on: req.db)
        try await req.audit(
            "job.discarded", entityType: "job", entityID: job.id?.uuidString,
            changes: AuditDiff.details(["kind": job.kind, "last_error": job.lastError ?? ""]))
        return req.redirectAfterPost(to: "/app/admin/jobs", flash: (.success, "Job discarded."))
    }
}
