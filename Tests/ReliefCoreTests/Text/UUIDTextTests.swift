import Foundation
import ReliefCore
import Testing

@Suite("UUID text")
struct UUIDTextTests {
    @Test("writes what uuidString writes and reads it back, for random ids")
    func roundTrip() {
        for _ in 0..<1_000 {
            let id = UUID()
            let text = UUIDText.format(id)
            #expect(text == id.uuidString)
            #expect(UUIDText.parse(text) == id)
            #expect(UUIDText.parse(text.lowercased()) == id)
            var bytes: [UInt8] = [1, 2]
            UUIDText.append(id, to: &bytes)
            #expect(bytes == [1, 2] + Array(id.uuidString.utf8))
        }
    }

    @Test(
        "refuses anything but the 36-character form, as UUID(uuidString:) does",
        arguments: [
            "", "not-a-uuid", "E621E1F8-C36C-495A-93FC-0C247A3E6E5",
            "E621E1F8-C36C-495A-93FC-0C247A3E6E5F0",
            "E621E1F8C36C-495A-93FC-0C247A3E6E5F0", "E621E1F8-C36C-495A-93FC_0C247A3E6E5F",
            "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "{621E1F8-C36C-495A-93FC-0C247A3E6E5F",
            "E621E1F8-C36C-495A-93FC-0C247A3E6E5\u{E9}",
        ])
    func refusals(text: String) {
        #expect(UUIDText.parse(text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }
}
