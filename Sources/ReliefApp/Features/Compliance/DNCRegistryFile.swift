import Foundation
import ReliefCore

/// A Do-Not-Call registry file on disk, plain or zipped, read into a ``DNCParseResult``.
enum DNCRegistryFile {
    /// The bytes read from disk at a time.
    static let chunkSize = 1 << 20

    /// Parses the registry file at `url` in chunks (never the whole file in memory). A zip
    /// archive (the file starts with `PK\u{3}\u{4}`, or `PK\u{5}\u{6}` when empty) has each of its
    /// regular files parsed on its own and the results gathered, every rejected line naming its
    /// entry; any other file is read as text. Throws ``ZipArchiveError`` for a file that cannot
    /// be read or a damaged archive; malformed lines are not errors but rejected lines.
    static func parse(fileAt url: URL, maximumRejectedLinesKept: Int = 1000) throws
        -> DNCParseResult
    {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw ZipArchiveError.unreadable(path: url.path)
        }
        defer { try? handle.close() }
        let first = try handle.read(upToCount: chunkSize) ?? Data()
        if isZip(first) {
            return try parseZip(at: url, maximumRejectedLinesKept: maximumRejectedLinesKept)
        }
        var parser = DNCFileParser(maximumRejectedLinesKept: maximumRejectedLinesKept)
        var chunk = first
        while !chunk.isEmpty {
            parser.consume(chunk)
            chunk = try handle.read(upToCount: chunkSize) ?? Data()
        }
        return parser.finish()
    }

    /// Whether `start`, a file's first bytes, begins with a zip signature (a local file header,
    /// or the end of the central directory of an empty archive).
    static func isZip(_ start: Data) -> Bool {
        guard start.count >= 4 else { return false }
        let bytes = Array(start.prefix(4))
        return bytes[0] == 0x50 && bytes[1] == 0x4B
            && ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6))
    }

    private static func parseZip(at url: URL, maximumRejectedLinesKept: Int) throws
        -> DNCParseResult
    {
        let archive = try ZipArchiveReader(url: url)
        var result = DNCParseResult()
        for entry in archive.entries {
            var parser = DNCFileParser(
                maximumRejectedLinesKept: maximumRejectedLinesKept, file: entry.path)
            try archive.read(entry, chunkSize: chunkSize) { parser.consume($0) }
            result.merge(parser.finish(), maximumRejectedLinesKept: maximumRejectedLinesKept)
        }
        return result
    }
}
