/// A lead field a column of an imported file can fill.
public enum LeadImportField: String, CaseIterable, Codable, Sendable {
    case firstName = "first_name"
    case middleName = "middle_name"
    case lastName = "last_name"
    /// A whole name, split into first, middle and last when those columns are missing.
    case fullName = "full_name"
    case email
    case email2 = "email_2"
    /// A phone of unknown type, taken as mobile.
    case phone
    case mobilePhone = "mobile_phone"
    case homePhone = "home_phone"
    case workPhone = "work_phone"
    case address
    case address2 = "address_2"
    case city
    case state
    case zip
    case dateOfBirth = "date_of_birth"
    case ssn
    case totalUnsecuredDebt = "total_unsecured_debt"
    case monthlyIncome = "monthly_income"
    case employment
    case hardship
    case source
    case campaign
    case notes
    case language
    case tags
    case externalID = "external_id"
    case utmSource = "utm_source"
    case utmMedium = "utm_medium"
    case utmCampaign = "utm_campaign"

    /// The field's name in the mapping screen.
    public var label: String {
        switch self {
        case .firstName: return "First name"
        case .middleName: return "Middle name"
        case .lastName: return "Last name"
        case .fullName: return "Full name"
        case .email: return "Email"
        case .email2: return "Second email"
        case .phone: return "Phone"
        case .mobilePhone: return "Mobile phone"
        case .homePhone: return "Home phone"
        case .workPhone: return "Work phone"
        case .address: return "Address"
        case .address2: return "Address line 2"
        case .city: return "City"
        case .state: return "State"
        case .zip: return "ZIP code"
        case .dateOfBirth: return "Date of birth"
        case .ssn: return "SSN"
        case .totalUnsecuredDebt: return "Total unsecured debt"
        case .monthlyIncome: return "Monthly income"
        case .employment: return "Employment"
        case .hardship: return "Hardship"
        case .source: return "Lead source"
        case .campaign: return "Campaign"
        case .notes: return "Notes"
        case .language: return "Language"
        case .tags: return "Tags"
        case .externalID: return "External ID"
        case .utmSource: return "UTM source"
        case .utmMedium: return "UTM medium"
        case .utmCampaign: return "UTM campaign"
        }
    }

    /// Whether several columns may fill the field: notes are joined line by line and tags
    /// are merged. Every other field takes one column.
    public var acceptsManyColumns: Bool { self == .notes || self == .tags }
}
