import ReliefCore
import Testing

@Suite("Merging an import row into a stored lead")
struct LeadDraftMergeTests {
    private func phone(_ digits: String, primary: Bool) throws -> LeadPhone {
        LeadPhone(number: try PhoneNumber.parse(digits), type: .mobile, isPrimary: primary)
    }

    private func stored() throws -> LeadDraft {
        var draft = LeadDraft()
        draft.firstName = "Maria"
        draft.lastName = "Lopez"
        draft.city = "Austin"
        draft.emails = ["maria@example.com"]
        draft.phones = [try phone("5125550100", primary: true)]
        draft.tags = ["VIP"]
        return draft
    }

    private func incoming() throws -> LeadDraft {
        var draft = LeadDraft()
        draft.firstName = "María"
        draft.lastName = "Lopez"
        draft.city = "Dallas"
        draft.zip = "75201"
        draft.totalUnsecuredDebtCents = 1_800_000
        draft.emails = ["maria.l@example.com", "maria@example.com"]
        draft.phones = [
            try phone("2145550111", primary: true), try phone("512-555-0100", primary: false),
        ]
        draft.tags = ["vip", "spring"]
        return draft
    }

    @Test("filling keeps stored values and takes only what is missing")
    func fill() throws {
        let result = try stored().merged(with: try incoming(), mode: .fillEmpty)
        #expect(result.firstName == "Maria")
        #expect(result.city == "Austin")
        #expect(result.zip == "75201")
        #expect(result.totalUnsecuredDebtCents == 1_800_000)
        #expect(result.emails == ["maria@example.com", "maria.l@example.com"])
        #expect(result.phones.map(\.number.nationalDigits) == ["5125550100", "2145550111"])
        #expect(result.phones.map(\.isPrimary) == [true, false])
        #expect(result.tags == ["VIP", "spring"])
    }

    @Test("overwriting takes every present incoming value and keeps the rest")
    func overwrite() throws {
        var base = try stored()
        base.employment = "Teacher"
        let result = base.merged(with: try incoming(), mode: .overwrite)
        #expect(result.firstName == "María")
        #expect(result.city == "Dallas")
        #expect(result.employment == "Teacher")
        #expect(result.emails == ["maria.l@example.com", "maria@example.com"])
        #expect(result.phones.map(\.nationalDigits) == ["2145550111", "5125550100"])
        #expect(result.phones.first?.isPrimary == true)
    }
}

extension LeadPhone {
    fileprivate var nationalDigits: String { number.nationalDigits }
}
