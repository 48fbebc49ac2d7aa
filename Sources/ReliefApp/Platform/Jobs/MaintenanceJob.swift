import Fluent
import Foundation
import ReliefCore

/// Daily housekeeping: deletes finished jobs after 7 days and expired or revoked sign-in
/// records after 30 days. Audit events are never deleted.
struct MaintenanceJob: JobHandler {
    struct Payload: Codable, Sendable {}
    static let kind = "maintenance.prune"

    func run(_ payload: Payload, context: JobContext) async throws {
        let db = context.db
        let jobCutoff = context.now.addingTimeInterval(-7 * 86_400)
        let cutoff = context.now.addingTimeInterval(-30 * 86_400)
        try await Job.query(on: db).filter(\.$state == .succeeded).filter(\.$finishedAt < jobCutoff)
            .delete()
        try await LoginAttempt.query(on: db).filter(\.$attemptedAt < cutoff).delete()
        try await UserSession.query(on: db).filter(\.$expiresAt < cutoff).delete()
        try await UserSession.query(on: db).filter(\.$revokedAt < cutoff).delete()
        try await RefreshToken.query(on: db).filter(\.$expiresAt < cutoff).delete()
        try await OneTimeToken.query(on: db).filter(\.$expiresAt < cutoff).delete()
        context.logger.info("maintenance finished")
    }
}
