import ReliefCore
import Testing

@Suite("US state codes and names")
struct USStateTests {
    @Test("every code has a name, and both lead back to the code")
    func roundTrip() throws {
        for code in USState.codes {
            let name = try #require(USState.name(of: code))
            #expect(USState.code(matching: name) == code)
            #expect(USState.code(matching: code.lowercased()) == code)
        }
        #expect(USState.name(of: "tx") == "Texas")
    }

    @Test(
        "names and abbreviations as people write them",
        arguments: [
            ("Texas", "TX"), ("TEXAS", "TX"), (" tex. ", "TX"), ("Calif.", "CA"),
            ("N. Dak.", "ND"), ("north dakota", "ND"), ("W. Va.", "WV"), ("Penna", "PA"),
            ("Washington, D.C.", "DC"), ("District of Columbia", "DC"), ("Washington", "WA"),
            ("N.Y.", "NY"), ("Virgin Islands", "VI"), ("Mass", "MA"),
        ])
    func spellings(text: String, code: String) {
        #expect(USState.code(matching: text) == code)
    }

    @Test("unknown names and codes outside the list are nil")
    func unknown() {
        for text in ["", "Texass", "AE", "Ontario", "XX", "."] {
            #expect(USState.code(matching: text) == nil, "\(text)")
        }
        #expect(USState.name(of: "AE") == nil)
    }
}
