import Fluent
import Foundation
import ReliefCore
import Vapor

/// Builds ``LeadDraft`` values from the lead form, the API body and a stored lead. The form
/// goes through the importer's ``LeadRowParser`` (its fields are named like import columns),
/// the API through the same value parsers with typed amounts; both end in
/// ``LeadDraft/problems(today:)``, so the rules live in one place.
enum LeadDrafts {
    /// The draft from the lead form's fields. `base` (the stored lead, on edit) supplies the
    /// SSN and date of birth when their fields are left blank.
    static func fromForm(_ values: [String: String], base: LeadDraft?, today: CalendarDate) throws
        -> LeadDraft
    {
        var columns: [String: LeadImportField] = [:]
        var headers: [String] = []
        var fields: [String] = []
        for field in LeadImportField.allCases {
            guard let value = values[field.rawValue] else { continue }
            if base != nil, field == .ssn || field == .dateOfBirth, value.isEmpty { continue }
            columns[field.rawValue] = field
            headers.append(field.rawValue)
            fields.append(value)
        }
        let parser = LeadRowParser(
            mapping: ImportMapping(columns: columns).resolve(headers: headers), today: today)
        switch parser.parse(fields) {
        case .lead(var draft):
            if let type = values["phone_type"].flatMap(PhoneType.init(rawValue:)),
                !draft.phones.isEmpty
            {
                draft.phones[0].type = type
            }
            if let base {
                if values["ssn"]?.isEmpty ?? true { draft.ssn = base.ssn }
                if values["date_of_birth"]?.isEmpty ?? true { draft.dateOfBirth = base.dateOfBirth }
            }
            return draft
        case .problems(let problems):
            throw failure(problems, rename: [:])
        case .blank:
            throw ValidationFailure(fields: ["first_name": "Enter a first name."])
        }
    }

