import Foundation
import ReliefCore

/// The real files of `Resources/Data`, found from this file's path and parsed once per test run.
enum ReferenceDataFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Geo
        .deletingLastPathComponent()  // ReliefCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .appendingPathComponent("Resources/Data")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static let zips = try! ZIPDirectory(csv: text("us_zipcodes.csv"))
    static let areaCodes = try! AreaCodeDirectory(csv: text("nanp_area_codes.csv"))
    static let incomes = try! IncomeDirectory(csv: text("zip_median_income.csv"))
}
