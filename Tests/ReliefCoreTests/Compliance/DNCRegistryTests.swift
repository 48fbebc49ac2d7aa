import Foundation
import Testing

@testable import ReliefCore

@Suite("DNC area code tables")
struct DNCAreaCodeTableTests {
    /// Numbers of exchange 555 of every density the layouts switch at.
    static func exchange(_ exchange: UInt32, count: Int, seed: UInt64) -> [UInt32] {
        var random = SeededRandom(seed: seed)
        let lines = random.shuffled(Array(0..<10_000)).prefix(count)
        return lines.map { exchange * 10_000 + UInt32($0) }
    }

    @Test func containsExactlyItsNumbersWhateverTheOrderAndDuplicates() {
        let numbers: [UInt32] = [5_550_143, 2_000_000, 9_999_999, 5_550_144, 5_550_143]

        let table = DNCAreaCodeTable(subscribers: numbers)

        #expect(table.count == 4)
        for number in numbers { #expect(table.contains(number)) }
        #expect(!table.contains(5_550_145))
        #expect(!table.contains(0))
        #expect(!table.contains(10_000_000))
        #expect(!table.contains(.max))
        #expect(table == DNCAreaCodeTable(subscribers: numbers.reversed() + numbers))
        #expect(table != DNCAreaCodeTable(subscribers: numbers.dropLast(2)))
        #expect(DNCAreaCodeTable(subscribers: []).count == 0)
    }

    @Test(
        "each exchange takes its smallest layout, and every line of it answers right",
        arguments: [
            (1, DNCAreaCodeTable.Layout.list, 2), (80, .list, 160), (81, .buckets, 161),
            (600, .buckets, 680), (1_169, .buckets, 1_249), (1_170, .bitmap, 1_250),
            (6_000, .bitmap, 1_250), (10_000, .bitmap, 1_250),
        ])
    func layouts(count: Int, layout: DNCAreaCodeTable.Layout, bytes: Int) {
        let numbers = Self.exchange(555, count: count, seed: UInt64(count))
        let present = Set(numbers)

        let table = DNCAreaCodeTable(subscribers: numbers)

        #expect(table.layouts[555] == layout)
        #expect(table.segmentRange(555).count == bytes)
        #expect(table.layouts.filter { $0 != .empty }.count == 1)
        #expect(table.count == count)
        for line in UInt32(0)..<10_000 {
            let number = 5_550_000 + line
            #expect(table.contains(number) == present.contains(number))
        }
        var listed: [UInt32] = []
        table.forEachSubscriber { listed.append($0) }
        #expect(listed == present.sorted())
    }

    @Test func memoryIsAFixedDirectoryPlusTheSmallestLayoutOfEachExchange() {
        let sparse = Self.exchange(201, count: 10, seed: 1)
        let middle = Self.exchange(300, count: 500, seed: 2)
        let dense = Self.exchange(999, count: 9_000, seed: 3)

        let table = DNCAreaCodeTable(subscribers: sparse + middle + dense)

        #expect(table.payload.count == 20 + 580 + 1_250)
        #expect(table.memoryBytes >= 20 + 580 + 1_250 + 1_000 + 4 * 1_001)
        #expect(table.memoryBytes < 20 + 580 + 1_250 + 1_000 + 4 * 1_001 + 512)
    }

    @Test func changesRemoveThenAddSoANumberInBothStays() {
        let table = DNCAreaCodeTable(subscribers: [5_550_100, 5_550_101, 5_550_102])

        let changed = table.applying(
            additions: [5_550_200, 5_550_102, 2_000_000],
            removals: [5_550_101, 5_550_102, 7_770_000])

        #expect(
            changed == DNCAreaCodeTable(subscribers: [5_550_100, 5_550_102, 5_550_200, 2_000_000]))
        #expect(table.count == 3)
        #expect(table.contains(5_550_101))
        #expect(
            DNCAreaCodeTable(subscribers: []).applying(additions: [2_345_678], removals: []).count
                == 1)
    }

    @Test func changesMoveExchangesBetweenLayouts() {
        let dense = Self.exchange(555, count: 2_000, seed: 4)
        let table = DNCAreaCodeTable(subscribers: dense)

        let thinned = table.applying(additions: [], removals: dense.dropFirst(50))

        #expect(table.layouts[555] == .bitmap)
        #expect(thinned.layouts[555] == .list)
        #expect(thinned == DNCAreaCodeTable(subscribers: dense.prefix(50)))
    }
}

