import Foundation
import ReliefCore
import Testing

@Suite("Messy lead CSV")
struct MessyLeadCSVTests {
    static let zips = ReferenceDataFiles.zips
    static let csv = MessyLeadCSV(seed: 99, zips: zips, areaCodes: ReferenceDataFiles.areaCodes)
    static let rowCount = 20_000
    static let rows = (0..<rowCount).map { csv.row($0) }
    static let kinds = (0..<rowCount).map { csv.kind(ofRow: $0) }

    /// The fields of one CSV record (RFC 4180: quoted fields, `""` inside them, line breaks
    /// allowed inside quotes), ignoring its line end; nil when a quote appears inside an unquoted
    /// field or after a closing quote, or a quoted field is not closed.
    static func fields(_ line: [UInt8]) -> [String]? {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        var bytes = line[...]
        if bytes.last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        var fields: [String] = []
        var field: [UInt8] = []
        var index = bytes.startIndex
        while true {
            if index < bytes.endIndex, bytes[index] == quote {
                index += 1
                while true {
                    guard index < bytes.endIndex else { return nil }
                    if bytes[index] == quote {
                        if index + 1 < bytes.endIndex, bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                        } else {
                            index += 1
                            break
                        }
                    } else {
                        field.append(bytes[index])
                        index += 1
                    }
                }
                guard index == bytes.endIndex || bytes[index] == comma else { return nil }
            } else {
                while index < bytes.endIndex, bytes[index] != comma {
                    guard bytes[index] != quote else { return nil }
                    field.append(bytes[index])
                    index += 1
                }
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            guard index < bytes.endIndex else { return fields }
            index += 1
        }
    }

    /// The ten national digits of a phone as written, without "+1"/"1" or an extension; nil
    /// unless they make a NANP number (area code and exchange 2-9, neither N11).
    static func nanpNumber(_ phone: String) -> String? {
        let number = phone.split(separator: " x").first?.split(separator: " ext.").first ?? ""
        var digits = number.filter(\.isNumber)
        if digits.count == 11 && digits.hasPrefix("1") { digits.removeFirst() }
        guard digits.count == 10 else { return nil }
        let values = digits.compactMap(\.wholeNumberValue)
        for start in [0, 3]
        where values[start] < 2 || (values[start + 1] == 1 && values[start + 2] == 1) {
            return nil
        }
        return String(digits)
    }

    /// Dollars written as "$12,345.67", "12345", "$ 1,200", ...; nil when not a plain amount.
    static func dollars(_ text: String) -> Double? {
        Double(text.filter { $0 != "$" && $0 != "," && $0 != " " })
    }

