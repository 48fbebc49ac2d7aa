import ConsoleKit
import Foundation
import ReliefCore
import Vapor

/// `relief dnc check`: Do-Not-Call registry tools (no database).
struct DNCCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["check": DNCCheckCommand()] }
    var help: String { "Do-Not-Call registry tools." }
}

/// `relief dnc check FILE [FILE...] [--lookups N] [--seed S] [--show-rejected N] [--json]`:
/// parses registry files (plain or zipped, full or change lists), builds an in-memory registry
/// from them and prints what loaded, what was rejected (with line numbers), how long it took, the
/// registry's memory and how fast it answers lookups. Full lists are loaded first (all of them
/// together, one table per area code), then the change lists are applied in the order given.
/// The lookups are random: about half are numbers of the files, the rest random numbers of the
/// same area codes; the report gives how many hit.
struct DNCCheckCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A registry file (plain text or zip); more files may follow.")
        var file: String
        @Option(name: "lookups", help: "Random lookups to time (default 1000000; 0 for none).")
        var lookups: Int?
        @Option(name: "seed", help: "Seed of the random lookups (default 42).")
        var seed: Int?
        @Option(name: "show-rejected", help: "Rejected lines to print (default 10).")
        var showRejected: Int?
        @Flag(name: "json", help: "Print the report as one JSON object instead of a table.")
        var json: Bool
    }

    var help: String {
        "Loads DNC registry files into memory and reports counts, rejected lines, time and memory."
    }

    /// Takes every argument left after the options as another file.
    func run(using context: inout CommandContext) async throws {
        let signature = try Signature(from: &context.input)
        let more = context.input.arguments
        if let option = more.first(where: { $0.hasPrefix("-") }) {
            throw CommandError.unknownInput(option)
        }
        context.input.arguments = []
        try check(files: [signature.file] + more, signature: signature, console: context.console)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try check(files: [signature.file], signature: signature, console: context.console)
    }

    private func check(files: [String], signature: Signature, console: any Console) throws {
        let lookups = signature.lookups ?? 1_000_000
        let seed = signature.seed ?? 42
        guard lookups >= 0, seed >= 0 else {
            throw CommandFailure(description: "--lookups and --seed must not be negative.")
        }
        var report = DNCCheckReport()
        var load = DNCLoad()
        for path in files {
            let started = ContinuousClock.now
            let result: DNCParseResult
            do {
                result = try DNCRegistryFile.parse(fileAt: URL(fileURLWithPath: path))
            } catch let error as ZipArchiveError {
                throw CommandFailure(description: error.description)
            }
            report.files.append(
                .init(
                    path: path, kind: result.isChangeList ? "change list" : "full list",
                    linesRead: result.linesRead, additions: result.additionCount,
                    removals: result.removalCount, rejected: result.rejectedCount,
                    seconds: seconds(since: started)))
            report.add(rejected: result.rejected, from: path)
            load.add(result)
        }
        report.parseSeconds = report.files.reduce(0) { $0 + $1.seconds }

        let building = ContinuousClock.now
        var random = SeededRandom(seed: UInt64(seed))
        let hits = load.sample(lookups / 2, using: &random)
        let registry = load.build()
        report.buildSeconds = seconds(since: building)
        report.numbersLoaded = registry.count
        report.areaCodes = registry.areaCodes.count
        report.registryMemoryBytes = registry.memoryBytes
        report.measureLookups(
            in: registry, hits: hits, total: lookups, using: &random)
        report.peakResidentBytes = ProcessMemory.peakResidentBytes()
        report.total()

        if signature.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            console.print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for line in report.lines(showingRejected: max(0, signature.showRejected ?? 10)) {
                console.print(line)
            }
        }
    }
}

/// The numbers of the files of one check, gathered before the registry is built: full lists by
/// area code, change lists in order.
private struct DNCLoad {
    var fullLists: [Int: [UInt32]] = [:]
    var changeLists: [DNCParseResult] = []

