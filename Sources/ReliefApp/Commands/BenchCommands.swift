import ConsoleKit
import Foundation
import ReliefCore
import Vapor

/// `relief bench ...`: data generators for the benchmarks in `bench/` (development only).
struct BenchCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["messy-leads": MessyLeadsCommand()] }
    var help: String { "Benchmark data generators (development)." }
}

/// `relief bench messy-leads --rows N --seed S --out FILE`: writes the importer benchmark's messy
/// 12-column lead CSV (``MessyLeadCSV``: a header, then `N` rows), streaming it in 1 MiB writes,
/// and prints one JSON line with the number of rows of each kind, so a benchmark can check that
/// every row of the file ends up as one outcome of the import. With `--kinds FILE` it also writes
/// `row,kind,original,offset,length` for every row that is not `ok` (`row` counts data rows from
/// 0; `original` is the row a duplicate repeats; `offset` and `length` are the row's bytes in the
/// file, so a reader's outcome can be matched by byte offset even where it splits rows). `--without KIND,...` leaves the rows of those kinds out (for a
/// reference loader such as PostgreSQL's COPY, which stops at a wrong field count, a quote inside
/// an unquoted field or bytes that are not UTF-8); the counts then describe the rows written. The
/// reference data comes from the working directory's `Resources/Data/`.
struct MessyLeadsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "rows", help: "Rows after the header (default 10000).")
        var rows: Int?
        @Option(name: "seed", help: "The generator's seed (default 42).")
        var seed: Int?
        @Option(name: "out", help: "The CSV file to write.")
        var out: String?
        @Option(name: "kinds", help: "A CSV file of the rows that are not ok, with their kind.")
        var kinds: String?
        @Option(name: "without", help: "Kinds of rows to leave out, comma-separated.")
        var without: String?
    }

    var help: String { "Writes a messy lead CSV for the import benchmark (development)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let rows = signature.rows ?? 10_000
        let seed = signature.seed ?? 42
        guard rows >= 0, seed >= 0 else {
            throw CommandFailure(description: "--rows and --seed must not be negative.")
        }
        guard let path = signature.out, !path.isEmpty else {
            throw CommandFailure(description: "Give --out FILE.")
        }
        var skipped = Set<MessyLeadCSV.RowKind>()
        for name in (signature.without ?? "").split(separator: ",") {
            guard let kind = MessyLeadCSV.RowKind(rawValue: String(name)) else {
                let known = MessyLeadCSV.RowKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw CommandFailure(description: "Unknown kind \(name) (kinds: \(known)).")
            }
            skipped.insert(kind)
        }
        let directory = FileManager.default.currentDirectoryPath + "/Resources/Data/"
        let geo = try GeoData.load(from: directory)
        let csv = MessyLeadCSV(seed: UInt64(seed), zips: geo.zips, areaCodes: geo.areaCodes)
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CommandFailure(description: "Cannot write \(path).") }
        defer { try? handle.close() }
        var kindsHandle: FileHandle?
        if let kindsPath = signature.kinds {
            guard FileManager.default.createFile(atPath: kindsPath, contents: nil),
                let opened = FileHandle(forWritingAtPath: kindsPath)
            else { throw CommandFailure(description: "Cannot write \(kindsPath).") }
            kindsHandle = opened
        }
        defer { try? kindsHandle?.close() }
        var kindLines = "row,kind,original,offset,length\n"

        let started = Date()
        var buffer: [UInt8] = []
        buffer.reserveCapacity((1 << 20) + 4_096)
        buffer.append(contentsOf: csv.header().utf8)
        buffer.append(UInt8(ascii: "\n"))
        var bytes = 0
        var counts = Dictionary(uniqueKeysWithValues: MessyLeadCSV.RowKind.allCases.map { ($0, 0) })
        var written = 0
        for index in 0..<rows {
            let kind = csv.kind(ofRow: index)
            if skipped.contains(kind) { continue }
            let start = buffer.count
            csv.appendRow(index, to: &buffer)
            written += 1
            counts[kind, default: 0] += 1
            if kindsHandle != nil, kind != .ok {
                let original = csv.duplicatedRow(of: index).map { String($0) } ?? ""
                kindLines +=
                    "\(index),\(kind.rawValue),\(original),\(bytes + start),\(buffer.count - start)\n"
            }
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                bytes += buffer.count
                buffer.removeAll(keepingCapacity: true)
                try kindsHandle?.write(contentsOf: Data(kindLines.utf8))
                kindLines = ""
            }
        }
        try handle.write(contentsOf: buffer)
        bytes += buffer.count
        try kindsHandle?.write(contentsOf: Data(kindLines.utf8))

        var kinds: [String: Int] = [:]
        for (kind, count) in counts { kinds[kind.rawValue] = count }
        let result: [String: Any] = [
            "rows": written, "generated_rows": rows, "seed": seed, "bytes": bytes, "kinds": kinds,
            "bad_rows": written - (counts[.ok] ?? 0) - (counts[.duplicate] ?? 0),
            "seconds": (Date().timeIntervalSince(started) * 1_000).rounded() / 1_000,
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        context.console.print(String(decoding: data, as: UTF8.self))
    }
}
