import ConsoleKit
import Foundation
import SQLKit
import Vapor

/// `relief keys rotate`.
struct KeysCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["rotate": KeysRotateCommand()] }
    var help: String { "Encryption key tools." }
}

/// Re-seals every registered sealed column and re-encrypts every stored document under the
/// current `RELIEF_MASTER_KEY`, in batches; prints counts. Safe to interrupt and repeat, and to
/// run while the app serves (keep the old key in `RELIEF_PREVIOUS_MASTER_KEYS` until it reports
/// nothing left).
struct KeysRotateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "batch-size", help: "Rows read per query (default 500).")
        var batchSize: Int?
    }

    var help: String { "Re-encrypts sealed fields and documents under the current master key." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await KeysRotateCommand.rotate(
            context.application, batchSize: max(1, signature.batchSize ?? 500))
        for line in report.lines.dropLast() { context.console.print(line) }
        guard report.failures.isEmpty else {
            for failure in report.failures { context.console.error(failure) }
            context.console.warning(report.lines.last ?? "")
            throw CommandFailure(
                description: "keys rotate: \(report.failures.count) value(s) could not be "
                    + "re-encrypted; keep RELIEF_PREVIOUS_MASTER_KEYS until they are fixed")
        }
        context.console.info(report.lines.last ?? "")
    }

    struct Report {
        var lines: [String] = []
        var failures: [String] = []
        var remaining = 0
    }

    /// Runs the rotation on `app`'s database and document store; `columns` defaults to the
    /// registry (tests add their own tables).
    static func rotate(
        _ app: Application, columns: [SealedColumn] = SealedColumns.all, batchSize: Int = 500
    ) async throws -> Report {
        guard let sql = app.db as? any SQLDatabase else {
            throw CommandFailure(description: "keys rotate needs an SQL database")
        }
        let services = app.relief
        var report = Report()
        report.lines.append("current key id: \(services.keys.keyID)")
        let rotation = KeyRotation(
            database: sql, cipher: services.cipher, blindIndex: services.blindIndex,
            batchSize: batchSize)
        for column in columns {
            let counts = try await rotation.rotate(column)
            let remaining = try await rotation.countRemaining(column)
            report.remaining += remaining
            report.failures += counts.failed.map { "\(column.context) \($0)" }
            report.lines.append(
                "\(column.context): \(counts.resealed) re-encrypted, \(counts.alreadyCurrent) "
                    + "already current, \(counts.changedMeanwhile) changed meanwhile, "
                    + "\(counts.failed.count) failed, \(remaining) left on other keys")
        }
        if let store = services.documents as? any RekeyableDocumentStore {
            let counts = try await store.rekeyAll(batchSize: batchSize)
            report.remaining += counts.failed.count
            report.failures += counts.failed.map { "document \($0)" }
            report.lines.append(
                "documents: \(counts.rekeyed) re-encrypted, \(counts.alreadyCurrent) already "
                    + "current, \(counts.failed.count) failed")
        }
        report.lines.append(
            report.remaining == 0
                ? "done: everything is on key \(services.keys.keyID); "
                    + "RELIEF_PREVIOUS_MASTER_KEYS is no longer needed"
                : "not finished: \(report.remaining) value(s) remain on other keys; run again")
        return report
    }
}
