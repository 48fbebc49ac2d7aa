import Foundation
import NIOConcurrencyHelpers
import ReliefCore

/// The reference data in `Resources/Data/` (ZIP directory, NANP area codes, income by ZIP),
/// parsed once per process and shared by every feature that needs a lead's place or time zone.
struct GeoData: Sendable {
    let zips: ZIPDirectory
    let areaCodes: AreaCodeDirectory
    let income: IncomeDirectory

    /// The lead's time zones from its ZIP and its primary phone's area code.
    func timeZones(zip: String?, areaCode: String?) -> LeadTimeZones {
        LeadTimeZones.resolve(zip: zip, areaCode: areaCode, zips: zips, areaCodes: areaCodes)
    }

    private static let cache = NIOLockedValueBox<[String: GeoData]>([:])

    /// The data under `directory` (the app's `Resources/Data/`), loaded on first use.
    static func load(from directory: String) throws -> GeoData {
        try cache.withLockedValue { cache in
            if let loaded = cache[directory] { return loaded }
            func read(_ name: String) throws -> String {
                let path = directory + name
                guard let data = FileManager.default.contents(atPath: path),
                    let text = String(data: data, encoding: .utf8)
                else {
                    throw StartupError(
                        description:
                            "Reference data \(path) is missing or not UTF-8; run from the repository root or set the working directory."
                    )
                }
                return text
            }
            let geo = GeoData(
                zips: try ZIPDirectory(csv: read("us_zipcodes.csv")),
                areaCodes: try AreaCodeDirectory(csv: read("nanp_area_codes.csv")),
                income: try IncomeDirectory(csv: read("zip_median_income.csv")))
            cache[directory] = geo
            return geo
        }
    }
}
