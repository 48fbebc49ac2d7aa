/// The time zones a lead may be in, from the ZIP of their address and the area code of their
/// phone. Both are kept when they differ, since a consumer may be reached in either place.
public struct LeadTimeZones: Sendable, Equatable, Codable {
    /// The address ZIP's IANA zone (see ``ZIPDirectory/timeZone(forZIP:)``), nil when unknown.
    public var zipTimeZone: String?
    /// Every zone of the phone's area code, most common first; empty when unknown.
    public var phoneTimeZones: [String]

    public init(zipTimeZone: String?, phoneTimeZones: [String]) {
        self.zipTimeZone = zipTimeZone
        self.phoneTimeZones = phoneTimeZones
    }

    /// The lead's best-known zone: the ZIP's, else the phone's most common one.
    public var primary: String? { zipTimeZone ?? phoneTimeZones.first }

    /// Whether the ZIP and the phone disagree: both are known and the ZIP's zone is not one of the
    /// area code's. Zones are compared by id, so America/Indiana/Indianapolis differs from
    /// America/New_York even though their clocks agree today.
    public var differ: Bool {
        guard let zipTimeZone, !phoneTimeZones.isEmpty else { return false }
        return !phoneTimeZones.contains(zipTimeZone)
    }

    /// Looks up both sources. `zip` may be five digits or ZIP+4; `areaCode` is three digits.
    public static func resolve(
        zip: String?, areaCode: String?, zips: ZIPDirectory, areaCodes: AreaCodeDirectory
    ) -> LeadTimeZones {
        LeadTimeZones(
            zipTimeZone: zip.flatMap { zips.timeZone(forZIP: $0) },
            phoneTimeZones: areaCode.flatMap { areaCodes.entry($0)?.timeZones } ?? [])
    }
}
