import Foundation

/// The kind of an organization's custom lead field: how a value is checked and stored.
///
/// Values live as text in `leads.custom_fields` (key -> value): text as typed (trimmed), numbers
/// as a plain decimal ("-1234.5"), money as integer cents ("123450"), dates as "YYYY-MM-DD" and
/// choices as the option's own spelling. An empty value clears the field.
public enum CustomFieldKind: String, Sendable, Codable, CaseIterable {
    case text, number, money, date, choice

    /// The longest text value.
    public static let maxTextLength = 500

    public var label: String {
        switch self {
        case .text: "Text"
        case .number: "Number"
        case .money: "Money ($)"
        case .date: "Date"
        case .choice: "Choice"
        }
    }

    /// The text to store for a typed-in or API value, or why it is refused. An empty (or blank)
    /// value is `.success("")`, which clears the field. `choices` are the options of a
    /// `choice` field; other kinds ignore them.
    public func validate(_ raw: String, choices: [String] = []) -> Result<String, CustomFieldError>
    {
        let text = raw.trimmed
        if text.isEmpty { return .success("") }
        switch self {
        case .text:
            return text.count <= Self.maxTextLength
                ? .success(text) : .failure(.tooLong(max: Self.maxTextLength))
        case .number:
            return Self.decimal(text).map { .success($0) } ?? .failure(.notANumber)
        case .money:
            do {
                return .success(String(try MoneyAmount.cents(text)))
            } catch {
                return .failure(.money(error))
            }
        case .date:
            do {
                return .success(try CalendarDate.parse(text).description)
            } catch {
                return .failure(.date(error))
            }
        case .choice:
            let folded = text.lowercased()
            if let match = choices.first(where: { $0.lowercased() == folded }) {
                return .success(match)
            }
            return .failure(.notAChoice(choices))
        }
    }

    /// A stored value as a page shows it: "$1,234.50" for money, the stored text otherwise.
    public func display(_ stored: String) -> String {
        guard self == .money, let cents = Int64(stored) else { return stored }
        return MoneyFormat.dollars(cents)
    }

    /// A stored value as a form field and the API carry it, so it reads back unchanged when
    /// sent again: plain dollars ("1234.50") for money, the stored text otherwise.
    public func editable(_ stored: String) -> String {
        guard self == .money, let cents = Int64(stored) else { return stored }
        return MoneyFormat.plain(cents)
    }

    /// "1,234.50", "+7", "-0.250" as "1234.5", "7", "-0.25"; nil unless it is a decimal number
    /// with at most 15 digits before and 6 after the point.
    static func decimal(_ text: String) -> String? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        let grouped =
            groups.count == 1
            || ((1...3).contains(groups[0].count)
                && groups.dropFirst().allSatisfy { $0.count == 3 })
        let digits = groups.joined()
        guard grouped, !(digits.isEmpty && fraction.isEmpty), parts.count == 1 || !fraction.isEmpty,
            digits.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            digits.count <= 15, fraction.count <= 6
        else { return nil }
        var integer = String(digits.drop { $0 == "0" })
        if integer.isEmpty { integer = "0" }
        var decimals = Substring(fraction)
        while decimals.last == "0" { decimals.removeLast() }
        let value = decimals.isEmpty ? integer : integer + "." + decimals
        return negative && value != "0" ? "-" + value : value
    }
}

/// Why a custom field value is refused, as a sentence for the person who entered it.
public enum CustomFieldError: FieldValueError, Equatable, CustomStringConvertible {
    case tooLong(max: Int)
    case notANumber
    case money(MoneyError)
    case date(CalendarDateError)
    case notAChoice([String])

    public var message: String {
        switch self {
        case .tooLong(let max): "Keep it under \(max) characters."
        case .notANumber: "Enter a number, like 1,234.5."
        case .money(let error): error.message
        case .date(let error): error.message
        case .notAChoice(let choices):
            "Choose one of: " + choices.joined(separator: ", ") + "."
        }
    }

    public var description: String { message }
}

/// The definition of a custom field as an administrator enters it, with the rules it must meet.
public struct CustomFieldSpec: Sendable, Equatable {
    /// The stable key in `leads.custom_fields` and the API: a lower-case letter, then up to 39
    /// lower-case letters, digits or underscores.
    public var key: String
    public var label: String
    public var kind: CustomFieldKind
    /// The options of a `choice` field, in order; empty for other kinds.
    public var choices: [String]

    public static let maxChoices = 50

    public init(key: String, label: String, kind: CustomFieldKind, choices: [String] = []) {
        self.key = key
        self.label = label
        self.kind = kind
        self.choices = kind == .choice ? choices : []
    }

    /// Every rule the definition breaks, empty when it can be saved.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if !Self.isValidKey(key) {
            problems.append(
                FieldProblem(
                    field: "key",
                    message:
                        "Use a lower-case letter, then up to 39 lower-case letters, digits or "
                        + "underscores, like employer_name."))
        }
        let label = label.trimmed
        if label.isEmpty || label.count > 80 {
            problems.append(
                FieldProblem(field: "label", message: "Enter a label (up to 80 characters)."))
        }
        if kind == .choice {
            let folded = choices.map { $0.lowercased() }
            if choices.isEmpty || choices.count > Self.maxChoices {
                problems.append(
                    FieldProblem(
                        field: "choices",
                        message: "Give 1 to \(Self.maxChoices) choices, one per line."))
            } else if Set(folded).count != folded.count {
                problems.append(FieldProblem(field: "choices", message: "Give each choice once."))
            } else if choices.contains(where: { $0.isEmpty || $0.count > 80 }) {
                problems.append(
                    FieldProblem(field: "choices", message: "Keep each choice under 80 characters.")
                )
            }
        }
        return problems
    }

    /// Whether `key` is a usable field key.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, key.unicodeScalars.count <= 40,
            ("a"..."z").contains(first)
        else { return false }
        return key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }

    /// A key made from a label: "Employer name" -> "employer_name", "2nd job?" -> "f_2nd_job".
    public static func key(fromLabel label: String) -> String {
        let folded = label.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased()
        var key = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                key.unicodeScalars.append(scalar)
            } else if !key.isEmpty, key.last != "_" {
                key += "_"
            }
        }
        while key.last == "_" { key.removeLast() }
        if let first = key.unicodeScalars.first, !("a"..."z").contains(first) { key = "f_" + key }
        return String(key.prefix(40))
    }

    /// Choices typed one per line (or separated by commas when on one line), trimmed, blanks
    /// dropped.
    public static func choices(fromText text: String) -> [String] {
        let separator: Character = text.contains(where: \.isNewline) ? "\n" : ","
        return text.split(separator: separator).map { String($0).trimmed }.filter { !$0.isEmpty }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
