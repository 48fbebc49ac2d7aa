import ReliefCore
import Testing

/// Reads `text` with one `append` and returns the rows.
func readRows(
    _ bytes: [UInt8], dialect: CSVDialect = CSVDialect(), maxRecordBytes: Int = 1 << 20
) -> [CSVRow] {
    var reader = CSVReader(dialect: dialect, maxRecordBytes: maxRecordBytes)
    reader.append(bytes)
    reader.finish()
    var rows: [CSVRow] = []
    while let row = reader.next() { rows.append(row) }
    return rows
}

func readRows(_ text: String, dialect: CSVDialect = CSVDialect()) -> [CSVRow] {
    readRows(Array(text.utf8), dialect: dialect)
}

/// A small seeded generator (SplitMix64) so random chunkings are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func readsFieldsWithTheirNumbersAndOffsets() {
        let rows = readRows("name,state\nAda,TX\nGrace,CA\n")

        #expect(
            rows == [
                CSVRow(number: 1, byteOffset: 0, content: .fields(["name", "state"])),
                CSVRow(number: 2, byteOffset: 11, content: .fields(["Ada", "TX"])),
                CSVRow(number: 3, byteOffset: 18, content: .fields(["Grace", "CA"])),
            ])
    }

    @Test(
        "ends lines at CRLF, LF or a lone CR",
        arguments: ["a,b\r\nc,d\r\n", "a,b\nc,d\n", "a,b\rc,d\r", "a,b\r\nc,d", "a,b\rc,d"])
    func lineEnds(text: String) {
        let rows = readRows(text)

        #expect(rows.map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(rows.map(\.number) == [1, 2])
    }

    @Test func theLastRecordNeedsNoLineBreak() {
        #expect(readRows("a,b\nc,d").map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(readRows("a,b\n\"c\"").map(\.fields) == [["a", "b"], ["c"]])
        #expect(readRows("a,b\n\"c\"\"\"").map(\.fields) == [["a", "b"], ["c\""]])
    }

    @Test func anUnfinishedReaderHoldsBackTheLastRecord() {
        var reader = CSVReader(dialect: CSVDialect())
        reader.append(Array("a,b\nc,d".utf8))

        #expect(reader.next()?.fields == ["a", "b"])
        #expect(reader.next() == nil)
        #expect(!reader.isFinished)
        reader.finish()
        #expect(reader.next()?.fields == ["c", "d"])
        #expect(reader.next() == nil)
    }

    @Test func takesBytesFromAnyCollection() {
        let bytes = Array("a,b\nc,d\n".utf8)
        var reader = CSVReader(dialect: CSVDialect())
        reader.append(bytes.lazy.map { $0 })
        reader.append(bytes[4...])
        bytes.withUnsafeBytes { reader.append($0) }

        #expect(reader.next()?.fields == ["a", "b"])
        #expect(reader.next()?.fields == ["c", "d"])
        #expect(reader.next()?.fields == ["c", "d"])
        #expect(reader.next()?.fields == ["a", "b"])
        #expect(reader.next()?.byteOffset == 16)
        #expect(reader.next() == nil)
    }

    @Test func emptyFieldsAreKept() {
        let rows = readRows("a,,c\n,,\n\"\",x,\nlast,\n")

        #expect(
            rows.map(\.fields) == [["a", "", "c"], ["", "", ""], ["", "x", ""], ["last", ""]])
    }

    @Test func blankLinesAreSkippedButCounted() {
        let rows = readRows("h1,h2\n\na,b\r\n\r\n\r\nc,d\n\n")

        #expect(rows.map(\.fields) == [["h1", "h2"], ["a", "b"], ["c", "d"]])
        #expect(rows.map(\.number) == [1, 3, 6])
        #expect(rows.map(\.byteOffset) == [0, 7, 16])
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() {
        let text =
            "name,note\n\"Gomez, Alicia\",\"said \"\"hi\"\"\nthen left\"\r\n\"\",\"a\r\nb\"\nx,y\n"
        let rows = readRows(text)

        #expect(
            rows.map(\.fields) == [
                ["name", "note"], ["Gomez, Alicia", "said \"hi\"\nthen left"], ["", "a\r\nb"],
                ["x", "y"],
            ])
        #expect(rows.map(\.number) == [1, 2, 3, 4])
        #expect(rows[3].byteOffset == Int64(text.utf8.count - 4))
    }

    @Test func spacesAroundQuotedFieldsAreIgnored() {
        #expect(readRows("\"a\" , \"b\"  \n").map(\.fields) == [["a", "b"]])
        #expect(readRows(" a , b \n").map(\.fields) == [[" a ", " b "]])
    }

    @Test(
        "reports records that break the quoting rules and reads on at the next line",
        arguments: [
            ("ab\"c,d\nx,y\n", "A field has a quote (\") inside it but does not start with one."),
            ("\"ab\"c,d\nx,y\n", "A quoted field has more text after its closing quote."),
            ("1,\"ab\" c\nx,y\n", "A quoted field has more text after its closing quote."),
        ])
    func malformedQuoting(text: String, reason: String) {
        let rows = readRows(text)

        #expect(
            rows == [
                CSVRow(number: 1, byteOffset: 0, content: .malformed(reason: reason)),
                CSVRow(
                    number: 2, byteOffset: Int64(text.utf8.count - 4),
                    content: .fields(["x", "y"])),
            ])
    }

    static let strayQuote = "A field has a quote (\") inside it but does not start with one."
    static let textAfterQuote = "A quoted field has more text after its closing quote."

    @Test(
        "a malformed record with a later multi-line quoted field is reported once, to its end",
        arguments: [
            (
                "id,name,note\n1,Jo\"hn,\"called twice\nleft a voicemail\",x\n2,Ann,plain,y\n",
                strayQuote
            ),
            (
                "id,name,note\n1,\"Jo\"hn,\"called twice\nleft a voicemail\",x\n2,Ann,plain,y\n",
                textAfterQuote
            ),
            (
                "id,name,note\n1,\"Jo\" \"hn\",\"called, \"\"twice\"\"\r\n\r\nok\"\r\n2,Ann,plain,y",
                textAfterQuote
            ),
            ("id,name,note\n1,O\"Neil,\"a\nb\nc\",\"d\ne\"\n2,Ann,plain,y\n", strayQuote),
        ])
    func malformedRecordEndsAtItsRealEnd(text: String, reason: String) {
        let bytes = Array(text.utf8)
        let lastRow = "2,Ann,plain,y" + (text.hasSuffix("\n") ? "\n" : "")
        let secondOffset = Int64(bytes.count - lastRow.utf8.count)

        let rows = readRows(bytes)

        #expect(
            rows == [
                CSVRow(number: 1, byteOffset: 0, content: .fields(["id", "name", "note"])),
                CSVRow(number: 2, byteOffset: 13, content: .malformed(reason: reason)),
                CSVRow(
                    number: 3, byteOffset: secondOffset,
                    content: .fields(["2", "Ann", "plain", "y"])),
            ])
        // Every split of the input into two chunks, and byte by byte, reads the same rows.
        for split in 0...bytes.count {
            var reader = CSVReader(dialect: CSVDialect())
            var chunked: [CSVRow] = []
            reader.append(bytes[..<split])
            while let row = reader.next() { chunked.append(row) }
            reader.append(bytes[split...])
            reader.finish()
            while let row = reader.next() { chunked.append(row) }
            #expect(chunked == rows, "split at byte \(split)")
        }
        #expect(
            Self.rowsReadInChunks(bytes, encoding: .utf8, maxRecordBytes: 1 << 20) { 1 } == rows)
    }

    @Test func aStrayQuoteBeforeAQuoteThatNeverClosesResyncsAfterThatQuotesLine() {
        let rows = readRows("1,a\"b,\"open\n2,c\n3,d")

        #expect(
            rows == [
                CSVRow(number: 1, byteOffset: 0, content: .malformed(reason: Self.strayQuote)),
                CSVRow(number: 2, byteOffset: 12, content: .fields(["2", "c"])),
                CSVRow(number: 3, byteOffset: 16, content: .fields(["3", "d"])),
            ])
    }

    @Test func aMalformedRecordStillObeysTheRecordLimit() {
        let long = String(repeating: "x", count: 100)
        let rows = readRows(
            Array("1,a\"b,\"\(long)\"\n2,c\n3,a\"b,\(long)\n4,d\n".utf8), maxRecordBytes: 64)

        #expect(
            rows.map(\.content) == [
                .malformed(reason: Self.strayQuote), .fields(["2", "c"]),
                .malformed(reason: Self.strayQuote), .fields(["4", "d"]),
            ])
        #expect(rows.map(\.number) == [1, 2, 3, 4])
    }

    @Test func anUnclosedQuoteIsReportedOnItsRowAndReadingGoesOnAfterItsLine() {
        let rows = readRows("h1,h2\na,\"open\nb,c\nd,e")

        #expect(
            rows == [
                CSVRow(number: 1, byteOffset: 0, content: .fields(["h1", "h2"])),
                CSVRow(
                    number: 2, byteOffset: 6,
                    content: .malformed(
                        reason: "A quoted field that starts on this row is never closed.")),
                CSVRow(number: 3, byteOffset: 14, content: .fields(["b", "c"])),
                CSVRow(number: 4, byteOffset: 18, content: .fields(["d", "e"])),
            ])
    }

    @Test func aQuoteOpenedOnALaterLineOfARecordResyncsAfterThatLine() {
        let rows = readRows("\"one\ntwo\",\"three\nx,y\r\nz\n")

        #expect(rows.map(\.number) == [1, 2, 3])
        #expect(rows[0].fields == nil)
        #expect(rows.dropFirst().map(\.fields) == [["x", "y"], ["z"]])
    }

    @Test func aQuoteNotClosedWithinTheRecordLimitIsReportedAndReadingGoesOn() {
        let long = String(repeating: "x", count: 100)
        let text = "id,note\n1,\"\(long)\n2,b\n3,\"\(long)\"\n4,\(long)\n5,e\n"
        let rows = readRows(Array(text.utf8), maxRecordBytes: 64)

        #expect(
            rows.map(\.content) == [
                .fields(["id", "note"]),
                .malformed(
                    reason: "A quoted field that starts on this row is not closed within 64 bytes."
                ),
                .fields(["2", "b"]),
                .malformed(
                    reason: "A quoted field that starts on this row is not closed within 64 bytes."
                ),
                .malformed(reason: "The row is longer than 64 bytes."),
                .fields(["5", "e"]),
            ])
        #expect(rows.map(\.number) == [1, 2, 3, 4, 5, 6])
    }

    @Test func anOverLongLineIsDroppedAsItArrives() {
        var reader = CSVReader(dialect: CSVDialect(), maxRecordBytes: 16)
        reader.append(Array("a,b\n".utf8))
        #expect(reader.next()?.fields == ["a", "b"])
        for _ in 0..<1000 {
            reader.append(Array(repeating: UInt8(ascii: "z"), count: 1000))
            #expect(reader.next() == nil)
        }
        reader.append(Array("\nc,d\n".utf8))

        #expect(reader.next()?.content == .malformed(reason: "The row is longer than 16 bytes."))
        #expect(
            reader.next() == CSVRow(number: 3, byteOffset: 1_000_005, content: .fields(["c", "d"])))
    }

    @Test func aRecordOfExactlyTheLimitIsRead() {
        let rows = readRows(Array("abcd,efgh\n1234567890\n".utf8), maxRecordBytes: 9)

        #expect(rows.map(\.fields) == [["abcd", "efgh"], nil])
    }

    @Test func invalidUTF8IsReportedWithItsByteOffset() {
        var bytes = Array("name\nok\nbad ".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\nJosé\n".utf8)
        let rows = readRows(bytes)

        #expect(
            rows.map(\.content) == [
                .fields(["name"]), .fields(["ok"]),
                .malformed(reason: "The text is not valid UTF-8 at byte 12 of the file."),
                .fields(["José"]),
            ])
    }

    @Test(
        "rejects malformed UTF-8 sequences",
        arguments: [
            [0x80], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xFF],
        ] as [[UInt8]])
    func malformedUTF8(sequence: [UInt8]) {
        let rows = readRows(Array("abcdefghij".utf8) + sequence + Array(",x".utf8))

        #expect(rows.first?.fields == nil)
    }

    @Test func acceptsWellFormedMultiByteUTF8() {
        let text = "Muñoz,€100,“quoted”,𝄞 music,中文\n"

        #expect(readRows(text).map(\.fields) == [["Muñoz", "€100", "“quoted”", "𝄞 music", "中文"]])
    }

    @Test func skipsTheByteOrderMarkButCountsItInOffsets() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("name,zip\nAda,02134\n".utf8)

        for encoding in [CSVEncoding.utf8WithBOM, .utf8] {
            let rows = readRows(bytes, dialect: CSVDialect(encoding: encoding))
            #expect(rows.map(\.fields) == [["name", "zip"], ["Ada", "02134"]])
            #expect(rows.map(\.byteOffset) == [3, 12])
        }
    }

    @Test func decodesWindows1252IncludingItsPunctuationRange() {
        var bytes = Array("name,note\n".utf8)
        bytes += [0x4D, 0x75, 0xF1, 0x6F, 0x7A, 0x2C]  // Muñoz,
        bytes += [0x22, 0x80, 0x35, 0x20, 0x92, 0x93, 0x22, 0x22, 0x94, 0x96, 0x99, 0x22]
        bytes += [0x0A, 0xC9, 0x6C, 0x6F, 0xEF, 0x73, 0x65, 0x2C, 0x9F, 0xFF, 0x0A]
        let rows = readRows(bytes, dialect: CSVDialect(encoding: .windows1252))

        #expect(
            rows.map(\.fields) == [
                ["name", "note"], ["Muñoz", "€5 ’“\"”–™"], ["Éloïse", "Ÿÿ"],
            ])
    }

    @Test(
        "splits on the dialect's delimiter only",
        arguments: [(0x2C, ","), (0x3B, ";"), (0x09, "\t"), (0x7C, "|")] as [(UInt8, String)])
    func delimiters(delimiter: UInt8, separator: String) {
        let other = [",", ";", "\t", "|"].filter { $0 != separator }.joined()
        let text = ["a", "b\(other)c", "\"d\(separator)e\""].joined(separator: separator) + "\n"

        let rows = readRows(text, dialect: CSVDialect(delimiter: delimiter))

        #expect(rows.map(\.fields) == [["a", "b\(other)c", "d\(separator)e"]])
    }

    static let awkwardFile: [UInt8] =
        [0xEF, 0xBB, 0xBF]
        + Array(
            ("first,last,note\r\n\r\nAlicia,Gomez,\"multi\r\nline, \"\"quoted\"\"\"\r\n"
                + "Bob,\"O\"\"Neil\",\rCarl,Ng,plain\n\"Dee\",\"X\" ,bad\"quote\n"
                + "Eve,\"never closed\nFay,Wu,€\nGus,Ho,\"\"").utf8)

    static func rowsReadInChunks(
        _ bytes: [UInt8], encoding: CSVEncoding = .utf8WithBOM, maxRecordBytes: Int = 40,
        sizes: () -> Int
    ) -> [CSVRow] {
        var reader = CSVReader(
            dialect: CSVDialect(encoding: encoding), maxRecordBytes: maxRecordBytes)
        var rows: [CSVRow] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + sizes())
            reader.append(bytes[start..<end])
            while let row = reader.next() { rows.append(row) }
            start = end
        }
        reader.finish()
        while let row = reader.next() { rows.append(row) }
        return rows
    }

    @Test func readsTheSameRowsByteByByte() {
        let whole = Self.rowsReadInChunks(Self.awkwardFile) { Self.awkwardFile.count }
        let byByte = Self.rowsReadInChunks(Self.awkwardFile) { 1 }

        #expect(whole.count == 8)
        #expect(byByte == whole)
    }

    @Test("reads the same rows in random chunk sizes", arguments: 1...20)
    func randomChunks(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let whole = Self.rowsReadInChunks(Self.awkwardFile) { Self.awkwardFile.count }
        let chunked = Self.rowsReadInChunks(Self.awkwardFile) {
            Int.random(in: 1...12, using: &generator)
        }

        #expect(chunked == whole)
    }

    @Test func theAwkwardFileReadsAsExpected() {
        let rows = Self.rowsReadInChunks(Self.awkwardFile) { 7 }

        #expect(
            rows.map(\.content) == [
                .fields(["first", "last", "note"]),
                .fields(["Alicia", "Gomez", "multi\r\nline, \"quoted\""]),
                .fields(["Bob", "O\"Neil", ""]),
                .fields(["Carl", "Ng", "plain"]),
                .malformed(
                    reason: "A field has a quote (\") inside it but does not start with one."),
                .malformed(reason: "A quoted field that starts on this row is never closed."),
                .fields(["Fay", "Wu", "€"]),
                .fields(["Gus", "Ho", ""]),
            ])
        #expect(rows.map(\.number) == [1, 3, 4, 5, 6, 7, 8, 9])
        #expect(rows.first?.byteOffset == 3)
    }

    @Test func compactsItsBufferWhileStreamingALargeInput() {
        var reader = CSVReader(dialect: CSVDialect())
        let line = Array("12345,Alicia,Gomez,alicia@example.com,\"Austin, TX\"\n".utf8)
        var count = 0
        for _ in 0..<2000 {
            reader.append(Array(repeating: line, count: 50).joined())
            while let row = reader.next() {
                #expect(row.fields?.count == 5)
                count += 1
            }
        }
        reader.finish()

        #expect(reader.next() == nil)
        #expect(count == 100_000)
    }
}
