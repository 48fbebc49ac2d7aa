import ReliefCore
import Testing

@Suite("Area code directory")
struct AreaCodeDirectoryTests {
    let areaCodes = ReferenceDataFiles.areaCodes

    @Test("loads every row of the real file")
    func loadsAll() {
        #expect(areaCodes.count == 462)
    }

    @Test("a single-zone area code")
    func newYork() {
        #expect(
            areaCodes.entry("212")
                == AreaCodeEntry(
                    areaCode: "212", country: "US", state: "NY", timeZones: ["America/New_York"],
                    kind: .geographic))
    }

    @Test("split area codes list every zone, most common first")
    func splitZones() throws {
        let panhandle = try #require(areaCodes.entry("850"))
        #expect(panhandle.state == "FL")
        #expect(panhandle.timeZones == ["America/Chicago", "America/New_York"])
        let southernIndiana = try #require(areaCodes.entry("812"))
        #expect(southernIndiana.timeZones.first == "America/Indiana/Indianapolis")
        #expect(southernIndiana.timeZones.contains("America/Chicago"))
        #expect(southernIndiana.timeZones.count == 9)
        let alaska = try #require(areaCodes.entry("907"))
        #expect(alaska.state == "AK")
        #expect(alaska.timeZones.first == "America/Anchorage")
        #expect(alaska.timeZones.contains("America/Adak"))
    }

    @Test("toll-free, non-geographic and foreign area codes")
    func otherKinds() throws {
        let tollFree = try #require(areaCodes.entry("800"))
        #expect(tollFree.kind == .tollFree)
        #expect(tollFree.state == nil)
        #expect(tollFree.timeZones.isEmpty)
        #expect(areaCodes.entry("500")?.kind == .nonGeographic)
        let manitoba = try #require(areaCodes.entry("204"))
        #expect(manitoba.country == "CA")
        #expect(manitoba.state == "MB")
        #expect(manitoba.timeZones == ["America/Winnipeg"])
        #expect(areaCodes.entry("787")?.country == "PR")
    }

    @Test("unassigned or malformed area codes are unknown")
    func unknown() {
        for text in ["123", "999", "21", "2125", ""] {
            #expect(areaCodes.entry(text) == nil, "\(text)")
        }
    }

    @Test("a malformed line is refused with its line number")
    func malformed() {
        let header = "area_code,country,state,timezones,kind\n"
        let good = "212,US,NY,America/New_York,geographic\n"
        for (line, reason) in [
            ("850,US,FL,America/Chicago,coastal", "unknown kind 'coastal'"),
            ("85,US,FL,America/Chicago,geographic", "area code '85' is not 3 digits"),
            ("850,USA,FL,America/Chicago,geographic", "country 'USA' is not a 2-letter code"),
            ("212,US,NY,America/New_York,geographic", "area code 212 is listed twice"),
            ("850,US,FL,geographic", "expected 5 fields, found 4"),
        ] {
            #expect(throws: ReferenceDataError(line: 3, reason: reason)) {
                try AreaCodeDirectory(csv: header + good + line)
            }
        }
    }
}
