/// The module grid of one QR code symbol while it is built: the function patterns, the data
/// placement, masking and the penalty score that picks the mask (ISO/IEC 18004 §6.3, §7.7–7.9).
/// Coordinates are `x` (column) and `y` (row) from the top-left corner.
struct QRMatrix {
    let version: Int
    let size: Int
    /// Dark modules, row by row.
    private(set) var modules: [Bool]
    /// Modules of function patterns and of the format and version information, which data and
    /// masks leave alone.
    private var isFunction: [Bool]

    /// An empty symbol of `version` with its function patterns and version information drawn and
    /// the format information areas reserved.
    init(version: Int) {
        precondition((1...40).contains(version), "QR code versions run from 1 to 40")
        self.version = version
        size = version * 4 + 17
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        drawTimingPatterns()
        drawFinderPatterns()
        drawAlignmentPatterns()
        drawFormatInformation(0)  // reserves the areas; the real bits come with the mask
        setFunctionModule(x: 8, y: size - 8, dark: true)  // the dark module
        if version >= 7 { drawVersionInformation() }
    }

    subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// How many modules are left for codewords and remainder bits.
    var dataModuleCount: Int { isFunction.count(where: { !$0 }) }

    // MARK: Function patterns

    /// The dotted row and column 6 between the finder patterns, dark on even coordinates.
    private mutating func drawTimingPatterns() {
        for index in 0..<size {
            setFunctionModule(x: index, y: 6, dark: index % 2 == 0)
            setFunctionModule(x: 6, y: index, dark: index % 2 == 0)
        }
    }

