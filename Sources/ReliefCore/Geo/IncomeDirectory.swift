/// A ZIP code's median household income, in whole dollars a year, and the survey year.
public struct MedianIncome: Sendable, Equatable, Codable {
    public var dollars: Int
    /// The last year of the survey period (2024 for the 2020-2024 estimates).
    public var year: Int

    public init(dollars: Int, year: Int) {
        self.dollars = dollars
        self.year = year
    }

    /// The income in cents, for arithmetic with money amounts.
    public var cents: Int64 { Int64(dollars) * 100 }
}

/// Median household income by ZIP code (Census ACS estimates), parsed from the contents of
/// `Resources/Data/zip_median_income.csv` (columns `zip,median_household_income_usd,year`).
public struct IncomeDirectory: Sendable {
    private let incomes: [String: MedianIncome]

    /// Parses the file. Throws ``ReferenceDataError`` naming the first malformed line.
    public init(csv: String) throws {
        var incomes: [String: MedianIncome] = [:]
        let columns = ["zip", "median_household_income_usd", "year"]
        try ReferenceTable.read(csv, columns: columns) { line, fields in
            func fail(_ reason: String) -> ReferenceDataError {
                ReferenceDataError(line: line, reason: reason)
            }
            guard ReferenceTable.isDigits(fields[0], count: 5) else {
                throw fail("ZIP '\(fields[0])' is not 5 digits")
            }
            guard let dollars = Int(fields[1]), dollars >= 0 else {
                throw fail("income '\(fields[1])' is not a whole number of dollars")
            }
            guard let year = Int(fields[2]), ReferenceTable.isDigits(fields[2], count: 4) else {
                throw fail("year '\(fields[2])' is not a 4-digit year")
            }
            let income = MedianIncome(dollars: dollars, year: year)
            guard incomes.updateValue(income, forKey: fields[0]) == nil else {
                throw fail("ZIP \(fields[0]) is listed twice")
            }
        }
        self.incomes = incomes
    }

    /// How many ZIP codes have an estimate.
    public var count: Int { incomes.count }

    /// The estimate for a ZIP given as five digits or ZIP+4, or nil when the survey has none
    /// (PO box and unique ZIPs, and areas too small to publish).
    public func medianHouseholdIncome(zip: String) -> MedianIncome? {
        ZIPDirectory.fiveDigitZIP(zip).flatMap { incomes[$0] }
    }
}
