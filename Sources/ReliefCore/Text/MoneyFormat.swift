/// Formats integer cents as US dollars for pages and exports, without floating point.
public enum MoneyFormat {
    /// `$12,345.67`; `wholeDollars` drops the cents (`$12,346`, rounded half up).
    public static func dollars(_ cents: Int64, wholeDollars: Bool = false) -> String {
        let negative = cents < 0
        let magnitude = cents.magnitude
        var units = wholeDollars ? (magnitude + 50) / 100 : magnitude / 100
        var groups: [String] = []
        repeat {
            let group = units % 1000
            units /= 1000
            groups.insert(units > 0 ? pad(group, 3) : String(group), at: 0)
        } while units > 0
        var text = "$" + groups.joined(separator: ",")
        if !wholeDollars { text += "." + pad(magnitude % 100, 2) }
        return negative ? "-" + text : text
    }

    /// Plain decimal dollars for CSV exports and form fields: `12345.67`.
    public static func plain(_ cents: Int64) -> String {
        let magnitude = cents.magnitude
        return (cents < 0 ? "-" : "") + String(magnitude / 100) + "." + pad(magnitude % 100, 2)
    }

    private static func pad(_ value: UInt64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
