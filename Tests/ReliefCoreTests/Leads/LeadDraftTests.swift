import ReliefCore
import Testing

/// The rules the JSON API relies on when it builds a draft itself.
@Suite("Lead draft rules")
struct LeadDraftTests {
    static let today = CalendarDate(year: 2025, month: 6, day: 15)!

    static func valid() throws -> LeadDraft {
        var draft = LeadDraft()
        draft.firstName = "Ann"
        draft.lastName = "Lee"
        draft.phones = [
            LeadPhone(number: try PhoneNumber.parse("2025550143"), type: .mobile, isPrimary: true)
        ]
        return draft
    }

    @Test func aCompleteDraftHasNoProblems() throws {
        var draft = try Self.valid()
        draft.emails = ["ann@example.com", "ann.lee@example.com"]
        draft.state = "TX"
        draft.zip = "02134"
        draft.dateOfBirth = CalendarDate(year: 1980, month: 4, day: 23)
        draft.totalUnsecuredDebtCents = 0
        draft.language = "es"

        #expect(draft.problems(today: Self.today).isEmpty)
    }

    @Test func reportsBrokenRulesByField() throws {
        var draft = try Self.valid()
        draft.firstName = "  "
        draft.emails = ["Ann@Example.com", "a@b.co", "a@b.co"]
        draft.phones.append(draft.phones[0])
        draft.state = "Texas"
        draft.zip = "2134"
        draft.dateOfBirth = CalendarDate(year: 2010, month: 1, day: 1)
        draft.totalUnsecuredDebtCents = -1
        draft.monthlyIncomeCents = -1
        draft.language = "Spanish"

        #expect(
            draft.problems(today: Self.today).map(\.field) == [
                "first_name", "email", "email_2", "phone", "phone", "state", "zip",
                "date_of_birth", "total_unsecured_debt", "monthly_income", "language",
            ])
    }

    @Test func needsAPhoneOrAnEmail() throws {
        var draft = try Self.valid()
        draft.phones = []

        #expect(
            draft.problems(today: Self.today) == [
                FieldProblem(field: "phone", message: "Enter a phone number or an email address.")
            ])
        draft.emails = ["ann@example.com"]
        #expect(draft.problems(today: Self.today).isEmpty)
    }

    @Test func thePrimaryPhoneComesFirst() throws {
        var draft = try Self.valid()
        draft.phones.append(
            LeadPhone(number: try PhoneNumber.parse("2025550100"), type: .home, isPrimary: true))

        #expect(
            draft.problems(today: Self.today).map(\.message) == [
                "Exactly one phone, listed first, is primary."
            ])
        draft.phones[0].isPrimary = false
        #expect(draft.problems(today: Self.today).count == 1)
        draft.phones[1].isPrimary = false
        draft.phones[0].isPrimary = true
        #expect(draft.problems(today: Self.today).isEmpty)
    }
}
