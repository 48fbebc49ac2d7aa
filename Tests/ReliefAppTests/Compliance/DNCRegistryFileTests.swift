import Foundation
import ReliefCore
import Testing

@testable import ReliefApp

@Suite("DNC registry files on disk, plain and zipped")
struct DNCRegistryFileTests {
    /// `Fixtures/dnc/registry.zip`, made with Info-ZIP's `zip -X`: `national-202.txt` (deflated,
    /// a header and a bad line 5), the directory `change/`, `change/changes-303.csv` (deflated,
    /// CRLF, a change list with a bad line 4) and `stored.txt` (stored, no final line end).
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Compliance
        .deletingLastPathComponent()  // ReliefAppTests
        .appendingPathComponent("Fixtures/dnc/registry.zip")

    static let hasZipTool = FileManager.default.isExecutableFile(atPath: "/usr/bin/zip")

    /// A fresh temporary folder, removed by `body`'s end.
    static func inTemporaryFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dnc-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    /// 150,000 numbers of area code 202, one per line: 1.65 MB, more than one read chunk.
    static let largeText: String = (0..<150_000).map { "202\(2_000_000 + $0 * 13)\n" }.joined()

    @Test func readsEveryRegularFileOfAZipAsItsOwnFile() throws {
        let result = try DNCRegistryFile.parse(fileAt: Self.fixture)

        #expect(
            result.additions == [
                202: [5_550_143, 5_550_144, 5_550_199], 212: [5_550_100],
                303: [5_550_100, 5_550_101],
                718: [5_550_100, 5_550_101],
            ])
        #expect(result.removals == [303: [5_550_199]])
        #expect(result.isChangeList)
        #expect(result.linesRead == 13)
        #expect(result.rejectedCount == 2)
        #expect(result.rejected.map(\.file) == ["national-202.txt", "change/changes-303.csv"])
        #expect(result.rejected.map(\.lineNumber) == [5, 4])
        #expect(result.rejected.map(\.reason) == [.wrongDigitCount([8]), .invalidExchange("055")])
    }

    @Test func streamsEntriesInChunksAndSkipsDirectories() throws {
        let archive = try ZipArchiveReader(url: Self.fixture)
        #expect(
            archive.entries.map(\.path) == [
                "national-202.txt", "change/changes-303.csv", "stored.txt",
            ])

        var chunks: [Data] = []
        try archive.read(archive.entries[0], chunkSize: 16) { chunks.append($0) }

        #expect(chunks.count > 1)
        #expect(chunks.allSatisfy { $0.count <= 16 })
        #expect(
            String(decoding: chunks.reduce(Data(), +), as: UTF8.self)
                == "phone_number\n2025550143\n2025550144\n2025550199\n20255501\n2125550100\n")
    }

    @Test func anErrorOfTheReaderIsNotTakenForCorruption() throws {
        struct Stop: Error {}
        let archive = try ZipArchiveReader(url: Self.fixture)

        #expect(throws: Stop.self) { try archive.read(archive.entries[0]) { _ in throw Stop() } }
    }

    @Test func readsAPlainFileLargerThanAChunk() throws {
        try Self.inTemporaryFolder { folder in
            let file = folder.appendingPathComponent("national.txt")
            try Data(Self.largeText.utf8).write(to: file)

            let result = try DNCRegistryFile.parse(fileAt: file)

            #expect(result.linesRead == 150_000)
            #expect(result.additions[202]?.count == 150_000)
            #expect(result.additions[202]?.last == UInt32(2_000_000 + 149_999 * 13))
            #expect(result.rejectedCount == 0)
        }
    }

    @Test(.enabled(if: hasZipTool, "needs Info-ZIP's zip"))
    func aLargeZippedFileGivesWhatThePlainFileGives() throws {
        try Self.inTemporaryFolder { folder in
            let file = folder.appendingPathComponent("national.txt")
            try Data(Self.largeText.utf8).write(to: file)
            let zip = Process()
            zip.executableURL = URL(fileURLWithPath: "/usr/bin/zip")
            zip.currentDirectoryURL = folder
            zip.arguments = ["-q", "-X", "national.zip", "national.txt"]
            try zip.run()
            zip.waitUntilExit()
            #expect(zip.terminationStatus == 0)

            let zipped = try DNCRegistryFile.parse(
                fileAt: folder.appendingPathComponent("national.zip"))

            var plain = try DNCRegistryFile.parse(fileAt: file)
            plain.rejected = plain.rejected.map {
                var line = $0
                line.file = "national.txt"
                return line
            }
            #expect(zipped == plain)
        }
    }

    @Test func damagedAndForeignFilesSayWhatIsWrong() throws {
        let bytes = try Data(contentsOf: Self.fixture)
        try Self.inTemporaryFolder { folder in
            // A byte of national-202.txt's deflated data (after its 30-byte header and name).
            var damaged = bytes
            damaged[30 + "national-202.txt".utf8.count + 10] ^= 0xFF
            let damagedFile = folder.appendingPathComponent("damaged.zip")
            try damaged.write(to: damagedFile)
            // The signature of the second record of the central directory.
            var directory = bytes
            let records = (0..<bytes.count - 4).filter {
                Array(bytes[$0..<$0 + 4]) == [0x50, 0x4B, 1, 2]
            }
            directory[records[1]] = 0
            let directoryFile = folder.appendingPathComponent("directory.zip")
            try directory.write(to: directoryFile)
            let truncatedFile = folder.appendingPathComponent("truncated.zip")
            try bytes.prefix(200).write(to: truncatedFile)
            let textFile = folder.appendingPathComponent("numbers.txt")
            try Data("2025550143\n".utf8).write(to: textFile)

            let corrupt = #expect(throws: ZipArchiveError.self) {
                try DNCRegistryFile.parse(fileAt: damagedFile)
            }
            guard case .corruptEntry(_, "national-202.txt", _) = corrupt else {
                Issue.record("not a corrupt entry: \(String(describing: corrupt))")
                return
            }
            let damagedDirectory = #expect(throws: ZipArchiveError.self) {
                try DNCRegistryFile.parse(fileAt: directoryFile)
            }
            #expect(
                damagedDirectory?.description
                    == "\(directoryFile.path): the zip directory counts 4 entries but only 1 can be read"
            )
            let truncated = #expect(throws: ZipArchiveError.self) {
                try DNCRegistryFile.parse(fileAt: truncatedFile)
            }
            #expect(
                truncated?.description
                    == "\(truncatedFile.path) is not a zip archive, or its central directory is damaged"
            )
            #expect(throws: ZipArchiveError.self) { try ZipArchiveReader(url: textFile) }
            #expect(try DNCRegistryFile.parse(fileAt: textFile).additions == [202: [5_550_143]])
            let missing = #expect(throws: ZipArchiveError.self) {
                try DNCRegistryFile.parse(fileAt: folder.appendingPathComponent("missing.zip"))
            }
            #expect(missing?.description.hasPrefix("cannot read ") == true)
        }
    }
}
