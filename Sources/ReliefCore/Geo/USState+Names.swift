extension USState {
    /// Full names of the codes in ``codes``, lower-cased.
    private static let codesByName: [String: String] = [
        "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
        "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district of columbia": "DC",
        "washington dc": "DC", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
        "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY",
        "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
        "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO",
        "montana": "MT", "nebraska": "NE", "nevada": "NV", "new hampshire": "NH",
        "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
        "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR",
        "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC",
        "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
        "virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI",
        "wyoming": "WY", "puerto rico": "PR", "virgin islands": "VI", "us virgin islands": "VI",
        "guam": "GU", "american samoa": "AS", "northern mariana islands": "MP",
    ]

    /// The USPS code for a code in any case ("tx", "D.C.") or a full name ("Texas",
    /// "District of Columbia", "U.S. Virgin Islands"); nil when it is neither.
    public static func code(forNameOrCode input: String) -> String? {
        if input.utf8.count == 2 {
            let code = input.uppercased()
            return codes.contains(code) ? code : nil
        }
        let words = input.lowercased().filter { $0 != "." }.split(whereSeparator: \.isWhitespace)
        let key = words.joined(separator: " ")
        if key.count == 2, isValid(key) { return key.uppercased() }  // "D.C.", " tx "
        return codesByName[key]
    }
}
