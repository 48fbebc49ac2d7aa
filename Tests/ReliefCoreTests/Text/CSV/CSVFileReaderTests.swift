import Foundation
import ReliefCore
import Testing

@Suite("CSV file reader")
struct CSVFileReaderTests {
    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("csv-\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func readsAFileLargerThanAChunkAndReportsProgress() throws {
        var text = "id,name,note\r\n"
        for id in 1...80_000 { text += "\(id),Name \(id),\"note, with \"\"quotes\"\"\"\r\n" }
        let bytes = Array(text.utf8)
        let url = try Self.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: url) }

        let file = try CSVFileReader(url: url)
        #expect(file.fileSize == Int64(bytes.count))
        #expect(file.bytesRead == Int64(CSVFileReader.chunkSize))
        var rows: [CSVRow] = []
        while let row = try file.next() { rows.append(row) }

        #expect(bytes.count > 2 * CSVFileReader.chunkSize)
        #expect(file.bytesRead == Int64(bytes.count))
        #expect(rows.count == 80_001)
        #expect(rows[0].fields == ["id", "name", "note"])
        #expect(rows[80_000].fields == ["80000", "Name 80000", "note, with \"quotes\""])
        #expect(rows.map(\.number) == Array(1...80_001))
        #expect(rows.dropFirst().allSatisfy { $0.fields?.count == 3 })
    }

    @Test func detectsTheDialectFromTheFile() throws {
        let url = try Self.temporaryFile(Array("a\tb\nc\td".utf8))
        defer { try? FileManager.default.removeItem(at: url) }

        let file = try CSVFileReader(url: url)

        #expect(file.dialect.delimiter == 0x09)
        #expect(try file.next()?.fields == ["a", "b"])
        #expect(try file.next()?.fields == ["c", "d"])
        #expect(try file.next() == nil)
        #expect(try file.next() == nil)
    }

    @Test func readsFromChunksSmallerThanTheSample() throws {
        var text = "first,last\n"
        for id in 1...5_000 { text += "Ann \(id),\"Lee\nJr.\"\n" }
        var remaining = Array(text.utf8)[...]
        let file = try CSVFileReader {
            guard !remaining.isEmpty else { return nil }
            let piece = remaining.prefix(1_000)
            remaining = remaining.dropFirst(1_000)
            return Data(piece)
        }
        #expect(file.bytesRead >= Int64(CSVDialect.sampleSize))
        #expect(file.fileSize == nil)
        var rows: [CSVRow] = []
        while let row = try file.next() { rows.append(row) }
        #expect(rows.count == 5_001)
        #expect(rows[5_000].fields == ["Ann 5000", "Lee\nJr."])
        #expect(file.bytesRead == Int64(text.utf8.count))
    }

    @Test func refusesAFileThatIsNotCSV() throws {
        let url = try Self.temporaryFile(Array("%PDF-1.7\n".utf8))
        defer { try? FileManager.default.removeItem(at: url) }

        #expect(throws: CSVFormatError.otherFormat(.pdf)) { try CSVFileReader(url: url) }
        #expect(throws: CSVFormatError.empty) {
            let empty = try Self.temporaryFile([])
            defer { try? FileManager.default.removeItem(at: empty) }
            return try CSVFileReader(url: empty)
        }
    }
}