@Suite("DNC area code table blobs")
struct DNCTableEncodingTests {
    static let table = DNCAreaCodeTable(
        subscribers: DNCAreaCodeTableTests.exchange(201, count: 7, seed: 5)
            + DNCAreaCodeTableTests.exchange(555, count: 300, seed: 6)
            + DNCAreaCodeTableTests.exchange(987, count: 4_000, seed: 7))

    /// The blob with its checksum computed again, as a faulty writer would leave it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var body = Array(bytes.dropLast(4))
        let crc = body.withUnsafeBytes { CRC32.checksum($0) }
        for shift in stride(from: 0, to: 32, by: 8) {
            body.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift)))
        }
        return body
    }

    @Test func crc32IsZlibs() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        #expect([UInt8]().withUnsafeBytes { CRC32.checksum($0) } == 0)
    }

    @Test func roundTripsAndIsStable() throws {
        let bytes = Self.table.encoded()

        let decoded = try DNCAreaCodeTable(encoded: bytes)

        #expect(decoded == Self.table)
        #expect(decoded.count == 4_307)
        #expect(decoded.encoded() == bytes)
        #expect(Array(bytes.prefix(8)) == Array("DNCT".utf8) + [1, 0, 0, 0])
        #expect(bytes.count == 16 + 3_000 + 14 + 380 + 1_250 + 4)
        let empty = DNCAreaCodeTable(subscribers: [])
        #expect(try DNCAreaCodeTable(encoded: empty.encoded()) == empty)
    }

    @Test func aFlippedBitAnywhereIsACorruptBlob() {
        let bytes = Self.table.encoded()
        for position in stride(from: 0, to: bytes.count, by: 97) {
            var damaged = bytes
            damaged[position] ^= 0x10
            #expect(throws: DNCTableDecodingError.self) { try DNCAreaCodeTable(encoded: damaged) }
        }
        var damaged = bytes
        damaged[2_000] ^= 1
        let error = #expect(throws: DNCTableDecodingError.self) {
            try DNCAreaCodeTable(encoded: damaged)
        }
        guard case .checksumMismatch = error else {
            Issue.record("not a checksum mismatch: \(String(describing: error))")
            return
        }
        #expect("\(error!)".hasPrefix("corrupt DNC table: stored CRC-32 0x"))
    }

    @Test func shortForeignAndNewerBlobsSayWhatTheyAre() {
        let bytes = Self.table.encoded()
        #expect(throws: DNCTableDecodingError.truncated(byteCount: 100)) {
            try DNCAreaCodeTable(encoded: Array(bytes.prefix(100)))
        }
        #expect(throws: DNCTableDecodingError.notATable) {
            try DNCAreaCodeTable(encoded: Array("PK\u{3}\u{4}".utf8) + bytes.dropFirst(4))
        }
        var newer = bytes
        newer[4] = 2
        #expect(throws: DNCTableDecodingError.unsupportedVersion(2)) {
            try DNCAreaCodeTable(encoded: newer)
        }
        #expect(throws: DNCTableDecodingError.self) {
            try DNCAreaCodeTable(encoded: Array(bytes.dropLast(10)))
        }
    }

    @Test func aWellSealedButInconsistentBlobIsCorrupt() {
        let bytes = Self.table.encoded()
        // Exchange 201's count says 8 numbers where its list holds 7.
        var count = bytes
        count[16 + 1_000 + 2 * 201] = 8
        // Exchange 201's first two list entries swapped (out of order).
        var order = bytes
        order.swapAt(3_016, 3_018)
        order.swapAt(3_017, 3_019)
        // Exchange 555 says it is a bitmap.
        var layout = bytes
        layout[16 + 555] = 3
        // An unknown layout.
        var unknown = bytes
        unknown[16 + 400] = 9

        for blob in [count, order, layout, unknown] {
            let error = #expect(throws: DNCTableDecodingError.self) {
                try DNCAreaCodeTable(encoded: Self.resealed(blob))
            }
            guard case .corrupt = error else {
                Issue.record("not a corrupt table: \(String(describing: error))")
                continue
            }
        }
    }
}

