import Foundation
import ReliefCore
import Testing

@Suite("A lead's time zones from ZIP and phone")
struct LeadTimeZonesTests {
    func resolve(_ zip: String?, _ areaCode: String?) -> LeadTimeZones {
        LeadTimeZones.resolve(
            zip: zip, areaCode: areaCode, zips: ReferenceDataFiles.zips,
            areaCodes: ReferenceDataFiles.areaCodes)
    }

    @Test("ZIP and phone in the same zone agree")
    func agree() {
        let zones = resolve("10001", "212")
        #expect(zones.zipTimeZone == "America/New_York")
        #expect(zones.phoneTimeZones == ["America/New_York"])
        #expect(zones.primary == "America/New_York")
        #expect(!zones.differ)
    }

    @Test("a ZIP zone among the split area code's zones agrees")
    func splitAreaCode() {
        let pensacola = resolve("32501", "850")
        #expect(pensacola.primary == "America/Chicago")
        #expect(!pensacola.differ)
        let evansville = resolve("47708", "812")
        #expect(evansville.primary == "America/Chicago")
        #expect(evansville.phoneTimeZones.first == "America/Indiana/Indianapolis")
        #expect(!evansville.differ)
    }

    @Test("a lead who moved keeps both zones and the ZIP's is primary")
    func moved() {
        let zones = resolve("85001", "212")
        #expect(zones.zipTimeZone == "America/Phoenix")
        #expect(zones.phoneTimeZones == ["America/New_York"])
        #expect(zones.primary == "America/Phoenix")
        #expect(zones.differ)
    }

    @Test("without a usable ZIP the phone's most common zone is primary")
    func phoneOnly() {
        #expect(resolve(nil, "907").primary == "America/Anchorage")
        #expect(resolve("09001", "907").primary == "America/Anchorage")
        #expect(resolve("00000", "850").primary == "America/Chicago")
        #expect(!resolve(nil, "850").differ)
    }

    @Test("toll-free numbers and unknown input leave what is known")
    func unknown() {
        let tollFree = resolve("96813", "800")
        #expect(tollFree.phoneTimeZones.isEmpty)
        #expect(tollFree.primary == "Pacific/Honolulu")
        #expect(!tollFree.differ)
        let nothing = resolve(nil, nil)
        #expect(nothing == LeadTimeZones(zipTimeZone: nil, phoneTimeZones: []))
        #expect(nothing.primary == nil)
        #expect(!nothing.differ)
    }

    @Test("round-trips through JSON")
    func codable() throws {
        let zones = resolve("85001", "850")
        let data = try JSONEncoder().encode(zones)
        #expect(try JSONDecoder().decode(LeadTimeZones.self, from: data) == zones)
    }
}
