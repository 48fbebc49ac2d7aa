import ReliefCore
import Testing

@Suite("Lead merge")
struct LeadMergeTests {
    static func phone(_ raw: String, _ type: PhoneType = .mobile) -> LeadPhone {
        LeadPhone(number: try! PhoneNumber.parse(raw), type: type, isPrimary: false)
    }

    static var survivor: LeadDraft {
        var draft = LeadDraft()
        draft.firstName = "Maria"
        draft.lastName = "Lopez"
        draft.phones = [phone("2125550143"), phone("2125550199", .home)]
        draft.emails = ["maria@example.com"]
        draft.city = "New York"
        draft.zip = "10001"
        draft.state = "NY"
        draft.tags = ["vip"]
        return draft
    }

    static var other: LeadDraft {
        var draft = LeadDraft()
        draft.firstName = "María"
        draft.middleName = "José"
        draft.lastName = "Lopez"
        draft.phones = [phone("(212) 555-0143"), phone("7135550100", .work)]
        draft.emails = ["mj@work.example", "maria@example.com"]
        draft.address = "1 Main St"
        draft.city = "Houston"
        draft.state = "TX"
        draft.zip = "77002"
        draft.totalUnsecuredDebtCents = 1_800_000
        draft.tags = ["spanish", "vip"]
        return draft
    }

    @Test("by default the survivor's values win, empty ones are filled from the other")
    func defaults() {
        let (sides, problems) = LeadMerge.choices(
            survivor: LeadMerge.values(of: Self.survivor), other: LeadMerge.values(of: Self.other),
            keep: [:])
        #expect(problems.isEmpty)
        #expect(sides["first_name"] == .survivor)
        #expect(sides["middle_name"] == .other)
        #expect(sides["total_unsecured_debt_cents"] == .other)
        #expect(sides["address"] == .survivor)
        let merged = LeadMerge.mergedDraft(survivor: Self.survivor, other: Self.other, sides: sides)
        #expect(merged.firstName == "Maria")
        #expect(merged.middleName == "José")
        #expect(merged.totalUnsecuredDebtCents == 1_800_000)
        #expect(merged.city == "New York")
        #expect(merged.address == nil, "the address moves as a whole")
    }

    @Test("every phone, e-mail and tag is kept once, the chosen primary first")
    func lists() {
        let values = (LeadMerge.values(of: Self.survivor), LeadMerge.values(of: Self.other))
        let (sides, _) = LeadMerge.choices(
            survivor: values.0, other: values.1,
            keep: ["phone": "other", "email": "other", "address": "other"])
        let merged = LeadMerge.mergedDraft(survivor: Self.survivor, other: Self.other, sides: sides)
        #expect(
            merged.phones.map(\.number.e164) == ["+12125550143", "+17135550100", "+12125550199"])
        #expect(merged.phones.map(\.isPrimary) == [true, false, false])
        #expect(merged.phones.map(\.type) == [.mobile, .work, .home])
        #expect(merged.emails == ["mj@work.example", "maria@example.com"])
        #expect(merged.tags == ["vip", "spanish"])
        #expect(merged.address == "1 Main St")
        #expect(merged.city == "Houston")
        #expect(merged.zip == "77002")
    }

    @Test("a keep entry for an unknown field or side is a problem")
    func problems() {
        let (_, problems) = LeadMerge.choices(
            survivor: ["first_name": "A"], other: ["first_name": "B"],
            keep: ["first_name": "both", "shoe_size": "other"])
        #expect(problems.map(\.field) == ["keep.first_name", "keep.shoe_size"])
    }

    @Test("extra fields such as the owner take part in the choice")
    func extraFields() {
        let (sides, problems) = LeadMerge.choices(
            survivor: ["owner": "", "custom_fields.employer": "Acme"],
            other: ["owner": "u-2", "custom_fields.employer": "Globex"],
            keep: ["custom_fields.employer": "other"])
        #expect(problems.isEmpty)
        #expect(sides == ["owner": .other, "custom_fields.employer": .other])
    }
}