@Suite("DNC registry")
struct DNCRegistryTests {
    @Test func looksUpTenDigitNumbersAcrossAreaCodes() {
        let registry = DNCRegistry()
        registry.replace(
            areaCode: 202, with: DNCAreaCodeTable(subscribers: [5_550_143, 5_550_144]))
        registry.replace(areaCode: 303, with: DNCAreaCodeTable(subscribers: [5_550_143]))

        #expect(registry.contains(nationalDigits: "2025550143"))
        #expect(registry.contains(nationalDigits: "3035550143"))
        #expect(registry.contains(areaCode: 202, subscriber: 5_550_144))
        #expect(!registry.contains(nationalDigits: "3035550144"))
        #expect(!registry.contains(nationalDigits: "4045550143"))
        for text in [
            "", "202555014", "20255501430", "202-555-0143", "+12025550143", " 2025550143",
            "202555014x", "２０２５５５０１４３",
        ] {
            #expect(!registry.contains(nationalDigits: text), "\(text)")
        }
        #expect(!registry.contains(areaCode: 99, subscriber: 5_550_143))
        #expect(!registry.contains(areaCode: 202, subscriber: 25_550_143))
        #expect(registry.count == 3)
        #expect(registry.areaCodes == [202, 303])
        #expect(registry.table(areaCode: 202)?.count == 2)
        #expect(registry.table(areaCode: 1_202) == nil)
    }

    @Test func replacingAndRemovingKeepTheTotals() {
        let registry = DNCRegistry()
        let empty = registry.memoryBytes
        let small = DNCAreaCodeTable(subscribers: [2_000_001, 2_000_002])
        let large = DNCAreaCodeTable(
            subscribers: DNCAreaCodeTableTests.exchange(555, count: 3_000, seed: 8))

        registry.replace(areaCode: 212, with: small)
        registry.replace(areaCode: 212, with: large)
        registry.replace(areaCode: 718, with: small)

        #expect(registry.count == 3_002)
        #expect(registry.memoryBytes == empty + large.memoryBytes + small.memoryBytes)
        registry.replace(areaCode: 212, with: nil)
        #expect(registry.count == 2)
        #expect(registry.areaCodes == [718])
        #expect(registry.memoryBytes == empty + small.memoryBytes)
    }

    @Test func readersSeeTheOldOrTheNewTableWhileTablesAreSwapped() async {
        let shared = DNCAreaCodeTableTests.exchange(555, count: 5_000, seed: 9)
        let old = DNCAreaCodeTable(subscribers: shared + [2_000_000])
        let new = DNCAreaCodeTable(subscribers: shared + [9_999_999])
        let registry = DNCRegistry()
        registry.replace(areaCode: 202, with: old)

        let wrong = await withTaskGroup(of: Int.self) { group in
            group.addTask {
                for round in 0..<2_000 {
                    registry.replace(areaCode: 202, with: round % 2 == 0 ? new : old)
                }
                return 0
            }
            for reader in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for index in 0..<20_000 {
                        let number = shared[(index * 7 + reader) % shared.count]
                        if !registry.contains(areaCode: 202, subscriber: number) { wrong += 1 }
                        let table = registry.table(areaCode: 202)
                        if table != old && table != new { wrong += 1 }
                        if let table, table.contains(2_000_000) == table.contains(9_999_999) {
                            wrong += 1
                        }
                        if registry.count != 5_001 { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }

        #expect(wrong == 0)
    }
}

@Suite("DNC registry file parser")
struct DNCFileParserTests {
    static func parse(_ text: String, keeping kept: Int = 1000) -> DNCParseResult {
        var parser = DNCFileParser(maximumRejectedLinesKept: kept)
        parser.consume(Array(text.utf8))
        return parser.finish()
    }

    @Test func readsBothFullListLayoutsWithAHeaderAndBlankLines() {
        let result = Self.parse(
            "AreaCode,PhoneNumber\n2025550143\n\n202,5550144\n  303 , 5550100 \n\"212\",\"5550100\"\n"
                + "\t\n2025550143\n")

        #expect(
            result.additions == [
                202: [5_550_143, 5_550_144, 5_550_143], 303: [5_550_100], 212: [5_550_100],
            ])
        #expect(result.removals.isEmpty)
        #expect(result.linesRead == 8)
        #expect(result.rejectedCount == 0)
        #expect(!result.isChangeList)
        #expect(result.additionCount == 5)
    }

    @Test func readsChangeListFlagsFirstOrLastInAnyCase() {
        let result = Self.parse(
            "202,5550100,A\r\n202,5550101,D\r\nd,2025550102\r\nADD,303,5550100\r\n3035550101,delete\r\n"
                + "+,3035550102\r\n303,5550103,-\r\n3035550104,Del\r\n2025550103\r\n")

        #expect(result.isChangeList)
        #expect(result.additions == [202: [5_550_100, 5_550_103], 303: [5_550_100, 5_550_102]])
        #expect(
            result.removals == [
                202: [5_550_101, 5_550_102], 303: [5_550_101, 5_550_103, 5_550_104],
            ])
        #expect(result.rejectedCount == 0)
        #expect(result.linesRead == 9)
    }

