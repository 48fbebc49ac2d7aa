import ReliefCore
import Testing

@Suite("Median household income by ZIP")
struct IncomeDirectoryTests {
    let incomes = ReferenceDataFiles.incomes

    @Test("loads every row of the real file")
    func loadsAll() {
        #expect(incomes.count == 30_414)
    }

    @Test(
        "knows the Census estimate of well-known ZIPs",
        arguments: [("10001", 129_852), ("46201", 49_195), ("96813", 91_690), ("00601", 19_454)])
    func known(zip: String, dollars: Int) {
        #expect(
            incomes.medianHouseholdIncome(zip: zip) == MedianIncome(dollars: dollars, year: 2024))
    }

    @Test("ZIP+4 works; PO box ZIPs and unknown ZIPs have no estimate")
    func lookups() {
        #expect(incomes.medianHouseholdIncome(zip: "10001-0001")?.dollars == 129_852)
        #expect(incomes.medianHouseholdIncome(zip: "85001") == nil)
        #expect(incomes.medianHouseholdIncome(zip: "00000") == nil)
        #expect(incomes.medianHouseholdIncome(zip: "abc") == nil)
    }

    @Test("the estimate converts to cents")
    func cents() {
        #expect(MedianIncome(dollars: 49_195, year: 2024).cents == 4_919_500)
    }

    @Test("a malformed line is refused with its line number")
    func malformed() {
        let header = "zip,median_household_income_usd,year\n10001,129852,2024\n"
        for (line, reason) in [
            ("10002,n/a,2024", "income 'n/a' is not a whole number of dollars"),
            ("10002,-5,2024", "income '-5' is not a whole number of dollars"),
            ("10002,50000,24", "year '24' is not a 4-digit year"),
            ("1002,50000,2024", "ZIP '1002' is not 5 digits"),
            ("10001,50000,2024", "ZIP 10001 is listed twice"),
        ] {
            #expect(throws: ReferenceDataError(line: 3, reason: reason)) {
                try IncomeDirectory(csv: header + line)
            }
        }
    }
}