    mutating func add(_ result: DNCParseResult) {
        if result.isChangeList {
            changeLists.append(result)
        } else {
            fullLists.merge(result.additions) { $0 + $1 }
        }
    }

    /// About `count` numbers of the files (additions), drawn uniformly, as (area code, subscriber).
    func sample(_ count: Int, using random: inout SeededRandom) -> [(Int, UInt32)] {
        let lists =
            fullLists.sorted { $0.key < $1.key }
            + changeLists.flatMap { $0.additions.sorted { $0.key < $1.key } }
        let total = lists.reduce(0) { $0 + $1.value.count }
        guard total > 0, count > 0 else { return [] }
        var sample: [(Int, UInt32)] = []
        sample.reserveCapacity(count + lists.count)
        for (areaCode, subscribers) in lists where !subscribers.isEmpty {
            let share = Int((Double(count) * Double(subscribers.count) / Double(total)).rounded())
            for _ in 0..<share {
                sample.append((areaCode, subscribers[random.index(below: subscribers.count)]))
            }
        }
        return sample
    }

    /// The registry: a table per area code of the full lists, then each change list applied.
    consuming func build() -> DNCRegistry {
        let registry = DNCRegistry()
        for areaCode in fullLists.keys.sorted() {
            registry.replace(
                areaCode: areaCode, with: DNCAreaCodeTable(subscribers: fullLists[areaCode] ?? []))
            fullLists[areaCode] = nil
        }
        for change in changeLists {
            for areaCode in Set(change.additions.keys).union(change.removals.keys).sorted() {
                let table = registry.table(areaCode: areaCode) ?? DNCAreaCodeTable(subscribers: [])
                registry.replace(
                    areaCode: areaCode,
                    with: table.applying(
                        additions: change.additions[areaCode] ?? [],
                        removals: change.removals[areaCode] ?? []))
            }
        }
        return registry
    }
}

/// What `relief dnc check` found and measured.
private struct DNCCheckReport: Encodable {
    struct File: Encodable {
        var path: String
        var kind: String
        var linesRead: Int
        var additions: Int
        var removals: Int
        var rejected: Int
        var seconds: Double
    }

    struct Rejected: Encodable {
        var file: String
        var line: Int
        var reason: String
        var text: String
    }

    static let keptRejected = 100

    var files: [File] = []
    var firstRejected: [Rejected] = []
    var numbersLoaded = 0
    var areaCodes = 0
    var parseSeconds = 0.0
    var buildSeconds = 0.0
    var registryMemoryBytes = 0
    var lookups = 0
    var lookupHits = 0
    var lookupsPerSecond = 0.0
    var textLookupsPerSecond = 0.0
    var peakResidentBytes: Int?

    var linesRead = 0
    var rejectedLines = 0
    var loadSeconds = 0.0
    var bytesPerMillionNumbers: Double?
    /// The memory of a registry of the national registry's size, about 250 million numbers, with
    /// the numbers spread as in these files.
    var projectedBytesFor250Million: Double?

    /// Fills in the totals of the files and of the registry.
    mutating func total() {
        linesRead = files.reduce(0) { $0 + $1.linesRead }
        rejectedLines = files.reduce(0) { $0 + $1.rejected }
        loadSeconds = parseSeconds + buildSeconds
        if numbersLoaded > 0 {
            let perMillion = Double(registryMemoryBytes) * 1e6 / Double(numbersLoaded)
            bytesPerMillionNumbers = perMillion
            projectedBytesFor250Million = perMillion * 250
        }
    }

    mutating func add(rejected lines: [DNCRejectedLine], from path: String) {
        for line in lines.prefix(Self.keptRejected - firstRejected.count) {
            firstRejected.append(
                Rejected(
                    file: line.file.map { "\(path): \($0)" } ?? path, line: line.lineNumber,
                    reason: line.reason.description, text: line.text))
        }
    }

