import ReliefCore
import Testing

@Suite("ZIP directory")
struct ZIPDirectoryTests {
    let zips = ReferenceDataFiles.zips

    @Test("loads every row of the real file")
    func loadsAll() {
        #expect(zips.count == 41_749)
    }

    @Test(
        "knows the city, state and time zone of well-known ZIPs",
        arguments: [
            ("10001", "New York", "NY", "America/New_York"),
            ("85001", "Phoenix", "AZ", "America/Phoenix"),
            ("96813", "Honolulu", "HI", "Pacific/Honolulu"),
            ("46201", "Indianapolis", "IN", "America/Indiana/Indianapolis"),
            ("32501", "Pensacola", "FL", "America/Chicago"),
            ("00601", "Adjuntas", "PR", "America/Puerto_Rico"),
        ])
    func knownZIPs(zip: String, city: String, state: String, zone: String) throws {
        let entry = try #require(zips.entry(zip))
        #expect(entry.zip == zip)
        #expect(entry.city == city)
        #expect(entry.state == state)
        #expect(entry.timeZone == zone)
        #expect(zips.timeZone(forZIP: zip) == zone)
        #expect(zips.exists(zip))
    }

    @Test("keeps every column of an entry")
    func fullEntry() throws {
        let newYork = try #require(zips.entry("10001"))
        #expect(newYork.kind == .standard)
        #expect(newYork.county == "New York County")
        #expect(newYork.latitude == 40.7484)
        #expect(newYork.longitude == -73.9967)
        #expect(newYork.areaCodes == ["212", "332", "347", "646", "718", "917", "929"])
        #expect(zips.entry("85001")?.kind == .poBox)
    }

    @Test("accepts ZIP+4 and surrounding spaces, refuses anything else")
    func lookupForms() {
        #expect(zips.entry("10001-1234")?.city == "New York")
        #expect(zips.entry("100011234")?.city == "New York")
        #expect(zips.entry(" 10001 ")?.city == "New York")
        for text in ["", "1000", "100010", "10001-12", "1OOO1", "00000", "99999"] {
            #expect(zips.entry(text) == nil, "\(text)")
            #expect(!zips.exists(text), "\(text)")
            #expect(zips.timeZone(forZIP: text) == nil, "\(text)")
        }
    }

    @Test("military ZIPs keep their raw state code and have no zone or position")
    func military() throws {
        let apo = try #require(zips.entry("09001"))
        #expect(apo.kind == .military)
        #expect(apo.state == "AE")
        #expect(!USState.isValid(apo.state))
        #expect(apo.county == nil)
        #expect(apo.timeZone == nil)
        #expect(apo.latitude == nil && apo.longitude == nil)
        #expect(apo.areaCodes.isEmpty)
        // No ZIP of state AE with prefix 090 has a zone to borrow.
        #expect(zips.timeZone(forZIP: "09001") == nil)
        // 099 also holds New Jersey PO boxes, whose zone is not lent to the AE ZIPs.
        #expect(zips.timeZone(forZIP: "09905") == "America/New_York")
        #expect(zips.timeZone(forZIP: "09901") == nil)
    }

    @Test("a blank zone borrows the most common zone of the state's ZIPs with the same prefix")
    func borrowedZone() throws {
        let csv = """
            zip,type,city,state,county,timezone,lat,lon,area_codes
            32501,STANDARD,Pensacola,FL,Escambia County,America/Chicago,30.42,-87.22,850
            32502,STANDARD,Pensacola,FL,Escambia County,America/Chicago,30.41,-87.21,850
            32503,STANDARD,Pensacola,FL,Escambia County,America/New_York,30.45,-87.22,850
            32599,UNIQUE,Pensacola,FL,Escambia County,,0,0,
            32699,UNIQUE,Elsewhere,FL,,,0,0,
            32598,MILITARY,Fpo,AA,,,0,0,
            """
        let directory = try ZIPDirectory(csv: csv)
        #expect(directory.entry("32599")?.timeZone == nil)
        #expect(directory.timeZone(forZIP: "32599") == "America/Chicago")
        #expect(directory.timeZone(forZIP: "32699") == nil)
        #expect(directory.timeZone(forZIP: "32598") == nil)
    }

    @Test("reads quoted fields, CRLF or LF line ends and a byte order mark")
    func quotedFields() throws {
        let csv =
            "\u{FEFF}zip,type,city,state,county,timezone,lat,lon,area_codes\r\n"
            + "20001,STANDARD,\"Washington, \"\"D.C.\"\"\",DC,District of Columbia,"
            + "America/New_York,38.9,-77.0,\"202 771\"\n"
            + "\r\n"
            + "20002,STANDARD,Washington,DC,\"District\nof Columbia\",America/New_York,38.9,-77.0,202"
        let directory = try ZIPDirectory(csv: csv)
        #expect(directory.count == 2)
        #expect(directory.entry("20001")?.city == "Washington, \"D.C.\"")
        #expect(directory.entry("20001")?.areaCodes == ["202", "771"])
        #expect(directory.entry("20002")?.county == "District\nof Columbia")
    }

    static let header = "zip,type,city,state,county,timezone,lat,lon,area_codes\n"
    static let good = "10001,STANDARD,New York,NY,New York County,America/New_York,40.7,-73.9,212\n"

    @Test(
        "a malformed line is refused with its line number",
        arguments: [
            ("10002,STANDARD,New York,NY,New York County,America/New_York,40.7,-73.9\n", 3),
            ("1002,STANDARD,New York,NY,,America/New_York,40.7,-73.9,212\n", 3),
            ("10002,RURAL,New York,NY,,America/New_York,40.7,-73.9,212\n", 3),
            ("10002,STANDARD,,NY,,America/New_York,40.7,-73.9,212\n", 3),
            ("10002,STANDARD,New York,New York,,America/New_York,40.7,-73.9,212\n", 3),
            ("10002,STANDARD,New York,NY,,America/New_York,north,-73.9,212\n", 3),
            ("10002,STANDARD,New York,NY,,America/New_York,40.7,-73.9,21\n", 3),
            ("10002,STANDARD,New \"York\",NY,,America/New_York,40.7,-73.9,212\n", 3),
            ("10002,STANDARD,\"New York\"x,NY,,America/New_York,40.7,-73.9,212\n", 3),
            ("\n\n10002,STANDARD,\"New York,NY,,America/New_York,40.7,-73.9,212\n", 5),
            (good, 3),
        ])
    func malformedLine(line: String, number: Int) {
        let error = #expect(throws: ReferenceDataError.self) {
            try ZIPDirectory(csv: Self.header + Self.good + line)
        }
        #expect(error?.line == number)
        #expect(error?.description.hasPrefix("line \(number): ") == true)
    }

    @Test("an empty file or a missing column is refused")
    func badHeader() {
        #expect(throws: ReferenceDataError(line: 1, reason: "the file is empty")) {
            try ZIPDirectory(csv: "")
        }
        #expect(throws: ReferenceDataError(line: 1, reason: "the header has no area_codes column"))
        {
            try ZIPDirectory(csv: "zip,type,city,state,county,timezone,lat,lon\n")
        }
    }
}