    /// The three 7×7 finder patterns — rings dark, light and dark around a 3×3 dark centre —
    /// each with its light one-module separator on the sides facing the symbol.
    private mutating func drawFinderPatterns() {
        for (centerX, centerY) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for deltaY in -4...4 {
                for deltaX in -4...4 {
                    let x = centerX + deltaX
                    let y = centerY + deltaY
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let ring = max(abs(deltaX), abs(deltaY))
                    setFunctionModule(x: x, y: y, dark: ring != 2 && ring != 4)
                }
            }
        }
    }

    /// The 5×5 alignment patterns — a dark ring, a light ring and a dark centre — at every pair
    /// of the version's centre coordinates except the three that would overlap a finder.
    private mutating func drawAlignmentPatterns() {
        let centers = Self.alignmentPatternCenters[version - 1]
        guard let first = centers.first, let last = centers.last else { return }
        for centerY in centers {
            for centerX in centers {
                let overlapsFinder =
                    (centerX == first && centerY == first) || (centerX == first && centerY == last)
                    || (centerX == last && centerY == first)
                guard !overlapsFinder else { continue }
                for deltaY in -2...2 {
                    for deltaX in -2...2 {
                        let ring = max(abs(deltaX), abs(deltaY))
                        setFunctionModule(x: centerX + deltaX, y: centerY + deltaY, dark: ring != 1)
                    }
                }
            }
        }
    }

    /// The 18-bit version information, twice: bit i goes to column size − 11 + i % 3, row i / 3
    /// (a 3×6 block left of the top-right finder) and, mirrored across the diagonal, to the 6×3
    /// block above the bottom-left finder.
    private mutating func drawVersionInformation() {
        let bits = Self.versionInformation(version: version)
        for index in 0..<18 {
            let dark = bits >> index & 1 == 1
            let across = index / 3
            let along = size - 11 + index % 3
            setFunctionModule(x: along, y: across, dark: dark)
            setFunctionModule(x: across, y: along, dark: dark)
        }
    }

    /// Writes the 15 format bits, twice: once around the top-left finder, once split between the
    /// bottom-left and top-right finders.
    mutating func drawFormatInformation(_ bits: Int) {
        let aroundTopLeft =
            (0...5).map { (x: $0, y: 8) } + [(x: 7, y: 8), (x: 8, y: 8), (x: 8, y: 7)]
            + (0...5).reversed().map { (x: 8, y: $0) }
        let splitCopy =
            (1...7).map { (x: 8, y: size - $0) }
            + stride(from: 8, through: 1, by: -1).map { (x: size - $0, y: 8) }
        for (index, bitPosition) in (0..<15).reversed().enumerated() {
            let dark = bits >> bitPosition & 1 == 1
            setFunctionModule(x: aroundTopLeft[index].x, y: aroundTopLeft[index].y, dark: dark)
            setFunctionModule(x: splitCopy[index].x, y: splitCopy[index].y, dark: dark)
        }
    }

    private mutating func setFunctionModule(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    // MARK: Data

    /// Places the codewords' bits, most significant first, in two-module-wide columns that run
    /// from the bottom-right corner upwards, then downwards, and so on leftwards, skipping
    /// function modules and the vertical timing column. Modules past the last bit (the remainder
    /// bits) stay light.
    mutating func place(_ codewords: [UInt8]) {
        var bitIndex = 0
        var upwards = true
        var rightColumn = size - 1
        while rightColumn > 0 {
            if rightColumn == 6 { rightColumn = 5 }
            for step in 0..<size {
                let y = upwards ? size - 1 - step : step
                for x in [rightColumn, rightColumn - 1] where !isFunction[y * size + x] {
                    if bitIndex < codewords.count * 8 {
                        let codeword = codewords[bitIndex / 8]
                        modules[y * size + x] = codeword >> UInt8(7 - bitIndex % 8) & 1 == 1
                    }
                    bitIndex += 1
                }
            }
            upwards.toggle()
            rightColumn -= 2
        }
    }

    /// Inverts every data module where mask pattern `mask` (0...7) holds.
    mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] {
                if Self.maskInverts(mask, x: x, y: y) { modules[y * size + x].toggle() }
            }
        }
    }

    /// The mask pattern conditions of ISO/IEC 18004 Table 10, whose i is the row `y` and j the
    /// column `x`.
    private static func maskInverts(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (y + x) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (y + x) % 3 == 0
        case 4: (y / 2 + x / 3) % 2 == 0
        case 5: (y * x) % 2 + (y * x) % 3 == 0
        case 6: ((y * x) % 2 + (y * x) % 3) % 2 == 0
        case 7: ((y + x) % 2 + (y * x) % 3) % 2 == 0
        default: preconditionFailure("mask patterns run from 0 to 7")
        }
    }

    // MARK: Penalty

    /// The penalty score of ISO/IEC 18004 §7.8.3; the mask with the lowest score is used.
    /// 1. Each run of five or more same-coloured modules in a row or column: 3 + (length − 5).
    /// 2. Each 2×2 block of one colour (overlapping blocks all count): 3.
    /// 3. Each dark-light-dark-dark-dark-light-dark pattern with four light modules on either
    ///    side in a row or column: 40.
    /// 4. Each full 5 % that the share of dark modules deviates from 50 %: 10.
    var penalty: Int {
        let rows = (0..<size).map { y in Array(modules[y * size..<(y + 1) * size]) }
        let columns = (0..<size).map { x in (0..<size).map { y in modules[y * size + x] } }
        let lines = rows + columns
        return lines.map(Self.runPenalty).reduce(0, +) + blockPenalty
            + lines.map(Self.finderLikePenalty).reduce(0, +) + balancePenalty
    }

    private static func runPenalty(_ line: [Bool]) -> Int {
        var total = 0
        var runLength = 0
        for (index, module) in line.enumerated() {
            runLength = index > 0 && line[index - 1] == module ? runLength + 1 : 1
            if runLength == 5 {
                total += 3
            } else if runLength > 5 {
                total += 1
            }
        }
        return total
    }

    private var blockPenalty: Int {
        var total = 0
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let color = self[x, y]
                let isUniform =
                    self[x + 1, y] == color && self[x, y + 1] == color
                    && self[x + 1, y + 1] == color
                if isUniform { total += 3 }
            }
        }
        return total
    }

    private static let finderLikeRuns: [[Bool]] = {
        let core = [true, false, true, true, true, false, true]
        let lightRun = [Bool](repeating: false, count: 4)
        return [core + lightRun, lightRun + core]
    }()

    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        let width = finderLikeRuns[0].count
        guard line.count >= width else { return 0 }
        var total = 0
        for start in 0...(line.count - width) {
            let window = line[start..<start + width]
            total += finderLikeRuns.count(where: { window.elementsEqual($0) }) * 40
        }
        return total
    }

    private var balancePenalty: Int {
        let darkCount = modules.count(where: { $0 })
        let fivePercentSteps = abs(darkCount * 20 - modules.count * 10) / modules.count
        return fivePercentSteps * 10
    }

    // MARK: Format and version information

    /// The format information: the level's two bits and the three mask bits, then ten BCH(15,5)
    /// check bits from the generator x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1 (0x537), all XORed with
    /// 0x5412 so that no combination is all light.
    static func formatInformation(errorCorrection: QRCode.ErrorCorrection, mask: Int) -> Int {
        let data = errorCorrection.formatIndicator << 3 | mask
        return (data << 10 | bchRemainder(data, checkBits: 10, generator: 0x537)) ^ 0x5412
    }

    /// The version information of versions 7 and up: the six version bits, then twelve BCH(18,6)
    /// check bits from the generator x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1 (0x1F25).
    static func versionInformation(version: Int) -> Int {
        version << 12 | bchRemainder(version, checkBits: 12, generator: 0x1F25)
    }

    /// The remainder of data(x)·x^checkBits divided by `generator`, polynomials over GF(2).
    private static func bchRemainder(_ data: Int, checkBits: Int, generator: Int) -> Int {
        var remainder = data << checkBits
        while true {
            let degree = remainder.bitWidth - remainder.leadingZeroBitCount - 1
            guard degree >= checkBits else { return remainder }
            remainder ^= generator << (degree - checkBits)
        }
    }

    /// The row and column coordinates of the alignment pattern centres (ISO/IEC 18004 Annex E),
    /// for versions 1 through 40.
    static let alignmentPatternCenters: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58],
        [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78],
        [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90], [6, 28, 50, 72, 94],
        [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110],
        [6, 30, 58, 86, 114], [6, 34, 62, 90, 118], [6, 26, 50, 74, 98, 122],
        [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134],
        [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154],
        [6, 28, 54, 80, 106, 132, 158], [6, 32, 58, 84, 110, 136, 162],
        [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]
}