    @Test("has the vendor's header")
    func header() {
        #expect(
            Self.csv.header()
                == "First Name,Last Name,Email,Phone,Address,City,State,Zip,Total Unsecured Debt,"
                + "Monthly Income,Source,Notes")
        #expect(Self.fields(Array(Self.csv.header().utf8))?.count == 12)
    }

    @Test("rows follow from the seed and the index alone")
    func determinism() {
        let again = MessyLeadCSV(seed: 99, zips: Self.zips, areaCodes: ReferenceDataFiles.areaCodes)
        let other = MessyLeadCSV(
            seed: 100, zips: Self.zips, areaCodes: ReferenceDataFiles.areaCodes)
        for index in [19_999, 0, 7_777, 1, 12_345] {
            #expect(again.row(index) == Self.rows[index])
            #expect(other.row(index) != Self.rows[index])
        }
        #expect((0..<1_000).map { other.kind(ofRow: $0) } != Array(Self.kinds.prefix(1_000)))
        var bytes: [UInt8] = []
        for index in 10..<20 { again.appendRow(index, to: &bytes) }
        #expect(bytes == Array(Self.rows[10..<20].joined()))
    }

    @Test("one row in 200 is bad, the kinds taking turns, and about 1% are duplicates")
    func kindRates() {
        let counts = Self.csv.kindCounts(rows: Self.rowCount)
        #expect(counts == Dictionary(grouping: Self.kinds, by: { $0 }).mapValues(\.count))
        #expect(counts.values.reduce(0, +) == Self.rowCount)
        let bad = MessyLeadCSV.RowKind.allCases.filter { $0 != .ok && $0 != .duplicate }
        #expect(bad.count == 6)
        #expect(bad.reduce(0) { $0 + counts[$1, default: 0] } == Self.rowCount / 200)
        for kind in bad {
            #expect((16...17).contains(counts[kind, default: 0]), "\(kind)")
        }
        #expect((180...210).contains(counts[.duplicate, default: 0]))
        #expect(Self.kinds[0] == .ok)
    }

    @Test("rows average 120 to 160 bytes")
    func rowLength() {
        let average = Double(Self.rows.reduce(0) { $0 + $1.count }) / Double(Self.rowCount)
        #expect((120...160).contains(average), "\(average)")
        #expect(Self.rows.allSatisfy { $0.last == UInt8(ascii: "\n") })
    }

    @Test("every good row has 12 valid fields, in many spellings")
    func goodRows() throws {
        var phoneFormats: Set<String> = []
        var quotedNotes = 0
        var multiline = 0
        for (row, kind) in zip(Self.rows, Self.kinds) where kind == .ok || kind == .duplicate {
            #expect(String(bytes: row, encoding: .utf8) != nil)
            let fields = try #require(Self.fields(row), "\(String(decoding: row, as: UTF8.self))")
            try #require(fields.count == 12)
            #expect(!fields[0].trimmingCharacters(in: .whitespaces).isEmpty)
            #expect(fields[2].contains("@"))
            let entry = try #require(Self.zips.entry(fields[7]), "\(fields[7])")
            #expect(USState.code(matching: fields[6]) == entry.state)
            #expect(fields[5].uppercased() == entry.city.uppercased())
            let phone = try #require(Self.nanpNumber(fields[3]), "\(fields[3])")
            #expect(
                entry.areaCodes.contains(String(phone.prefix(3))), "\(fields[3]) in \(entry.zip)")
            let debt = try #require(Self.dollars(fields[8]), "\(fields[8])")
            #expect(debt >= 4_000)
            if !fields[9].isEmpty {
                let income = try #require(Self.dollars(fields[9]), "\(fields[9])")
                #expect(income >= 1_800)
            }
            phoneFormats.insert(String(fields[3].map { $0.isNumber ? "9" : $0 }))
            if fields[11].contains(",") || fields[11].contains("\"") { quotedNotes += 1 }
            if fields[11].contains("\n") { multiline += 1 }
        }
        #expect(phoneFormats.count >= 8)
        #expect(quotedNotes > 1_000)
        #expect(multiline > 0)
    }

    @Test("good rows never share a phone or an email; duplicates repeat an earlier good row's")
    func duplicates() throws {
        var phones: [String: Int] = [:]
        var emails: [String: Int] = [:]
        for (index, kind) in Self.kinds.enumerated() where kind == .ok {
            let fields = try #require(Self.fields(Self.rows[index]))
            let phone = try #require(Self.nanpNumber(fields[3]))
            #expect(phones.updateValue(index, forKey: phone) == nil, "\(phone)")
            #expect(emails.updateValue(index, forKey: fields[2].lowercased()) == nil)
        }
        for (index, kind) in Self.kinds.enumerated() {
            guard kind == .duplicate else {
                #expect(Self.csv.duplicatedRow(of: index) == nil)
                continue
            }
            let original = try #require(Self.csv.duplicatedRow(of: index))
            #expect(original < index && Self.kinds[original] == .ok)
            let fields = try #require(Self.fields(Self.rows[index]))
            let phone = try #require(Self.nanpNumber(fields[3]))
            let samePhone = phones[phone] == original
            let sameEmail = emails[fields[2].lowercased()] == original
            #expect(samePhone || sameEmail, "row \(index) repeats nothing of row \(original)")
        }
    }

    @Test("each bad row is bad in its own way")
    func badRows() throws {
        for (row, kind) in zip(Self.rows, Self.kinds) {
            let text = String(decoding: row, as: UTF8.self)
            switch kind {
            case .ok, .duplicate:
                continue
            case .invalidUTF8:
                #expect(String(bytes: row, encoding: .utf8) == nil, "\(text)")
                #expect(Self.fields(row)?.count == 12)
                continue
            case .strayQuote:
                #expect(Self.fields(row) == nil, "\(text)")
                #expect(text.prefix { $0 != "," }.contains("\""), "\(text)")
                continue
            default:
                break
            }
            #expect(String(bytes: row, encoding: .utf8) != nil)
            let fields = try #require(Self.fields(row), "\(text)")
            switch kind {
            case .invalidPhone:
                #expect(Self.nanpNumber(fields[3]) == nil, "\(fields[3])")
            case .impossibleZIP:
                #expect(Self.zips.entry(fields[7]) == nil, "\(fields[7])")
            case .negativeDebt:
                #expect(fields[8].hasPrefix("-"), "\(fields[8])")
            default:
                #expect(fields.count == 11 || fields.count == 13, "\(text)")
            }
            if kind != .wrongColumnCount { #expect(fields.count == 12) }
        }
    }
}