    /// The draft from an API body: the fields given replace those of `base` (PATCH), the
    /// others keep their stored values.
    static func fromRequest(_ body: LeadRequest, base: LeadDraft?, today: CalendarDate) throws
        -> LeadDraft
    {
        var draft = base ?? LeadDraft()
        var problems: [FieldProblem] = []
        func parse<Value, Failure: FieldValueError>(
            _ raw: String?, _ field: String, _ parser: (String) throws(Failure) -> Value
        ) -> Value?? {
            guard let raw else { return nil }
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return .some(nil) }
            do {
                return .some(try parser(trimmed))
            } catch {
                problems.append(FieldProblem(field: field, message: error.message))
                return .some(nil)
            }
        }
        func text(_ value: String?, _ keyPath: WritableKeyPath<LeadDraft, String?>) {
            guard let value else { return }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            draft[keyPath: keyPath] = trimmed.isEmpty ? nil : trimmed
        }
        text(body.firstName.map(PersonName.normalize), \.firstName)
        text(body.middleName.map(PersonName.normalize), \.middleName)
        text(body.lastName.map(PersonName.normalize), \.lastName)
        if let emails = body.emails {
            draft.emails = emails.enumerated().compactMap { index, raw in
                parse(raw, index == 0 ? "email" : "emails[\(index)]", EmailAddress.normalize)
                    ?? nil
            }
        } else if let email = body.email {
            let parsed = parse(email, "email", EmailAddress.normalize) ?? nil
            let others = draft.emails.dropFirst().filter { $0 != parsed }
            draft.emails = (parsed.map { [$0] } ?? []) + others
        }
        if let phones = body.phones {
            draft.phones = []
            for (index, phone) in phones.enumerated() {
                guard
                    let number = parse(phone.number, "phones[\(index)].number", PhoneNumber.parse)
                        ?? nil
                else { continue }
                let type = phone.type.flatMap(PhoneType.init(loose:)) ?? .mobile
                if draft.phones.contains(where: {
                    $0.number.nationalDigits == number.nationalDigits
                }) {
                    continue
                }
                draft.phones.append(
                    LeadPhone(number: number, type: type, isPrimary: draft.phones.isEmpty))
            }
        } else if let phone = body.phone {
            let number = parse(phone, "phone", PhoneNumber.parse) ?? nil
            var rest = Array(draft.phones.dropFirst())
            rest.removeAll { $0.number.nationalDigits == number?.nationalDigits }
            if let number {
                let type =
                    body.phoneType.flatMap(PhoneType.init(loose:)) ?? draft.phones.first?.type
                    ?? .mobile
                draft.phones = [LeadPhone(number: number, type: type, isPrimary: true)] + rest
            } else {
                draft.phones = rest.enumerated().map { index, phone in
                    var phone = phone
                    phone.isPrimary = index == 0
                    return phone
                }
            }
        }
        text(body.address, \.address)
        text(body.address2, \.address2)
        text(body.city, \.city)
        if let state = body.state {
            let trimmed = state.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                draft.state = nil
            } else if let code = USState.code(matching: trimmed) {
                draft.state = code
            } else {
                problems.append(
                    FieldProblem(
                        field: "state",
                        message: "Enter a US state or territory, or its two-letter code like TX."))
            }
        }
        if let zip = parse(body.zip, "zip", ZIPCode.parse) { draft.zip = zip }
        if let ssn = parse(body.ssn, "ssn", SocialSecurityNumber.parse) { draft.ssn = ssn }
        if let dateOfBirth = parse(
            body.dateOfBirth, "date_of_birth",
            { raw throws(CalendarDateError) in try CalendarDate.dateOfBirth(raw, today: today) })
        {
            draft.dateOfBirth = dateOfBirth
        }
        if let cents = body.totalUnsecuredDebtCents { draft.totalUnsecuredDebtCents = cents }
        if let cents = body.monthlyIncomeCents { draft.monthlyIncomeCents = cents }
        text(body.employment, \.employment)
        text(body.hardshipNotes, \.hardship)
        if let language = body.language {
            if let code = LanguageCode.code(for: language) {
                draft.language = code
            } else {
                problems.append(
                    FieldProblem(
                        field: "language",
                        message: "Enter a language such as English or Spanish, or a code like es."))
            }
        }
        text(body.source, \.source)
        text(body.campaign, \.campaign)
        text(body.notes, \.notes)
        if let tags = body.tags { draft.tags = tags }
        text(body.externalID, \.externalID)
        text(body.utmSource, \.utmSource)
        text(body.utmMedium, \.utmMedium)
        text(body.utmCampaign, \.utmCampaign)
        let reported = Set(problems.map(\.field))
        problems += draft.problems(today: today).filter { !reported.contains($0.field) }
        if !problems.isEmpty {
            throw failure(
                problems,
                rename: [
                    "total_unsecured_debt": "total_unsecured_debt_cents",
                    "monthly_income": "monthly_income_cents", "hardship": "hardship_notes",
                ])
        }
        return draft
    }

    /// The lead's phones and e-mails only (from its loaded details), for a duplicate check:
    /// nothing sealed is opened.
    static func contacts(of leadID: UUID, in details: LeadDetails) -> LeadDraft {
        var draft = LeadDraft()
        draft.emails = details.emails[leadID] ?? []
        draft.phones = (details.phones[leadID] ?? []).enumerated().compactMap { index, record in
            guard let number = try? PhoneNumber.parse(record.e164) else { return nil }
            return LeadPhone(
                number: number, type: PhoneType(rawValue: record.type) ?? .mobile,
                isPrimary: index == 0)
        }
        return draft
    }

    /// The stored lead as a draft (SSN and date of birth opened), the base of edits.
    static func current(of lead: Lead, service: LeadService) async throws -> LeadDraft {
        let leadID = try lead.requireID()
        let database = service.database
        let organizationID = service.organizationID
        var draft = LeadDraft()
        draft.firstName = lead.firstName.isEmpty ? nil : lead.firstName
        draft.middleName = lead.middleName.isEmpty ? nil : lead.middleName
        draft.lastName = lead.lastName.isEmpty ? nil : lead.lastName
        draft.emails = try await LeadEmailRecord.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).sort(\.$isPrimary, .descending).sort(\.$createdAt)
            .all().map(\.email)
        draft.phones = try await LeadPhoneRecord.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).sort(\.$isPrimary, .descending).sort(\.$createdAt)
            .all().enumerated().compactMap { index, record in
                guard let number = try? PhoneNumber.parse(record.e164) else { return nil }
                return LeadPhone(
                    number: number, type: PhoneType(rawValue: record.type) ?? .mobile,
                    isPrimary: index == 0)
            }
        func optional(_ text: String) -> String? { text.isEmpty ? nil : text }
        draft.address = optional(lead.address)
        draft.address2 = optional(lead.address2)
        draft.city = optional(lead.city)
        draft.state = optional(lead.state)
        draft.zip = optional(lead.zip)
        let cipher = service.services.cipher
        let record = leadID.uuidString
        if let sealed = lead.dateOfBirth {
            draft.dateOfBirth = try? CalendarDate.parse(
                try cipher.open(sealed, context: "leads.date_of_birth", record: record))
        }
        if let sealed = lead.ssn {
            draft.ssn = try? SocialSecurityNumber.parse(
                try cipher.open(sealed, context: "leads.ssn", record: record))
        }
        draft.totalUnsecuredDebtCents = lead.statedUnsecuredDebtCents
        draft.monthlyIncomeCents = lead.monthlyIncomeCents
        draft.employment = optional(lead.employment)
        draft.hardship = optional(lead.hardshipNotes)
        draft.language = lead.language
        if let sourceID = lead.sourceID {
            draft.source = try await LeadSource.find(sourceID, in: organizationID, on: database)?
                .name
        }
        draft.tags = try await LeadTag.query(in: organizationID, on: database)
            .filter(\.$leadID == leadID).sort(\.$tag).all().map(\.tag)
        draft.externalID = lead.externalID
        return draft
    }

    /// The lead form's field values for a stored lead (never the SSN or date of birth).
    static func formValues(of lead: Lead, service: LeadService) async throws -> [String: String] {
        let draft = try await current(of: lead, service: service)
        var values: [String: String] = [
            "first_name": draft.firstName ?? "", "middle_name": draft.middleName ?? "",
            "last_name": draft.lastName ?? "", "email": draft.emails.first ?? "",
            "email_2": draft.emails.dropFirst().first ?? "",
            "phone": draft.phones.first?.number.formatted ?? "",
            "phone_type": draft.phones.first?.type.rawValue ?? "mobile",
            "home_phone": draft.phones.dropFirst().first?.number.formatted ?? "",
            "address": draft.address ?? "", "address_2": draft.address2 ?? "",
            "city": draft.city ?? "", "state": draft.state ?? "", "zip": draft.zip ?? "",
            "employment": draft.employment ?? "", "hardship": draft.hardship ?? "",
            "language": draft.language ?? "en", "source": draft.source ?? "",
            "tags": draft.tags.joined(separator: ", "),
        ]
        values["total_unsecured_debt"] = draft.totalUnsecuredDebtCents.map(MoneyFormat.plain) ?? ""
        values["monthly_income"] = draft.monthlyIncomeCents.map(MoneyFormat.plain) ?? ""
        return values
    }

    /// Every problem as a field message (the first per field), with the API's field names.
    private static func failure(_ problems: [FieldProblem], rename: [String: String])
        -> ValidationFailure
    {
        var fields: [String: String] = [:]
        for problem in problems {
            let name = rename[problem.field] ?? problem.field
            if fields[name] == nil { fields[name] = problem.message }
        }
        return ValidationFailure(fields: fields)
    }
}
