/// USPS codes of the states, DC and the territories where US consumers live.
public enum USState {
    public static let codes: Set<String> = [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
        "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
        "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU", "AS", "MP",
    ]

    /// Whether `code` (any case) is a known USPS state or territory code.
    public static func isValid(_ code: String) -> Bool { codes.contains(code.uppercased()) }

    /// The name of a state or territory code (any case): "tx" is "Texas".
    public static func name(of code: String) -> String? { names[code.uppercased()] }

    /// The code of a state or territory written as its code, its name or a common abbreviation,
    /// ignoring case, spaces and periods: "TX", "texas", "Tex.", "N. Dak.", "Washington, D.C.".
    public static func code(matching text: String) -> String? { lookup[lookupKey(text)] }

    private static let names: [String: String] = [
        "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
        "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
        "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
        "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
        "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
        "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
        "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
        "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
        "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
        "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
        "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
        "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
        "VI": "U.S. Virgin Islands", "GU": "Guam", "AS": "American Samoa",
        "MP": "Northern Mariana Islands",
    ]

    /// Abbreviations seen in addresses (newspaper and older postal styles) and other spellings.
    private static let otherSpellings: [String: String] = [
        "Ala": "AL", "Ariz": "AZ", "Ark": "AR", "Calif": "CA", "Cal": "CA", "Colo": "CO",
        "Conn": "CT", "Del": "DE", "Washington DC": "DC", "Fla": "FL", "Ill": "IL", "Ind": "IN",
        "Kan": "KS", "Kans": "KS", "Mass": "MA", "Mich": "MI", "Minn": "MN", "Miss": "MS",
        "Mont": "MT", "Neb": "NE", "Nebr": "NE", "Nev": "NV", "N Mex": "NM", "N Dak": "ND",
        "Okla": "OK", "Ore": "OR", "Oreg": "OR", "Penn": "PA", "Penna": "PA", "S Dak": "SD",
        "Tenn": "TN", "Tex": "TX", "Wash": "WA", "W Va": "WV", "Wis": "WI", "Wisc": "WI",
        "Wyo": "WY", "Virgin Islands": "VI", "Northern Marianas": "MP",
    ]

    private static let lookup: [String: String] = {
        var lookup: [String: String] = [:]
        for code in codes { lookup[lookupKey(code)] = code }
        for (code, name) in names { lookup[lookupKey(name)] = code }
        for (spelling, code) in otherSpellings { lookup[lookupKey(spelling)] = code }
        return lookup
    }()

    /// Lowercased ASCII letters only, so "N. Dak." and "n dak" meet.
    private static func lookupKey(_ text: String) -> String {
        text.lowercased().filter { $0.isASCII && $0.isLetter }
    }
}
