import ReliefCore
import Testing

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func writesTheHeaderAndRowsWithCRLFLineEnds() {
        var writer = CSVWriter(header: ["name", "state"])
        writer.append(["Ada", "TX"])
        writer.append(["Grace", "CA"])

        #expect(writer.text == "name,state\r\nAda,TX\r\nGrace,CA\r\n")
    }

    @Test func anEmptyHeaderWritesNoLine() {
        #expect(CSVWriter(header: []).text == "")
    }

    @Test(
        "quotes fields holding a comma, quote, CR or LF and doubles quotes",
        arguments: [
            ("Smith, Ada", "\"Smith, Ada\""),
            ("5\" screen", "\"5\"\" screen\""),
            ("line one\nline two", "\"line one\nline two\""),
            ("a\r\nb", "\"a\r\nb\""),
            ("plain text", "plain text"),
            ("", ""),
        ])
    func quoting(field: String, encoded: String) {
        #expect(CSVWriter.line([field]) == encoded + "\r\n")
    }

    @Test(
        "defuses fields a spreadsheet would run as formulas",
        arguments: [
            ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
            ("+1 555 0100", "'+1 555 0100"),
            ("-42", "'-42"),
            ("@cmd", "'@cmd"),
            ("\tindent", "'\tindent"),
            ("\rreturn", "\"'\rreturn\""),
            ("\u{0}=1+1", "'\u{0}=1+1"),
            ("=HYPERLINK(\"http://x\",\"a,b\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\""),
            ("a=b", "a=b"),
        ])
    func formulaInjection(field: String, encoded: String) {
        #expect(CSVWriter.line([field]) == encoded + "\r\n")
    }

    @Test func streamedLinesMatchTheWriter() {
        var writer = CSVWriter(header: ["id", "note"])
        writer.append(["1", "=2+2"])

        #expect(writer.text == CSVWriter.line(["id", "note"]) + CSVWriter.line(["1", "=2+2"]))
    }
}
