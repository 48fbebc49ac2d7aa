import Foundation
import ReliefCore
import Vapor

/// The JSON body of `POST /api/v1/leads` and `PATCH /api/v1/leads/{id}`. Every field is
/// optional so PATCH can send only what changes; `email` and `phone` are shorthands for the
/// primary ones, `emails` and `phones` replace the whole lists.
struct LeadRequest: Content {
    struct Phone: Content {
        var number: String
        var type: String?
    }

    struct ConsentInput: Content {
        var kind: String
        var granted: Bool?
        var contact: String?
        var disclosureText: String
        var capturedAt: Date?
        var source: String?
        var sourceDetail: String?
        var ip: String?
        var userAgent: String?

        enum CodingKeys: String, CodingKey {
            case kind, granted, contact, source, ip
            case disclosureText = "disclosure_text"
            case capturedAt = "captured_at"
            case sourceDetail = "source_detail"
            case userAgent = "user_agent"
        }

        /// The consent to record; the source defaults to `api`.
        func capture(index: Int, request: Request) throws -> ConsentCapture {
            var check = FieldCheck()
            let kind = ConsentKind(rawValue: kind)
            check.require(
                kind != nil, "consents[\(index)].kind",
                "Use one of: " + ConsentKind.allCases.map(\.rawValue).joined(separator: ", "))
            let source = ConsentSource(rawValue: source ?? ConsentSource.api.rawValue)
            check.require(
                source != nil, "consents[\(index)].source",
                "Use one of: " + ConsentSource.allCases.map(\.rawValue).joined(separator: ", "))
            check.require(
                !disclosureText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "consents[\(index)].disclosure_text",
                "Give the exact disclosure text the consumer agreed to.")
            try check.throwIfFailed()
            return ConsentCapture(
                kind: kind ?? .tcpaCallsTexts, granted: granted ?? true, contact: contact ?? "",
                disclosureText: disclosureText, capturedAt: capturedAt ?? request.now,
                source: source ?? .api, sourceDetail: sourceDetail ?? "",
                ip: ip ?? "", userAgent: userAgent ?? "")
        }
    }

    var firstName: String?
    var middleName: String?
    var lastName: String?
    var email: String?
    var emails: [String]?
    var phone: String?
    var phoneType: String?
    var phones: [Phone]?
    var address: String?
    var address2: String?
    var city: String?
    var state: String?
    var zip: String?
    var ssn: String?
    var dateOfBirth: String?
    var totalUnsecuredDebtCents: Int64?
    var monthlyIncomeCents: Int64?
    var employment: String?
    var hardshipNotes: String?
    var language: String?
    var source: String?
    var campaign: String?
    var notes: String?
    var tags: [String]?
    var externalID: String?
    var utmSource: String?
    var utmMedium: String?
    var utmCampaign: String?
    var ownerID: UUID?
    var teamID: UUID?
    var consents: [ConsentInput]?
    /// Custom field values by key (`null` or `""` clears one).
    var customFields: [String: CustomFieldInput]?
    var allowDuplicate: Bool?

    enum CodingKeys: String, CodingKey {
        case email, emails, phone, phones, address, city, state, zip, ssn, employment
        case language, source, campaign, notes, tags, consents
        case firstName = "first_name"
        case middleName = "middle_name"
        case lastName = "last_name"
        case phoneType = "phone_type"
        case address2 = "address_2"
        case dateOfBirth = "date_of_birth"
        case totalUnsecuredDebtCents = "total_unsecured_debt_cents"
        case monthlyIncomeCents = "monthly_income_cents"
        case hardshipNotes = "hardship_notes"
        case externalID = "external_id"
        case utmSource = "utm_source"
        case utmMedium = "utm_medium"
        case utmCampaign = "utm_campaign"
        case ownerID = "owner_id"
        case teamID = "team_id"
        case allowDuplicate = "allow_duplicate"
        case customFields = "custom_fields"
    }

    /// The custom field values to set, as text.
    var customFieldValues: [String: String] { (customFields ?? [:]).mapValues(\.text) }
}

/// One custom field value in a JSON body: a string, a number (taken as its text, so `1250.5`
/// and `"1250.5"` are the same) or `null` (clears the field).
struct CustomFieldInput: Codable, Sendable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int64.self) {
            text = String(integer)
        } else if let number = try? container.decode(Double.self) {
            text = String(number)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected a string, a number or null.")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
