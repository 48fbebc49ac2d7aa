import Foundation
import ReliefCore
import Testing

@Suite("State contact rules data file")
struct StateContactRulesTests {
    static let book = try! StateContactRuleBook(
        csv: ReferenceDataFiles.text("state_contact_rules.csv"))

    @Test("the federal row is 8:00-21:00 every day, holidays included")
    func federal() {
        let federal = Self.book.federal
        for weekday in 1...7 {
            #expect(federal.hours(weekday: weekday)?.description == "08:00-21:00")
        }
        #expect(federal.callsOnHolidays)
        #expect(federal.recordingConsent == .oneParty)
    }

    @Test("every state and territory has a row with a source")
    func everyState() {
        #expect(Set(Self.book.states.keys) == USState.codes)
        #expect(Self.book.states.values.allSatisfy { !$0.source.isEmpty })
    }

    @Test("the named states carry their statute's hours, days and limits")
    func namedStates() throws {
        let florida = try #require(Self.book.rule(for: "FL"))
        #expect(florida.weekdayHours?.description == "08:00-20:00")
        #expect(florida.frequencyLimit24h == 3 && florida.frequencyScope == .sameSubject)
        let maryland = try #require(Self.book.rule(for: "md"))
        #expect(maryland.frequencyLimit24h == 3 && maryland.frequencyCountsTexts)
        #expect(maryland.source.contains("SB 90"))
        let oklahoma = try #require(Self.book.rule(for: "OK"))
        #expect(oklahoma.frequencyLimit24h == 3 && oklahoma.areaCodePresumption)
        let connecticut = try #require(Self.book.rule(for: "CT"))
        #expect(connecticut.weekdayHours?.description == "09:00-20:00")
        #expect(connecticut.identifyWithinSeconds == 10)
        let rhodeIsland = try #require(Self.book.rule(for: "RI"))
        #expect(rhodeIsland.hours(weekday: 2)?.description == "09:00-18:00")
        #expect(rhodeIsland.hours(weekday: 7)?.description == "10:00-17:00")
        #expect(rhodeIsland.hours(weekday: 1) == nil && !rhodeIsland.callsOnHolidays)
        let louisiana = try #require(Self.book.rule(for: "LA"))
        #expect(louisiana.sundayHours == nil && !louisiana.callsOnHolidays)
        #expect(Self.book.rule(for: "AL")?.sundayHours == nil)
        #expect(Self.book.rule(for: "MS")?.sundayHours == nil)
        #expect(Self.book.rule(for: "TX")?.sundayHours?.description == "12:00-21:00")
        #expect(Self.book.rule(for: "TX")?.weekdayHours?.description == "09:00-21:00")
        #expect(Self.book.rule(for: "WA")?.identifyWithinSeconds == 30)
        #expect(Self.book.rule(for: "PA")?.sundayHours == nil)
        #expect(Self.book.rule(for: "VA")?.weekdayHours?.description == "08:00-21:00")
        #expect(Self.book.rule(for: "KY")?.weekdayHours?.description == "10:00-21:00")
        #expect(Self.book.rule(for: "NY")?.weekdayHours?.description == "08:00-21:00")
    }

    @Test("the all-party recording consent states")
    func recordingConsent() {
        let allParty = Set(
            Self.book.states.values.filter { $0.recordingConsent == .allParty }.map(\.state))
        #expect(
            allParty == ["CA", "DE", "FL", "IL", "MD", "MA", "MT", "NV", "NH", "PA", "WA", "CT"])
    }

    @Test("the version is a fingerprint of the contents")
    func version() throws {
        let text = try ReferenceDataFiles.text("state_contact_rules.csv")
        #expect(Self.book.version.hasPrefix("rules-") && Self.book.version.count == 22)
        let changed = try StateContactRuleBook(
            csv: text.replacingOccurrences(of: "09:00-20:00", with: "09:00-19:00"))
        #expect(changed.version != Self.book.version)
    }

    @Test(
        "a malformed row is refused with its line and reason",
        arguments: [
            ("FL,8-20,08:00-20:00,08:00-20:00,same,,no,,,one_party,no,x", "weekday_hours '8-20'"),
            (
                "ZZ,08:00-20:00,08:00-20:00,08:00-20:00,same,,no,,,one_party,no,x",
                "unknown state 'ZZ'"
            ),
            (
                "FL,08:00-20:00,08:00-20:00,08:00-20:00,sometimes,,no,,,one_party,no,x",
                "holiday_hours"
            ),
            (
                "FL,08:00-20:00,08:00-20:00,08:00-20:00,same,-1,no,,,one_party,no,x",
                "frequency_limit_24h"
            ),
            (
                "FL,08:00-20:00,08:00-20:00,08:00-20:00,same,,no,,,two_party,no,x",
                "recording_consent"
            ),
            ("FL,08:00-20:00,08:00-20:00,08:00-20:00,same,,no,,,one_party,no,", "source is empty"),
        ])
    func malformed(row: String, reason: String) {
        let header =
            "state,weekday_hours,saturday_hours,sunday_hours,holiday_hours,frequency_limit_24h,frequency_counts_texts,frequency_scope,identify_within_seconds,recording_consent,area_code_presumption,source\n"
        let federal = "US,08:00-21:00,08:00-21:00,08:00-21:00,same,,no,,,one_party,no,47 CFR\n"
        #expect {
            try StateContactRuleBook(csv: header + federal + row + "\n")
        } throws: { error in
            guard let error = error as? ReferenceDataError else { return false }
            return error.line == 3 && error.reason.contains(reason)
        }
    }
}

@Suite("Federal holidays by year")
struct FederalHolidaysTests {
    func day(_ text: String) -> CalendarDate { try! CalendarDate.parse(text) }

    @Test("2026: the Monday holidays and the observed Independence Day")
    func year2026() {
        let holidays = FederalHolidays.holidays(in: 2026)
        #expect(holidays.count == 11)
        let dates = holidays.map { "\($0.observed)" }
        #expect(
            dates == [
                "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03",
                "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25",
            ])
        #expect(holidays[5].date == day("2026-07-04"))
    }

    @Test("a Sunday holiday is observed on Monday; New Year's Day may be observed in December")
    func observed() {
        // 2027-12-25 is a Saturday, 2028-01-01 too; 2022-12-25 was a Sunday.
        #expect(FederalHolidays.holiday(on: day("2027-12-24"))?.name == "Christmas Day")
        #expect(FederalHolidays.holiday(on: day("2027-12-31"))?.name == "New Year's Day")
        #expect(FederalHolidays.holiday(on: day("2022-12-26"))?.name == "Christmas Day")
        #expect(FederalHolidays.holiday(on: day("2022-12-25"))?.name == "Christmas Day")
        #expect(FederalHolidays.holiday(on: day("2026-11-27")) == nil)
    }

    @Test("Juneteenth is a holiday from 2021 on")
    func juneteenth() {
        #expect(FederalHolidays.holidays(in: 2020).count == 10)
        #expect(
            FederalHolidays.holiday(on: day("2021-06-18"))?.name.hasPrefix("Juneteenth") == true)
    }
}
