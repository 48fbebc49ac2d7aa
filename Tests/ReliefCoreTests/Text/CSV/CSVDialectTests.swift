import ReliefCore
import Testing

@Suite("CSV dialect detection")
struct CSVDialectTests {
    static func detect(_ text: String) throws(CSVFormatError) -> CSVDialect {
        try CSVDialect.detect(sample: Array(text.utf8))
    }

    @Test(
        "finds the delimiter that splits every line alike",
        arguments: [
            ("name,state,zip\nAda,TX,75001\nGrace,CA,90001\n", 0x2C),
            ("name;amount;note\nAda;1,5;x\nGrace;2,25;y, z\n", 0x3B),
            ("name\tnote\nAda\tlikes, commas\nGrace\ta;b\n", 0x09),
            ("name|city|note\nAda|Austin|a,b\nGrace|Boston|c;d;e\n", 0x7C),
            ("\"last, first\";\"x\"\n\"Gomez, Alicia\";1\n\"Ng, Bo\";2\n", 0x3B),
            ("a,b;c\n1,2;3\n4,5\n6,7\n", 0x2C),
            ("a|b;c\n1|2;3\n", 0x3B),
            ("a\tb|c\n1\t2|3\n", 0x09),
            ("email\nada@example.com\ngrace@example.com\n", 0x2C),
            ("name,state\n", 0x2C),
            ("\"multi\nline\",x\n1,2\n", 0x2C),
        ] as [(String, UInt8)])
    func delimiter(text: String, delimiter: UInt8) throws {
        let dialect = try Self.detect(text)

        #expect(dialect.delimiter == delimiter)
        #expect(dialect.encoding == .utf8)
        #expect(dialect.quote == 0x22)
    }

    @Test func readsTheByteOrderMark() throws {
        let dialect = try CSVDialect.detect(sample: [0xEF, 0xBB, 0xBF] + Array("a;b\n1;2\n".utf8))

        #expect(dialect == CSVDialect(encoding: .utf8WithBOM, delimiter: 0x3B))
    }

    @Test func fallsBackToWindows1252ForLatinText() throws {
        let bytes = Array("name,city\nMu".utf8) + [0xF1] + Array("oz,San Jos".utf8) + [0xE9, 0x0A]

        #expect(try CSVDialect.detect(sample: bytes).encoding == .windows1252)
    }

    @Test func aSampleCutInsideAUTF8SequenceIsStillUTF8() throws {
        let lines = Array(repeating: Array("Muñoz,San José\n".utf8), count: 5000).joined()
        let ascii = Array("name,city\n".utf8) + Array(repeating: 0x61, count: 100)
        let text = Array((ascii + lines).prefix(CSVDialect.sampleSize - 1)) + [0xC3, 0xB1]
        let sample = Array(text.prefix(CSVDialect.sampleSize))
        var broken = sample
        broken[5] = 0xE9

        #expect(sample.last == 0xC3)
        #expect(try CSVDialect.detect(sample: sample).encoding == .utf8)
        #expect(try CSVDialect.detect(sample: text).encoding == .utf8)
        #expect(try CSVDialect.detect(sample: broken).encoding == .windows1252)
    }

    @Test func ignoresTheLastLineOfACutOffSample() throws {
        let line = "Ada,Lovelace,ada@example.com\n"
        var text = "first,last,email\n" + String(repeating: line, count: 3000)
        text = String(text.utf8.prefix(CSVDialect.sampleSize - 10))! + ";;;;;;;;;"

        #expect(try CSVDialect.detect(sample: Array(text.utf8) + [0x3B]).delimiter == 0x2C)
    }

    @Test func aCutOffSampleWithASingleLongLineStillHasAHeader() throws {
        let header = (1...8000).map { "column \($0)" }.joined(separator: ";")

        #expect(try CSVDialect.detect(sample: Array(header.utf8)).delimiter == 0x3B)
    }

    @Test(
        "refuses files that are not CSV text",
        arguments: [
            (Array("%PDF-1.7\n%âãÏÓ\n1 0 obj".utf8), CSVFormatError.otherFormat(.pdf)),
            (
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D],
                .otherFormat(.image)
            ),
            ([0xFF, 0xD8, 0xFF, 0xE0], .otherFormat(.image)),
            (
                [0x50, 0x4B, 0x03, 0x04] + Array("....xl/workbook.xml".utf8),
                .otherFormat(.excelWorkbook)
            ),
            ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00], .otherFormat(.zipArchive)),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], .otherFormat(.legacyOffice)),
            (Array(" <!DOCTYPE html><html>".utf8), .otherFormat(.webPage)),
            (Array("<?xml version=\"1.0\"?><Workbook>".utf8), .otherFormat(.xml)),
            ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00], .binary),
            (Array("name,zip\nAda,".utf8) + [0x00, 0x31], .binary),
            ([0xFF, 0xFE, 0x6E, 0x00, 0x61, 0x00], .utf16),
            ([0x81, 0x8D, 0xA0, 0xE9, 0xF0, 0x0A], .unknownEncoding),
            (Array("ab".utf8) + Array(repeating: 0xE9, count: 10), .unknownEncoding),
            ([], .empty),
            (Array(" \r\n\n \t".utf8), .empty),
            ([0xEF, 0xBB, 0xBF], .empty),
            (Array(",,,\n1,2,3,4\n".utf8), .noHeader),
            (Array("\"\" , \"\"\nx,y\n".utf8), .noHeader),
            (Array("Dear customer: thank you\n".utf8), .singleLineWithoutDelimiter),
            (Array("just one line".utf8), .singleLineWithoutDelimiter),
        ] as [([UInt8], CSVFormatError)])
    func notCSV(bytes: [UInt8], error: CSVFormatError) {
        #expect(throws: error) { try CSVDialect.detect(sample: bytes) }
    }

    @Test func messagesSpeakToTheUploader() {
        #expect(
            CSVFormatError.otherFormat(.pdf).message
                == "The file looks like a PDF document, not CSV.")
        #expect(
            CSVFormatError.otherFormat(.excelWorkbook).message
                == "The file looks like an Excel workbook, not CSV. Open it in Excel and save it "
                + "as \"CSV UTF-8 (Comma delimited)\" and upload that file.")
        #expect(CSVFormatError.empty.description == "The file is empty.")
        #expect(CSVFormatError.binary.message == "The file contains binary data, not CSV text.")
        #expect(CSVFormatError.noHeader.message.contains("column names"))
    }

    @Test func readAllDetectsAndReads() throws {
        let (dialect, rows) = try CSVReader.readAll(Array("a|b\n1|2".utf8))

        #expect(dialect.delimiter == 0x7C)
        #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(throws: CSVFormatError.otherFormat(.pdf)) {
            try CSVReader.readAll(Array("%PDF-1.4".utf8))
        }
    }
}
