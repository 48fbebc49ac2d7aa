/// Which lead a merged field's value comes from.
public enum MergeSide: String, Sendable, Codable, CaseIterable {
    /// The lead that stays.
    case survivor
    /// The lead that is absorbed.
    case other
}

/// Merging two records of one person: which value of each field the surviving lead keeps, and
/// the merged contact details. Lists are never chosen between: every phone, e-mail and tag of
/// both leads is kept (the same number or address once), the chosen lead's primary first.
public enum LeadMerge {
    /// A field of the lead draft a merge chooses between.
    public struct Field: Sendable, Equatable {
        /// The name in the API's `keep` object and the merge form.
        public var key: String
        public var label: String
    }

    /// The draft fields, in page order. `phone` and `email` choose the primary one; `address`
    /// keeps street, apartment, city, state and ZIP together.
    public static let fields: [Field] = [
        Field(key: "first_name", label: "First name"),
        Field(key: "middle_name", label: "Middle name"),
        Field(key: "last_name", label: "Last name"),
        Field(key: "phone", label: "Primary phone"),
        Field(key: "email", label: "Primary e-mail"),
        Field(key: "address", label: "Address"),
        Field(key: "language", label: "Language"),
        Field(key: "date_of_birth", label: "Date of birth"),
        Field(key: "ssn", label: "SSN"),
        Field(key: "total_unsecured_debt_cents", label: "Stated unsecured debt"),
        Field(key: "monthly_income_cents", label: "Monthly income"),
        Field(key: "employment", label: "Employment"),
        Field(key: "hardship_notes", label: "Hardship"),
        Field(key: "source", label: "Source"),
        Field(key: "external_id", label: "External id"),
    ]

    /// The comparable value of every draft field ("" when empty). SSN and date of birth are
    /// in clear: compare them, never show them.
    public static func values(of draft: LeadDraft) -> [String: String] {
        let address = [draft.address, draft.address2, draft.city, draft.state, draft.zip]
            .map { $0 ?? "" }
        return [
            "first_name": draft.firstName ?? "", "middle_name": draft.middleName ?? "",
            "last_name": draft.lastName ?? "", "phone": draft.phones.first?.number.e164 ?? "",
            "email": draft.emails.first ?? "",
            "address": address.allSatisfy(\.isEmpty) ? "" : address.joined(separator: "|"),
            "language": draft.language ?? "", "date_of_birth": draft.dateOfBirth?.description ?? "",
            "ssn": draft.ssn?.digits ?? "",
            "total_unsecured_debt_cents": draft.totalUnsecuredDebtCents.map { String($0) } ?? "",
            "monthly_income_cents": draft.monthlyIncomeCents.map { String($0) } ?? "",
            "employment": draft.employment ?? "", "hardship_notes": draft.hardship ?? "",
            "source": draft.source ?? "", "external_id": draft.externalID ?? "",
        ]
    }

    /// The side that keeps a field when nobody chose: the survivor's value when it has one,
    /// else the other lead's.
    public static func defaultSide(survivor: String, other: String) -> MergeSide {
        survivor.isEmpty && !other.isEmpty ? .other : .survivor
    }

    /// The side of every field named in either value map: `keep[field]` ("survivor" or
    /// "other") when given, else ``defaultSide(survivor:other:)``. A `keep` entry naming no
    /// field or no side is a problem (field `keep.<name>`).
    public static func choices(
        survivor: [String: String], other: [String: String], keep: [String: String]
    ) -> (sides: [String: MergeSide], problems: [FieldProblem]) {
        var problems: [FieldProblem] = []
        let names = Set(survivor.keys).union(other.keys)
        for (name, side) in keep.sorted(by: { $0.key < $1.key }) {
            if !names.contains(name) {
                problems.append(
                    FieldProblem(field: "keep.\(name)", message: "There is no field \(name)."))
            } else if MergeSide(rawValue: side) == nil {
                problems.append(
                    FieldProblem(field: "keep.\(name)", message: "Use survivor or other."))
            }
        }
        var sides: [String: MergeSide] = [:]
        for name in names {
            sides[name] =
                keep[name].flatMap(MergeSide.init(rawValue:))
                ?? defaultSide(survivor: survivor[name] ?? "", other: other[name] ?? "")
        }
        return (sides, problems)
    }

    /// The surviving lead's draft: each field from its chosen side, every phone, e-mail and
    /// tag of both (the chosen primary first, no number or address twice), no note and no
    /// marketing touch (the merge keeps both leads' touches itself).
    public static func mergedDraft(
        survivor: LeadDraft, other: LeadDraft, sides: [String: MergeSide]
    ) -> LeadDraft {
        func pick<Value>(_ key: String, _ path: KeyPath<LeadDraft, Value>) -> Value {
            sides[key] == .other ? other[keyPath: path] : survivor[keyPath: path]
        }
        var draft = LeadDraft()
        draft.firstName = pick("first_name", \.firstName)
        draft.middleName = pick("middle_name", \.middleName)
        draft.lastName = pick("last_name", \.lastName)
        let home = sides["address"] == .other ? other : survivor
        draft.address = home.address
        draft.address2 = home.address2
        draft.city = home.city
        draft.state = home.state
        draft.zip = home.zip
        draft.language = pick("language", \.language)
        draft.dateOfBirth = pick("date_of_birth", \.dateOfBirth)
        draft.ssn = pick("ssn", \.ssn)
        draft.totalUnsecuredDebtCents = pick(
            "total_unsecured_debt_cents", \.totalUnsecuredDebtCents)
        draft.monthlyIncomeCents = pick("monthly_income_cents", \.monthlyIncomeCents)
        draft.employment = pick("employment", \.employment)
        draft.hardship = pick("hardship_notes", \.hardship)
        draft.source = pick("source", \.source)
        draft.campaign = survivor.campaign ?? other.campaign
        draft.externalID = pick("external_id", \.externalID)

        let phoneFirst = sides["phone"] == .other ? other.phones : survivor.phones
        let phoneSecond = sides["phone"] == .other ? survivor.phones : other.phones
        var seenNumbers = Set<String>()
        for phone in phoneFirst + phoneSecond
        where seenNumbers.insert(phone.number.nationalDigits).inserted {
            draft.phones.append(
                LeadPhone(number: phone.number, type: phone.type, isPrimary: draft.phones.isEmpty))
        }
        let emailFirst = sides["email"] == .other ? other.emails : survivor.emails
        let emailSecond = sides["email"] == .other ? survivor.emails : other.emails
        var seenEmails = Set<String>()
        draft.emails = (emailFirst + emailSecond).filter { seenEmails.insert($0).inserted }
        var seenTags = Set<String>()
        draft.tags = (survivor.tags + other.tags).filter { seenTags.insert($0).inserted }
        return draft
    }
}