    @Test func crlfByteOrderMarkAndALastLineWithoutEnd() {
        let result = Self.parse("\u{FEFF}phone\r\n2025550143\r\n\r\n202,5550144")

        #expect(result.additions == [202: [5_550_143, 5_550_144]])
        #expect(result.linesRead == 4)
        #expect(result.rejectedCount == 0)
    }

    @Test func rejectsMalformedLinesWithTheirNumbersAndLoadsTheRest() {
        let lines = [
            "2025550143",  // 1
            "202-555-0143",  // 2
            "20255501",  // 3
            "12025550143",  // 4
            "1025550143",  // 5
            "2020550143",  // 6
            "202,5550143,A,1",  // 7
            "202,,5550143",  // 8
            "2025550143,",  // 9
            "202,5550143,X",  // 10
            "A,2025550143,D",  // 11
            "A",  // 12
            "20,25550143",  // 13
            String(repeating: "9", count: 300),  // 14
            "3035550100",  // 15
        ]
        let result = Self.parse(lines.joined(separator: "\r\n") + "\r\n")

        #expect(result.additions == [202: [5_550_143], 303: [5_550_100]])
        #expect(result.linesRead == 15)
        #expect(result.rejectedCount == 13)
        #expect(result.rejected.map(\.lineNumber) == Array(2...14))
        #expect(
            result.rejected.map(\.reason) == [
                .notANumber("202-555-0143"), .wrongDigitCount([8]), .wrongDigitCount([11]),
                .invalidAreaCode("102"), .invalidExchange("055"), .tooManyFields(4), .emptyField,
                .emptyField, .notANumber("X"), .misplacedFlag, .misplacedFlag,
                .wrongDigitCount([2, 8]), .tooLong,
            ])
        #expect(result.rejected[0].text == "202-555-0143")
        #expect(result.rejected[12].text == String(repeating: "9", count: 100) + "…")
        #expect(result.rejected.allSatisfy { $0.file == nil })
        #expect(result.rejected[3].reason.description == "area code 102 does not start with 2-9")
        #expect(
            result.rejected[1].reason.description
                == "8 digits; a number is 10 digits, or an area code of 3 and a number of 7")
    }

    @Test func aHeaderIsOnlyTheFirstLine() {
        let result = Self.parse("2025550143\nphone\n")

        #expect(result.rejected.map(\.reason) == [.notANumber("phone")])
        #expect(result.rejected.first?.lineNumber == 2)
    }

    @Test func keepsTheFirstRejectedLinesAndCountsAll() {
        let result = Self.parse(String(repeating: "x1\n", count: 50), keeping: 3)

        #expect(result.rejectedCount == 50)
        #expect(result.rejected.map(\.lineNumber) == [1, 2, 3])
    }

    @Test func givesTheSameResultWhereverTheChunksSplit() {
        let text =
            "\u{FEFF}areacode,number,flag\r\n202,5550100,A\r\n\r\nD,2025550101\r\nbad line\r\n"
            + "2025550102\n" + String(repeating: "7", count: 270)
            + "\r\n303,5550100,+\r\n3035550101"
        let bytes = Array(text.utf8)
        let whole = Self.parse(text)
        #expect(whole.linesRead == 9)
        #expect(whole.rejectedCount == 2)

        for split in 0...bytes.count {
            var parser = DNCFileParser()
            parser.consume(bytes[..<split])
            parser.consume(bytes[split...])
            #expect(parser.finish() == whole, "split at \(split)")
        }
        var byteByByte = DNCFileParser()
        for byte in bytes { byteByByte.consume(CollectionOfOne(byte)) }
        #expect(byteByByte.finish() == whole)
    }

    @Test func mergesTheResultsOfSeveralFiles() {
        var parser = DNCFileParser(maximumRejectedLinesKept: 10, file: "b.txt")
        parser.consume(Array("2025550100,D\nbad\nworse\n".utf8))
        var result = Self.parse("2025550101\n3035550100\noops\n")

        result.merge(parser.finish(), maximumRejectedLinesKept: 2)

        #expect(result.additions == [202: [5_550_101], 303: [5_550_100]])
        #expect(result.removals == [202: [5_550_100]])
        #expect(result.linesRead == 6)
        #expect(result.rejectedCount == 3)
        #expect(result.rejected.map(\.lineNumber) == [3, 2])
        #expect(result.rejected.map(\.file) == [nil, "b.txt"])
        #expect(result.isChangeList)
    }
}
