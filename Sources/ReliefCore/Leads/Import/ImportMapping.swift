import Foundation

/// Which lead field each column of an import file fills, keyed by the header text so a
/// mapping saved for one source applies to its next file with the same headers. Encodes as
/// `{"columns":{"First Name":"first_name",...}}`; columns it does not name are not imported.
public struct ImportMapping: Codable, Sendable, Equatable {
    /// Header text to field.
    public var columns: [String: LeadImportField]

    public init(columns: [String: LeadImportField] = [:]) {
        self.columns = columns
    }

    /// Decodes a saved mapping; throws on malformed JSON or an unknown field name.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(ImportMapping.self, from: json)
    }

    /// The JSON to save, keys sorted.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// A mapping from the usual spellings of each field's header ("First Name", "fname",
    /// "E-mail Address", "Cell Phone", "Zip Code", "DOB", "Total Debt", ...), compared without
    /// case, spaces or punctuation. A header naming a field an earlier column already fills
    /// is left out (unless the field takes many columns), so it shows as not imported.
    public static func automatic(headers: [String]) -> ImportMapping {
        var mapping = ImportMapping()
        var taken: Set<LeadImportField> = []
        for header in headers {
            guard let field = aliases[key(header)], !taken.contains(field) else { continue }
            if !field.acceptsManyColumns { taken.insert(field) }
            mapping.columns[header.trimmed] = field
        }
        return mapping
    }

    /// The mapping applied to a file's header row. Headers match without case, spaces or
    /// punctuation. When several columns name one single-column field, the first fills it and
    /// the others are reported as conflicts and not imported.
    public func resolve(headers: [String]) -> ResolvedMapping {
        var fieldsByKey: [String: LeadImportField] = [:]
        for (header, field) in columns.sorted(by: { $0.key < $1.key }) {
            fieldsByKey[Self.key(header)] = fieldsByKey[Self.key(header)] ?? field
        }
        var fields: [LeadImportField?] = []
        var conflicts: [ResolvedMapping.Conflict] = []
        var taken: Set<LeadImportField> = []
        var foundKeys: Set<String> = []
        for (column, header) in headers.enumerated() {
            let key = Self.key(header)
            guard let field = fieldsByKey[key] else {
                fields.append(nil)
                continue
            }
            foundKeys.insert(key)
            if taken.contains(field) {
                conflicts.append(ResolvedMapping.Conflict(column: column, field: field))
                fields.append(nil)
                continue
            }
            if !field.acceptsManyColumns { taken.insert(field) }
            fields.append(field)
        }
        let missing = columns.keys.filter { !foundKeys.contains(Self.key($0)) }.sorted()
        return ResolvedMapping(
            headers: headers, fields: fields, conflicts: conflicts, missingHeaders: missing)
    }

    /// A header compared without case, white space or punctuation: "E-mail Address" is
    /// "emailaddress".
    static func key(_ header: String) -> String {
        header.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    /// Header keys (see ``key(_:)``) that name each field.
    private static let aliases: [String: LeadImportField] = {
        let spellings: [LeadImportField: [String]] = [
            .firstName: ["firstname", "fname", "first", "givenname", "forename"],
            .middleName: ["middlename", "middle", "mname", "middleinitial", "mi"],
            .lastName: ["lastname", "lname", "last", "surname", "familyname"],
            .fullName: ["name", "fullname", "leadname", "contactname", "customername"],
            .email: ["email", "emailaddress", "email1", "primaryemail"],
            .email2: ["email2", "emailaddress2", "secondaryemail", "alternateemail", "altemail"],
            .phone: [
                "phone", "phonenumber", "phone1", "primaryphone", "telephone", "tel",
                "contactnumber",
            ],
            .mobilePhone: ["cell", "cellphone", "cellnumber", "mobile", "mobilephone"],
            .homePhone: ["homephone", "homenumber", "homephonenumber"],
            .workPhone: ["workphone", "businessphone", "officephone", "workphonenumber"],
            .address: ["address", "street", "address1", "streetaddress", "addressline1"],
            .address2: ["address2", "addressline2", "apt", "suite", "unit"],
            .city: ["city", "town"],
            .state: ["state", "st", "stateprovince", "province"],
            .zip: ["zip", "zipcode", "postalcode", "zip5", "postcode"],
            .dateOfBirth: ["dob", "dateofbirth", "birthdate", "birthday"],
            .ssn: ["ssn", "social", "socialsecurity", "socialsecuritynumber"],
            .totalUnsecuredDebt: [
                "totalunsecureddebt", "totaldebt", "debtamount", "unsecureddebt", "debt",
            ],
            .monthlyIncome: ["monthlyincome", "income", "grossmonthlyincome"],
            .employment: ["employment", "employer", "employmentstatus", "occupation"],
            .hardship: ["hardship", "hardshipreason"],
            .source: ["source", "leadsource", "vendor", "leadvendor"],
            .campaign: ["campaign", "campaignname"],
            .notes: ["notes", "note", "comments", "comment", "remarks"],
            .language: ["language", "preferredlanguage", "lang"],
            .tags: ["tags", "tag", "labels"],
            .externalID: ["id", "leadid", "externalid", "vendorleadid", "recordid"],
            .utmSource: ["utmsource"],
            .utmMedium: ["utmmedium"],
            .utmCampaign: ["utmcampaign"],
        ]
        return Dictionary(
            uniqueKeysWithValues: spellings.flatMap { field, keys in keys.map { ($0, field) } })
    }()
}

/// An ``ImportMapping`` applied to one file's header row.
public struct ResolvedMapping: Sendable, Equatable {
    /// A column the mapping names for a field an earlier column already fills.
    public struct Conflict: Sendable, Equatable {
        public var column: Int
        public var field: LeadImportField

        public init(column: Int, field: LeadImportField) {
            self.column = column
            self.field = field
        }
    }

    /// The file's header row.
    public let headers: [String]
    /// The field each column fills, by column index; nil for a column not imported.
    public let fields: [LeadImportField?]
    public let conflicts: [Conflict]
    /// Headers the mapping names that the file does not have, sorted.
    public let missingHeaders: [String]

    /// The indexes of the columns not imported (unmapped or in conflict).
    public var unmappedColumns: [Int] { fields.indices.filter { fields[$0] == nil } }

    /// The columns that fill `field`, in file order.
    public func columns(for field: LeadImportField) -> [Int] {
        fields.indices.filter { fields[$0] == field }
    }
}
