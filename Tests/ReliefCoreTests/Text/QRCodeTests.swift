import Testing

@testable import ReliefCore

@Suite("QR code")
struct QRCodeTests {
    // MARK: Codewords

    /// ISO/IEC 18004 Annex I: "01234567" as version 1-M (numeric mode, so only the error
    /// correction step is shared with this encoder).
    @Test func reedSolomonMatchesTheStandardsWorkedExample() {
        let data: [UInt8] = [
            0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            0xEC, 0x11,
        ]
        let layout = QRBlockLayout(version: 1, errorCorrection: .medium)

        #expect(layout.dataCodewordCount == data.count)
        #expect(layout.errorCorrectionPerBlock == 10)
        #expect(
            ReedSolomon.errorCorrection(for: data, count: 10) == [
                0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55,
            ])
        #expect(layout.interleavedCodewords(data: data).count == 26)
    }

    /// Mode 0100, count 00000101, "hello", terminator 0000, then pad codewords 0xEC and 0x11.
    @Test func dataCodewordsHoldTheByteSegmentTerminatorAndPadding() {
        let layout = QRBlockLayout(version: 1, errorCorrection: .medium)

        #expect(
            layout.dataCodewords(for: Array("hello".utf8)) == [
                0x40, 0x56, 0x86, 0x56, 0xC6, 0xC6, 0xF0, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC,
                0x11, 0xEC,
            ])
    }

    /// From version 10 on the character count takes 16 bits.
    @Test func dataCodewordsUseTheWideCharacterCountFromVersionTen() {
        let layout = QRBlockLayout(version: 10, errorCorrection: .medium)

        #expect(layout.dataCodewords(for: Array("A".utf8)).prefix(4) == [0x40, 0x00, 0x14, 0x10])
    }

    // MARK: Format and version information

    /// ISO/IEC 18004 Annex C, Table C.1, most significant bit first.
    static let formatInformationTable: [(QRCode.ErrorCorrection, [String])] = [
        (
            .low,
            [
                "111011111000100", "111001011110011", "111110110101010", "111100010011101",
                "110011000101111", "110001100011000", "110110001000001", "110100101110110",
            ]
        ),
        (
            .medium,
            [
                "101010000010010", "101000100100101", "101111001111100", "101101101001011",
                "100010111111001", "100000011001110", "100111110010111", "100101010100000",
            ]
        ),
        (
            .quartile,
            [
                "011010101011111", "011000001101000", "011111100110001", "011101000000110",
                "010010010110100", "010000110000011", "010111011011010", "010101111101101",
            ]
        ),
        (
            .high,
            [
                "001011010001001", "001001110111110", "001110011100111", "001100111010000",
                "000011101100010", "000001001010101", "000110100001100", "000100000111011",
            ]
        ),
    ]

    @Test("format information matches the published table", arguments: formatInformationTable)
    func formatInformation(errorCorrection: QRCode.ErrorCorrection, expected: [String]) {
        for mask in 0..<8 {
            let bits = QRMatrix.formatInformation(errorCorrection: errorCorrection, mask: mask)
            #expect(Self.binary(bits, width: 15) == expected[mask], "mask \(mask)")
        }
    }

    /// ISO/IEC 18004 Annex D, Table D.1.
    @Test(
        "version information matches the published table",
        arguments: [
            (7, "000111110010010100"), (8, "001000010110111100"), (21, "010101011010000011"),
            (40, "101000110001101001"),
        ])
    func versionInformation(version: Int, expected: String) {
        #expect(Self.binary(QRMatrix.versionInformation(version: version), width: 18) == expected)
    }

    /// The version information blocks of the symbol, read back: bit i of the 18 sits in the
    /// top-right block at column size − 11 + i % 3, row i / 3, and mirrored bottom-left.
    @Test func versionInformationIsDrawnInBothCorners() throws {
        let code = try QRCode.encode(Self.goldenURI)
        var topRight = 0
        var bottomLeft = 0
        for index in 0..<18 {
            let along = code.size - 11 + index % 3
            let across = index / 3
            topRight |= (code.isDark(x: along, y: across) ? 1 : 0) << index
            bottomLeft |= (code.isDark(x: across, y: along) ? 1 : 0) << index
        }

        #expect(topRight == QRMatrix.versionInformation(version: 7))
        #expect(bottomLeft == topRight)
    }

    // MARK: Structure

    @Test("function patterns are in place", arguments: [1, 7, 40])
    func functionPatterns(version: Int) throws {
        let code = try Self.code(version: version)
        let size = code.size

        #expect(code.version == version)
        #expect(size == 4 * version + 17)
        for (left, top) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            for y in -1...7 {
                for x in -1...7 {
                    let ring = max(abs(x - 3), abs(y - 3))
                    let expected = ring != 2 && ring != 4
                    #expect(
                        code.isDark(x: left + x, y: top + y) == expected,
                        "finder at (\(left), \(top)), offset (\(x), \(y))")
                }
            }
        }
        for index in 8..<size - 8 {
            #expect(code.isDark(x: index, y: 6) == (index % 2 == 0), "timing row at \(index)")
            #expect(code.isDark(x: 6, y: index) == (index % 2 == 0), "timing column at \(index)")
        }
        #expect(code.isDark(x: 8, y: 4 * version + 9), "dark module")
    }

    @Test func alignmentPatternsSitAtTheTabulatedCentres() throws {
        let code = try QRCode.encode(Self.goldenURI)
        let centers = [(6, 22), (22, 6), (22, 22), (38, 22), (22, 38), (38, 38)]

        #expect(QRMatrix.alignmentPatternCenters[7 - 1] == [6, 22, 38])
        for (centerX, centerY) in centers {
            for y in -2...2 {
                for x in -2...2 {
                    #expect(
                        code.isDark(x: centerX + x, y: centerY + y) == (max(abs(x), abs(y)) != 1),
                        "alignment pattern at (\(centerX), \(centerY))")
                }
            }
        }
    }

    @Test func modulesOutsideTheSymbolAreLight() throws {
        let code = try QRCode.encode("hello")

        #expect(code.isDark(x: 0, y: 0))
        #expect(!code.isDark(x: -1, y: 0))
        #expect(!code.isDark(x: 0, y: code.size))
        #expect(!code.isDark(x: code.size, y: code.size - 1))
    }

    // MARK: Capacity

    @Test func byteCapacityMatchesTheStandard() {
        #expect(QRBlockLayout(version: 1, errorCorrection: .low).byteCapacity == 17)
        #expect(QRBlockLayout(version: 1, errorCorrection: .medium).byteCapacity == 14)
        #expect(QRBlockLayout(version: 1, errorCorrection: .high).byteCapacity == 7)
        #expect(QRBlockLayout(version: 10, errorCorrection: .medium).byteCapacity == 213)
        #expect(QRBlockLayout(version: 40, errorCorrection: .low).byteCapacity == 2953)
        #expect(QRBlockLayout(version: 40, errorCorrection: .high).byteCapacity == 1273)
    }

    @Test func encodingPicksTheSmallestVersionThatFits() throws {
        let cases: [(bytes: Int, level: QRCode.ErrorCorrection, version: Int)] = [
            (17, .low, 1), (18, .low, 2), (14, .medium, 1), (15, .medium, 2),
            (213, .medium, 10), (214, .medium, 11), (2953, .low, 40),
        ]
        for (bytes, level, version) in cases {
            let code = try QRCode.encode(
                String(repeating: "a", count: bytes), errorCorrection: level)
            #expect(code.version == version, "\(bytes) bytes at \(level)")
        }
    }

    @Test func textBeyondVersionFortyIsTooLong() {
        #expect(throws: QRCode.Failure.tooLong(bytes: 2954, capacity: 2953)) {
            try QRCode.encode(String(repeating: "a", count: 2954), errorCorrection: .low)
        }
        #expect(throws: QRCode.Failure.tooLong(bytes: 2332, capacity: 2331)) {
            try QRCode.encode(String(repeating: "a", count: 2332))
        }
        // Capacity counts UTF-8 bytes, not characters: each "é" takes two.
        #expect(throws: QRCode.Failure.tooLong(bytes: 1274, capacity: 1273)) {
            try QRCode.encode(String(repeating: "é", count: 637), errorCorrection: .high)
        }
    }

    // MARK: Golden symbol

    static let goldenURI =
        "otpauth://totp/ReliefCRM:alice@example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        + "&issuer=ReliefCRM&digits=6"

    /// `goldenURI` at level M as the Python `qrcode` package 8.2 draws it (byte mode, version 7,
    /// mask 4, no border): one row per line, 1 for dark.
    static let goldenMatrix = """
        111111101111010010101011001000111000101111111
        100000100001110011001100101010011001001000001
        101110100101011110010110000110011101001011101
        101110101101110000001000110010000001101011101
        101110101110111101101111111101100111101011101
        100000101010110001011000101110011000001000001
        111111101010101010101010101010101010101111111
        000000001110111111111000110101100000000000000
        100010111010110011011111101100101111111111001
        010111010000111100110001101101101001101101100
        011000110100011001010001001100010100111010010
        010100000000111010100010001110101000000010011
        010100101101110001101110110111101110011101000
        100011001110010010011111001010100101101110110
        111110101111010101111100000000100001101110110
        101110001110011001000000100010111100101110000
        100000111101101001110000111101001100010101100
        111000001001000011111011111001111000101000000
        001011100110100101000100001110010001100110000
        011110001101111101110010111001011101100000011
        000011111000001001111111110001001100111110010
        101110001101100000011000100001111101100011110
        010110101010001101001010100010110100101011010
        111110001110011010001000110101000001100010000
        110111111000011000111111110100101110111111011
        100101000111100101100011101001111101010100010
        111000100011110100000111000001000001110011010
        010100011101101010101000000010011111100000000
        001001100110111010001100010000001010001110000
        111011010111001100110000101100100101111100110
        000100111001100000110011010111011101010011010
        111110011011001000011010110011011110001110010
        110111111100001010000100010100001110000001101
        000000011011101011000011001111100100011101111
        000010101111001101101110101111111111110100010
        011110001011011111001010000001011010001010000
        100110100001001111111111101100001110111110011
        000000001000001111001000111101101100100010111
        111111101100011100001010110011101101101011010
        100000100000110111111000100101110011100010010
        101110101110000100011111100101001001111110001
        101110100111110101111001101100111100011100110
        101110100110011100010011110010110101001010010
        100000100100010010001110000110111010010110000
        111111101010011001101101100110011111001010001
        """

    @Test func matchesAnIndependentEncoder() throws {
        let code = try QRCode.encode(Self.goldenURI, errorCorrection: .medium)
        let rows = (0..<code.size).map { y in
            String((0..<code.size).map { x in code.isDark(x: x, y: y) ? "1" : "0" })
        }
        let expected = Self.goldenMatrix.split(separator: "\n").map {
            $0.trimmingPrefix(while: \.isWhitespace)
        }

        #expect(code.version == 7)
        #expect(code.mask == 4)
        #expect(rows.count == expected.count)
        for (index, row) in rows.enumerated() where index < expected.count {
            #expect(row == expected[index], "row \(index)")
        }
    }

    @Test func forcingTheChosenMaskGivesTheSameSymbol() throws {
        let chosen = try QRCode.encode(Self.goldenURI)
        let forced = try QRCode.encode(Self.goldenURI, errorCorrection: .medium, mask: chosen.mask)

        #expect(forced.modules == chosen.modules)
    }

    // MARK: SVG

    @Test func svgIsAnAccessibleBlackOnWhiteImage() throws {
        let svg = try QRCode.encode("hello").svg(title: "Scan <this> & \"that\"")

        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""))
        #expect(svg.contains("viewBox=\"0 0 29 29\" width=\"116\" height=\"116\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains(">Scan &lt;this&gt; &amp; &quot;that&quot;</title>"))
        #expect(svg.contains("<rect width=\"29\" height=\"29\" fill=\"#fff\"/>"))
        #expect(svg.contains("<path fill=\"#000\" d=\"M4 4h7v1h-7z"))
        #expect(svg.ranges(of: "<path").count == 1)
        #expect(!svg.contains("style"))
        #expect(svg.hasSuffix("</svg>"))
        let labelledBy = try #require(Self.attribute("aria-labelledby", in: svg))
        #expect(svg.contains("<title id=\"\(labelledBy)\">"))
    }

    @Test func svgSizesFollowModuleSizeAndQuietZone() throws {
        let svg = try QRCode.encode("hello").svg(title: "QR", moduleSize: 3, quietZone: 2)

        #expect(svg.contains("viewBox=\"0 0 25 25\" width=\"75\" height=\"75\""))
        #expect(svg.contains("d=\"M2 2h7v1h-7z"))
    }

    /// Rebuilds the symbol from the path's runs: they must cover exactly the dark modules, with
    /// touching runs in a row merged into one.
    @Test func svgPathDrawsEachRowsDarkRunsOnce() throws {
        let code = try QRCode.encode(Self.goldenURI)
        let quietZone = 4
        let svg = code.svg(title: "QR", quietZone: quietZone)
        let path = try #require(Self.attribute("d", in: svg))
        var drawn = Set<[Int]>()
        var runEnds = Set<[Int]>()
        for run in path.split(separator: "z") {
            let numbers = run.split(whereSeparator: { "Mhv- ".contains($0) }).compactMap { Int($0) }
            // "M x y h n v 1 h - n" gives x, y, n, 1, n.
            try #require(numbers.count == 5 && numbers[2] == numbers[4] && numbers[2] > 0, "\(run)")
            let (startX, y, length) = (numbers[0] - quietZone, numbers[1] - quietZone, numbers[2])
            #expect(!runEnds.contains([startX, y]), "run at (\(startX), \(y)) not merged")
            runEnds.insert([startX + length, y])
            for x in startX..<startX + length {
                #expect(drawn.insert([x, y]).inserted)
            }
        }
        for y in 0..<code.size {
            for x in 0..<code.size {
                #expect(drawn.contains([x, y]) == code.isDark(x: x, y: y), "(\(x), \(y))")
            }
        }
    }

    @Test func differentCodesGetDifferentTitleIDs() throws {
        let first = try QRCode.encode("first").svg(title: "QR")
        let second = try QRCode.encode("second").svg(title: "QR")

        #expect(Self.attribute("aria-labelledby", in: first) != nil)
        #expect(
            Self.attribute("aria-labelledby", in: first)
                != Self.attribute("aria-labelledby", in: second))
        #expect(first == (try QRCode.encode("first").svg(title: "QR")))
    }

    // MARK: Helpers

    /// A code of `version` at level M: the text that fills the version exactly.
    private static func code(version: Int) throws -> QRCode {
        let capacity = QRBlockLayout(version: version, errorCorrection: .medium).byteCapacity
        return try QRCode.encode(String(repeating: "a", count: capacity))
    }

    private static func binary(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 2)
        return String(repeating: "0", count: width - digits.count) + digits
    }

    /// The value of the first `name="…"` attribute in `markup`.
    private static func attribute(_ name: String, in markup: String) -> String? {
        guard let start = markup.range(of: " \(name)=\"") else { return nil }
        let rest = markup[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
