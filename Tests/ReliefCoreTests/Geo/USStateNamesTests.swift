import ReliefCore
import Testing

@Suite("US state names")
struct USStateNamesTests {
    @Test(
        "reads USPS codes and state names",
        arguments: [
            ("TX", "TX"), ("tx", "TX"), ("Texas", "TX"), ("  new   york ", "NY"), ("D.C.", "DC"),
            ("District of Columbia", "DC"), ("Puerto Rico", "PR"), ("U.S. Virgin Islands", "VI"),
            ("GU", "GU"), ("XX", nil), ("Tex", nil), ("", nil), ("Ontario", nil),
        ] as [(String, String?)])
    func states(input: String, code: String?) {
        #expect(USState.code(forNameOrCode: input) == code)
    }

    @Test func everyStateNameGivesAKnownCode() {
        let names = [
            "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
            "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
            "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
            "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
            "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
            "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
            "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia",
            "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
            "Puerto Rico", "Virgin Islands", "Guam", "American Samoa", "Northern Mariana Islands",
        ]
        let codes = names.compactMap(USState.code(forNameOrCode:))

        #expect(Set(codes) == USState.codes)
    }
}
