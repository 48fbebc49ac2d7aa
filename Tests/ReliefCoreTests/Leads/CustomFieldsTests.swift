import ReliefCore
import Testing

@Suite("Custom fields")
struct CustomFieldsTests {
    @Test(
        "values are checked by kind and stored canonically",
        arguments: [
            (CustomFieldKind.text, "  Acme Corp  ", "Acme Corp"),
            (.number, "1,234.50", "1234.5"), (.number, "-0.250", "-0.25"), (.number, "+7", "7"),
            (.number, "007", "7"), (.number, "-0", "0"), (.number, ".5", "0.5"),
            (.money, "$1,250.00", "125000"), (.money, "12", "1200"), (.money, "(5)", "-500"),
            (.date, "04/23/2026", "2026-04-23"), (.date, "2026-04-23", "2026-04-23"),
            (.choice, "chapter 7", "Chapter 7"), (.text, "   ", ""), (.money, "", ""),
        ] as [(CustomFieldKind, String, String)])
    func valid(kind: CustomFieldKind, raw: String, stored: String) {
        #expect(kind.validate(raw, choices: ["Chapter 7", "Chapter 13"]) == .success(stored))
    }

    @Test("refused values say why")
    func invalid() {
        #expect(CustomFieldKind.number.validate("12a") == .failure(.notANumber))
        #expect(CustomFieldKind.number.validate("1,23") == .failure(.notANumber))
        #expect(CustomFieldKind.number.validate("1.2.3") == .failure(.notANumber))
        #expect(CustomFieldKind.number.validate("5.") == .failure(.notANumber))
        #expect(CustomFieldKind.money.validate("12.345") == .failure(.money(.tooManyDecimals)))
        #expect(CustomFieldKind.date.validate("4/23/26") == .failure(.date(.twoDigitYear)))
        #expect(CustomFieldKind.date.validate("2026-02-30") == .failure(.date(.invalidDay)))
        let refused = CustomFieldKind.choice.validate("Chapter 11", choices: ["Chapter 7"])
        #expect(refused == .failure(.notAChoice(["Chapter 7"])))
        if case .failure(let error) = refused {
            #expect(error.message == "Choose one of: Chapter 7.")
        }
        let long = String(repeating: "x", count: CustomFieldKind.maxTextLength + 1)
        #expect(CustomFieldKind.text.validate(long) == .failure(.tooLong(max: 500)))
    }

    @Test("money shows as dollars and edits as plain dollars")
    func moneyPresentation() {
        #expect(CustomFieldKind.money.display("125000") == "$1,250.00")
        #expect(CustomFieldKind.money.editable("125000") == "1250.00")
        #expect(CustomFieldKind.text.display("125000") == "125000")
        // What the API returns goes back in unchanged.
        #expect(
            CustomFieldKind.money.validate(CustomFieldKind.money.editable("125000"))
                == .success("125000"))
    }

    @Test("definitions need a clean key, a label and, for choices, distinct options")
    func specRules() {
        #expect(CustomFieldSpec(key: "employer", label: "Employer", kind: .text).problems().isEmpty)
        let bad = CustomFieldSpec(key: "2nd Job", label: " ", kind: .choice, choices: [])
        #expect(Set(bad.problems().map(\.field)) == ["key", "label", "choices"])
        let repeated = CustomFieldSpec(
            key: "court", label: "Court", kind: .choice, choices: ["A", "a"])
        #expect(repeated.problems().map(\.message) == ["Give each choice once."])
        #expect(CustomFieldSpec(key: "x", label: "X", kind: .text, choices: ["A"]).choices == [])
        #expect(CustomFieldSpec.key(fromLabel: "Employer name") == "employer_name")
        #expect(CustomFieldSpec.key(fromLabel: "2nd job?") == "f_2nd_job")
        #expect(CustomFieldSpec.key(fromLabel: "Tribunal (Méx.)") == "tribunal_mex")
        #expect(CustomFieldSpec.choices(fromText: "A\n B \n\nC") == ["A", "B", "C"])
        #expect(CustomFieldSpec.choices(fromText: "A, B,C") == ["A", "B", "C"])
    }
}
