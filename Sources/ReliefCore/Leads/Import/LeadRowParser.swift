/// What one data row of a lead import holds.
public enum LeadRowOutcome: Sendable, Equatable {
    /// A lead ready to save.
    case lead(LeadDraft)
    /// Every problem found in the row; the row is not imported.
    case problems([FieldProblem])
    /// Every field is empty (spreadsheets export such rows after the data): skip it.
    case blank
}

/// Turns the fields of an import row into a ``LeadDraft``, checking every mapped value and
/// then the rules of ``LeadDraft/problems(today:)``, and reporting all problems at once.
public struct LeadRowParser: Sendable {
    public let mapping: ResolvedMapping
    /// The day dates of birth are checked against.
    public let today: CalendarDate
    private let columnsByField: [LeadImportField: [Int]]

    /// A parser for rows under `mapping`; their field count is checked against the number
    /// of headers the mapping was resolved with.
    public init(mapping: ResolvedMapping, today: CalendarDate) {
        self.mapping = mapping
        self.today = today
        columnsByField = Dictionary(
            grouping: mapping.fields.indices.filter { mapping.fields[$0] != nil },
            by: { mapping.fields[$0]! })
    }

    public func parse(_ fields: [String]) -> LeadRowOutcome {
        let trimmed = fields.map { $0.trimmed }
        if trimmed.allSatisfy(\.isEmpty) { return .blank }
        var row = RowReader(columnsByField: columnsByField, fields: trimmed)
        if fields.count != mapping.headers.count {
            row.problems.append(
                FieldProblem(
                    field: FieldProblem.row,
                    message: "The row has \(fields.count) fields but the header has "
                        + "\(mapping.headers.count) columns."))
        }
        var draft = LeadDraft()
        readName(&row, into: &draft)
        readContacts(&row, into: &draft)
        draft.address = row.text(.address)
        draft.address2 = row.text(.address2)
        draft.city = row.text(.city)
        draft.state = row.text(.state).flatMap { raw in
            let code = USState.code(matching: raw)
            if code == nil { row.report(.state, LeadDraft.unknownState) }
            return code
        }
        draft.zip = row.value(.zip, ZIPCode.parse)
        draft.dateOfBirth = row.value(.dateOfBirth) { raw throws(CalendarDateError) in
            try CalendarDate.dateOfBirth(raw, today: today)
        }
        draft.ssn = row.value(.ssn, SocialSecurityNumber.parse)
        draft.totalUnsecuredDebtCents = row.value(.totalUnsecuredDebt, MoneyAmount.nonNegativeCents)
        draft.monthlyIncomeCents = row.value(.monthlyIncome, MoneyAmount.nonNegativeCents)
        draft.employment = row.text(.employment)
        draft.hardship = row.text(.hardship)
        draft.source = row.text(.source)
        draft.campaign = row.text(.campaign)
        let notes = row.values(.notes)
        draft.notes = notes.isEmpty ? nil : notes.joined(separator: "\n")
        draft.language = row.text(.language).flatMap { raw in
            let code = LanguageCode.code(for: raw)
            if code == nil { row.report(.language, LeadDraft.unknownLanguage) }
            return code
        }
        draft.tags = Self.tags(row.values(.tags))
        draft.externalID = row.text(.externalID)
        draft.utmSource = row.text(.utmSource)
        draft.utmMedium = row.text(.utmMedium)
        draft.utmCampaign = row.text(.utmCampaign)

        var problems = row.problems
        let reported = Set(problems.map(\.field))
        let contactFields: [LeadImportField] = [
            .phone, .mobilePhone, .homePhone, .workPhone, .email, .email2,
        ]
        let contactReported = contactFields.contains { reported.contains($0.rawValue) }
        for problem in draft.problems(today: today) where !reported.contains(problem.field) {
            if problem.field == LeadImportField.phone.rawValue && contactReported { continue }
            problems.append(nameProblem(problem, fullNameUsed: row.usesFullName))
        }
        return problems.isEmpty ? .lead(draft) : .problems(problems)
    }

    /// First, middle and last name from their columns, completed from the full name column.
    private func readName(_ row: inout RowReader, into draft: inout LeadDraft) {
        draft.firstName = row.text(.firstName).map(PersonName.normalize)
        draft.middleName = row.text(.middleName).map(PersonName.normalize)
        draft.lastName = row.text(.lastName).map(PersonName.normalize)
        guard draft.firstName == nil || draft.lastName == nil else { return }
        row.usesFullName = columnsByField[.fullName] != nil
        guard let full = row.text(.fullName).flatMap(PersonName.split) else { return }
        let last = ([full.last] + [full.suffix].compactMap(\.self)).joined(separator: " ")
        draft.firstName = draft.firstName ?? (full.first.isEmpty ? nil : full.first)
        draft.middleName = draft.middleName ?? full.middle
        draft.lastName = draft.lastName ?? (full.last.isEmpty ? nil : last)
    }

