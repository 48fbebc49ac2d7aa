import ConsoleKit
import Fluent
import Foundation
import Vapor

/// `relief scores rebuild`: heat score maintenance.
struct ScoresCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["rebuild": ScoresRebuildCommand()] }
    var help: String { "Heat score maintenance." }
}

/// `relief scores rebuild [--org SLUG]`: recomputes every lead's heat score from its stored
/// events with its organization's current settings. The scores kept up to date event by event
/// are the same numbers; run this after changing weights or the half-life.
struct ScoresRebuildCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "org", help: "Only this organization (its slug); default every one.")
        var org: String?
    }

    var help: String { "Recomputes heat scores from the stored engagement events." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var organizations = try await Organization.query(on: app.db).all()
        if let slug = signature.org {
            organizations = organizations.filter { $0.slug == slug }
            guard !organizations.isEmpty else {
                throw CommandFailure(description: "No organization with the slug '\(slug)'.")
            }
        }
        let started = Date()
        var total = 0
        for organization in organizations {
            let id = try organization.requireID()
            let written = try await app.db.transaction { database in
                try await HeatScores(database: database, now: app.relief.now())
                    .rebuild(organizationID: id)
            }
            context.console.print("\(organization.slug): \(written) leads rescored")
            total += written
        }
        context.console.print(
            "rebuilt \(total) heat scores in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        )
    }
}