    /// Times `total` lookups in random order: the `hits` (numbers of the files) and random
    /// numbers of the registry's area codes for the rest; then the same lookups as 10-digit text.
    mutating func measureLookups(
        in registry: DNCRegistry, hits: [(Int, UInt32)], total: Int,
        using random: inout SeededRandom
    ) {
        let areaCodes = registry.areaCodes
        guard total > 0, !areaCodes.isEmpty else { return }
        var keys = hits.prefix(total)
        while keys.count < total {
            keys.append(
                (random.pick(areaCodes), UInt32(random.int(in: 2_000_000...9_999_999))))
        }
        let ordered = random.shuffled(Array(keys))
        let texts = ordered.map { String($0.0 * 10_000_000 + Int($0.1)) }

        var found = 0
        let started = ContinuousClock.now
        for (areaCode, subscriber) in ordered
        where registry.contains(areaCode: areaCode, subscriber: subscriber) {
            found += 1
        }
        let elapsed = seconds(since: started)
        var foundAsText = 0
        let startedText = ContinuousClock.now
        for text in texts where registry.contains(nationalDigits: text) {
            foundAsText += 1
        }
        let elapsedText = seconds(since: startedText)
        precondition(found == foundAsText, "the two kinds of lookup disagree")
        lookups = total
        lookupHits = found
        lookupsPerSecond = Double(total) / max(elapsed, 1e-9)
        textLookupsPerSecond = Double(total) / max(elapsedText, 1e-9)
    }

    func lines(showingRejected shown: Int) -> [String] {
        let megabyte = 1_048_576.0
        var rows: [(String, String)] = [
            ("numbers loaded", grouped(numbersLoaded)),
            ("area codes", grouped(areaCodes)),
            ("lines read", grouped(linesRead)),
            ("rejected lines", grouped(rejectedLines)),
            (
                "load seconds",
                "\(fixed(loadSeconds, 2)) (parse \(fixed(parseSeconds, 2)), build "
                    + "\(fixed(buildSeconds, 2)))"
            ),
            (
                "registry memory",
                "\(grouped(registryMemoryBytes)) bytes (\(fixed(Double(registryMemoryBytes) / megabyte, 1)) MB)"
            ),
        ]
        if let perMillion = bytesPerMillionNumbers, let projected = projectedBytesFor250Million {
            rows.append(("bytes per million numbers", grouped(Int(perMillion.rounded()))))
            rows.append(("projected for 250 million", "\(fixed(projected / megabyte, 0)) MB"))
        }
        rows.append(
            (
                "process peak RSS",
                peakResidentBytes.map { "\(fixed(Double($0) / megabyte, 1)) MB" } ?? "-"
            ))
        if lookups > 0 {
            rows.append(("lookups", "\(grouped(lookups)) (\(grouped(lookupHits)) hits)"))
            rows.append(("lookups per second", grouped(Int(lookupsPerSecond.rounded()))))
            rows.append(
                ("lookups per second, as text", grouped(Int(textLookupsPerSecond.rounded()))))
        }
        var lines: [String] = []
        let pathWidth = max(4, files.map(\.path.count).max() ?? 0)
        lines.append(
            "file".padding(toLength: pathWidth, withPad: " ", startingAt: 0)
                + "  kind          lines read     additions      removals      rejected   seconds")
        for file in files {
            lines.append(
                file.path.padding(toLength: pathWidth, withPad: " ", startingAt: 0) + "  "
                    + file.kind.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + [file.linesRead, file.additions, file.removals, file.rejected]
                    .map { right(grouped($0), 14) }.joined()
                    + right(fixed(file.seconds, 2), 10))
        }
        lines.append("")
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows {
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
        if rejectedLines > 0, shown > 0 {
            lines.append("")
            lines.append("first rejected lines:")
            for line in firstRejected.prefix(shown) {
                lines.append("  \(line.file) line \(line.line): \(line.reason): \(line.text)")
            }
        }
        return lines
    }
}

/// The process's peak resident memory (Linux `VmHWM`), or nil where `/proc` has none.
private enum ProcessMemory {
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

private func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
        text.append(digit)
    }
    return value < 0 ? "-" + text : text
}

private func fixed(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

private func right(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}
