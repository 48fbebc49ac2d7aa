import Foundation
import ReliefCore
import Testing

@Suite("Import mapping")
struct ImportMappingTests {
    @Test(
        "recognizes the usual header spellings",
        arguments: [
            ("First Name", LeadImportField.firstName), ("fname", .firstName), ("first", .firstName),
            ("Given Name", .firstName), ("FIRST_NAME", .firstName), ("Middle Name", .middleName),
            ("Last Name", .lastName), ("lname", .lastName), ("Surname", .lastName),
            ("Name", .fullName), ("Full Name", .fullName), ("Email", .email),
            ("E-mail Address", .email), ("Email 2", .email2), ("Phone", .phone),
            ("Phone Number", .phone), ("Phone #", .phone), ("Cell", .mobilePhone),
            ("Cell Phone", .mobilePhone), ("Mobile", .mobilePhone), ("Home Phone", .homePhone),
            ("Work Phone", .workPhone), ("Address", .address), ("Street", .address),
            ("Address 1", .address), ("Address Line 2", .address2), ("City", .city),
            ("State", .state), ("ST", .state), ("Zip", .zip), ("Zip Code", .zip),
            ("Postal Code", .zip), ("ZIP5", .zip), ("DOB", .dateOfBirth),
            ("Date of Birth", .dateOfBirth), ("Birthdate", .dateOfBirth), ("SSN", .ssn),
            ("Social", .ssn), ("Total Unsecured Debt", .totalUnsecuredDebt),
            ("Total Debt", .totalUnsecuredDebt), ("Debt Amount", .totalUnsecuredDebt),
            ("Unsecured Debt", .totalUnsecuredDebt), ("Monthly Income", .monthlyIncome),
            ("Income", .monthlyIncome), ("Employer", .employment), ("Employment", .employment),
            ("Hardship", .hardship), ("Source", .source), ("Lead Source", .source),
            ("Vendor", .source), ("Campaign", .campaign), ("Notes", .notes), ("Comments", .notes),
            ("Language", .language), ("Tags", .tags), ("ID", .externalID),
            ("Lead ID", .externalID), ("External ID", .externalID), ("utm_source", .utmSource),
            ("UTM Medium", .utmMedium), ("utm-campaign", .utmCampaign),
        ] as [(String, LeadImportField)])
    func automatic(header: String, field: LeadImportField) {
        let mapping = ImportMapping.automatic(headers: ["Unrelated", " \(header) "])

        #expect(mapping.columns == [header: field])
        #expect(mapping.resolve(headers: ["Unrelated", header]).fields == [nil, field])
    }

    @Test func neverMapsTwoColumnsToOneSingleField() {
        let headers = [
            "Phone", "Phone Number", "Email", "E-mail Address", "Notes", "Comments", "Tag",
        ]
        let mapping = ImportMapping.automatic(headers: headers)
        let resolved = mapping.resolve(headers: headers)

        #expect(
            mapping.columns == [
                "Phone": .phone, "Email": .email, "Notes": .notes, "Comments": .notes,
                "Tag": .tags,
            ])
        #expect(resolved.fields == [.phone, nil, .email, nil, .notes, .notes, .tags])
        #expect(resolved.unmappedColumns == [1, 3])
        #expect(resolved.columns(for: .notes) == [4, 5])
        #expect(resolved.conflicts.isEmpty)
    }

    @Test func aRepeatedHeaderFillsASingleFieldOnce() {
        let headers = ["Phone", "phone", "Tags", "TAGS"]
        let resolved = ImportMapping.automatic(headers: headers).resolve(headers: headers)

        #expect(resolved.fields == [.phone, nil, .tags, .tags])
        #expect(resolved.conflicts == [ResolvedMapping.Conflict(column: 1, field: .phone)])
    }

    @Test func encodesAsColumnsKeyedByHeaderText() throws {
        let mapping = ImportMapping(columns: ["First Name": .firstName, "Cell": .mobilePhone])
        let json = try mapping.json()

        #expect(
            String(decoding: json, as: UTF8.self)
                == #"{"columns":{"Cell":"mobile_phone","First Name":"first_name"}}"#)
        #expect(try ImportMapping(json: json) == mapping)
        #expect(throws: DecodingError.self) {
            try ImportMapping(json: Data(#"{"columns":{"A":"shoe_size"}}"#.utf8))
        }
    }

    @Test func aSavedMappingResolvesAgainstAnotherFile() throws {
        let saved = try ImportMapping(
            json: Data(
                #"{"columns":{"First Name":"first_name","Tel":"phone","Fax":"phone","Gone":"city"}}"#
                    .utf8))

        let resolved = saved.resolve(headers: ["first name", "Notes", "Fax", "TEL"])

        #expect(resolved.headers == ["first name", "Notes", "Fax", "TEL"])
        #expect(resolved.fields == [.firstName, nil, .phone, nil])
        #expect(resolved.conflicts == [ResolvedMapping.Conflict(column: 3, field: .phone)])
        #expect(resolved.unmappedColumns == [1, 3])
        #expect(resolved.missingHeaders == ["Gone"])
    }

    @Test func fieldsHaveSnakeCaseNamesAndLabels() {
        #expect(LeadImportField.allCases.count == 30)
        #expect(LeadImportField.email2.rawValue == "email_2")
        #expect(LeadImportField.totalUnsecuredDebt.rawValue == "total_unsecured_debt")
        #expect(LeadImportField.externalID.rawValue == "external_id")
        #expect(LeadImportField.zip.label == "ZIP code")
        #expect(Set(LeadImportField.allCases.map(\.label)).count == 30)
        #expect(LeadImportField.allCases.filter(\.acceptsManyColumns) == [.notes, .tags])
    }
}