    /// E-mails and phones in column order (the generic phone column first), without repeats.
    /// A number from the generic phone column, taken as mobile, gets the type of a typed
    /// column that repeats it.
    private func readContacts(_ row: inout RowReader, into draft: inout LeadDraft) {
        for field in [LeadImportField.email, .email2] {
            for raw in row.values(field) {
                guard let email = row.parsed(raw, field, EmailAddress.normalize) else { continue }
                if !draft.emails.contains(email) { draft.emails.append(email) }
            }
        }
        let phoneFields: [(LeadImportField, PhoneType)] = [
            (.phone, .mobile), (.mobilePhone, .mobile), (.homePhone, .home), (.workPhone, .work),
        ]
        var untyped: Set<String> = []
        for (field, type) in phoneFields {
            for raw in row.values(field) {
                guard let number = row.parsed(raw, field, PhoneNumber.parse) else { continue }
                let digits = number.nationalDigits
                if let index = draft.phones.firstIndex(where: { $0.number.nationalDigits == digits }
                ) {
                    if untyped.remove(digits) != nil { draft.phones[index].type = type }
                    continue
                }
                if field == .phone { untyped.insert(digits) }
                draft.phones.append(
                    LeadPhone(number: number, type: type, isPrimary: draft.phones.isEmpty))
            }
        }
    }

    /// A missing first or last name is reported on the full name column when that column is
    /// where the name was to come from.
    private func nameProblem(_ problem: FieldProblem, fullNameUsed: Bool) -> FieldProblem {
        let nameFields = [LeadImportField.firstName.rawValue, LeadImportField.lastName.rawValue]
        guard fullNameUsed, nameFields.contains(problem.field) else { return problem }
        return FieldProblem(.fullName, "Enter a first and a last name.")
    }

    /// Tags from every tags column, split at commas, semicolons and pipes, without repeats
    /// (compared without case).
    private static func tags(_ values: [String]) -> [String] {
        var tags: [String] = []
        var seen: Set<String> = []
        for value in values {
            for tag in value.split(whereSeparator: { ",;|".contains($0) }) {
                let tag = String(tag).trimmed
                if !tag.isEmpty, seen.insert(tag.lowercased()).inserted { tags.append(tag) }
            }
        }
        return tags
    }
}

/// The values of one row by field, collecting the problems of those that do not parse.
private struct RowReader {
    let columnsByField: [LeadImportField: [Int]]
    let fields: [String]
    var problems: [FieldProblem] = []
    /// Whether the name comes from the full name column.
    var usesFullName = false

    init(columnsByField: [LeadImportField: [Int]], fields: [String]) {
        self.columnsByField = columnsByField
        self.fields = fields
    }

    /// The non-empty values of the columns mapped to `field`.
    func values(_ field: LeadImportField) -> [String] {
        guard let columns = columnsByField[field] else { return [] }
        return columns.compactMap { $0 < fields.count && !fields[$0].isEmpty ? fields[$0] : nil }
    }

    /// The first non-empty value for `field`.
    func text(_ field: LeadImportField) -> String? {
        guard let columns = columnsByField[field] else { return nil }
        return columns.lazy.filter { $0 < fields.count }.map { fields[$0] }.first { !$0.isEmpty }
    }

    /// The first value for `field` parsed, or nil with a problem recorded when it is invalid.
    mutating func value<Value, Failure: FieldValueError>(
        _ field: LeadImportField, _ parse: (String) throws(Failure) -> Value
    ) -> Value? {
        guard let raw = text(field) else { return nil }
        return parsed(raw, field, parse)
    }

    /// `raw` parsed, or nil with a problem recorded for `field` when it is invalid.
    mutating func parsed<Value, Failure: FieldValueError>(
        _ raw: String, _ field: LeadImportField, _ parse: (String) throws(Failure) -> Value
    ) -> Value? {
        do {
            return try parse(raw)
        } catch {
            report(field, error.message)
            return nil
        }
    }

    mutating func report(_ field: LeadImportField, _ message: String) {
        problems.append(FieldProblem(field, message))
    }
}
