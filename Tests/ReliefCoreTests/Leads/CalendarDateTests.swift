import Foundation
import ReliefCore
import Testing

@Suite("Calendar dates")
struct CalendarDateTests {
    static func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
        CalendarDate(year: year, month: month, day: day)!
    }

    static let today = date(2025, 6, 15)

    @Test(
        "reads ISO, US and month-name dates",
        arguments: [
            "1980-04-23", "04/23/1980", "4/23/1980", "4-23-1980", "1980/4/23", "23-Apr-1980",
            "23 April 1980", "Apr 23, 1980", "April 23 1980", "apr. 23, 1980", " 1980-04-23 ",
            "1980-04-23T00:00:00Z", "1980-04-23 00:00:00", "4/23/1980 12:00:00 AM", "4/23/80",
            "23-APR-80",
        ])
    func formats(raw: String) throws {
        #expect(try CalendarDate.parse(raw, referenceYear: 2025) == Self.date(1980, 4, 23))
    }

    @Test(
        "puts two-digit years within 80 years before and 19 after the reference year",
        arguments: [
            ("1/2/80", 2025, 1980), ("1/2/45", 2025, 1945), ("1/2/44", 2025, 2044),
            ("1/2/25", 2025, 2025), ("1/2/00", 2025, 2000), ("1/2/99", 2025, 1999),
            ("1/2/19", 2000, 2019), ("1/2/20", 2000, 1920),
        ])
    func twoDigitYears(raw: String, referenceYear: Int, year: Int) throws {
        #expect(try CalendarDate.parse(raw, referenceYear: referenceYear).year == year)
    }

    @Test(
        "refuses what is not a real date",
        arguments: [
            ("", CalendarDateError.empty),
            ("yesterday", .unrecognized),
            ("1980-04", .unrecognized),
            ("19800423", .unrecognized),
            ("1980-04/23", .unrecognized),
            ("04/23/198", .unrecognized),
            ("4/23/80", .twoDigitYear),
            ("23/04/1980", .invalidMonth),
            ("1980-13-01", .invalidMonth),
            ("1980-00-10", .invalidMonth),
            ("1981-02-29", .invalidDay),
            ("1900-02-29", .invalidDay),
            ("04/31/1980", .invalidDay),
            ("4/0/1980", .invalidDay),
            ("31-Jux-1980", .unrecognized),
            ("1980年4月23日", .unrecognized),
            ("1980-04-23;", .unrecognized),
            ("123456789012345678901/1/1", .unrecognized),
            ("01980-04-23", .unrecognized),
        ] as [(String, CalendarDateError)])
    func invalid(raw: String, error: CalendarDateError) {
        #expect(throws: error) { try CalendarDate.parse(raw) }
    }

    @Test func leapDays() throws {
        #expect(try CalendarDate.parse("2000-02-29") == Self.date(2000, 2, 29))
        #expect(try CalendarDate.parse("02/29/2024") == Self.date(2024, 2, 29))
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 0, month: 1, day: 1) == nil)
        #expect(CalendarDate(year: 2024, month: 12, day: 31) != nil)
    }

    @Test func datesOfBirthArePastAdultAndWithin120Years() throws {
        #expect(
            try CalendarDate.dateOfBirth("4/23/80", today: Self.today) == Self.date(1980, 4, 23))
        #expect(try CalendarDate.dateOfBirth("1/2/30", today: Self.today) == Self.date(1930, 1, 2))
        #expect(
            try CalendarDate.dateOfBirth("06/15/2007", today: Self.today) == Self.date(2007, 6, 15))
        #expect(
            try CalendarDate.dateOfBirth("1904-06-16", today: Self.today) == Self.date(1904, 6, 16))
        #expect(throws: CalendarDateError.underage) {
            try CalendarDate.dateOfBirth("06/16/2007", today: Self.today)
        }
        #expect(throws: CalendarDateError.underage) {
            try CalendarDate.dateOfBirth("1/2/20", today: Self.today)
        }
        #expect(throws: CalendarDateError.dateOfBirthInFuture) {
            try CalendarDate.dateOfBirth("2025-06-16", today: Self.today)
        }
        #expect(throws: CalendarDateError.dateOfBirthTooLongAgo) {
            try CalendarDate.dateOfBirth("1904-06-15", today: Self.today)
        }
        #expect(throws: CalendarDateError.invalidDay) {
            try CalendarDate.dateOfBirth("2/30/1980", today: Self.today)
        }
        #expect(CalendarDateError.underage.message == "The person must be at least 18 years old.")
    }

    @Test func agesCountWholeYears() {
        let birthday = Self.date(2000, 2, 29)

        #expect(birthday.age(on: Self.date(2018, 2, 28)) == 17)
        #expect(birthday.age(on: Self.date(2018, 3, 1)) == 18)
        #expect(birthday.age(on: Self.date(2024, 2, 29)) == 24)
        #expect(Self.date(1980, 4, 23).age(on: Self.today) == 45)
    }

    @Test func comparesAndCodesAsISO() throws {
        let dates = [Self.date(1980, 4, 23), Self.date(1979, 12, 31), Self.date(1980, 1, 5)]
        let json = try JSONEncoder().encode(dates)

        #expect(dates.sorted() == [dates[1], dates[2], dates[0]])
        #expect(
            String(decoding: json, as: UTF8.self) == #"["1980-04-23","1979-12-31","1980-01-05"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: json) == dates)
        #expect(Self.date(987, 1, 2).description == "0987-01-02")
        for bad in [#"["1980-4-23"]"#, #"["1981-02-29"]"#, #"["04/23/1980"]"#] {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode([CalendarDate].self, from: Data(bad.utf8))
            }
        }
    }

    @Test func todayComesFromAnInstantInATimeZone() {
        let instant = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15 15:06:40 UTC

        #expect(CalendarDate(instant, in: TimeZone(identifier: "UTC")!) == Self.today)
        #expect(
            CalendarDate(instant, in: TimeZone(identifier: "Pacific/Kiritimati")!)
                == Self.date(2025, 6, 16))
    }
}
