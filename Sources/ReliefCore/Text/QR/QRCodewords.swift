/// How one version's codewords split into Reed–Solomon blocks at one error correction level
/// (ISO/IEC 18004 Table 9), and the steps that turn text into the final codeword sequence.
struct QRBlockLayout {
    let version: Int
    let errorCorrection: QRCode.ErrorCorrection

    /// Every codeword the symbol holds, data and error correction: the modules left over by the
    /// function patterns and the version and format information, in whole bytes.
    var totalCodewordCount: Int { Self.totalCodewordsByVersion[version - 1] }

    /// How many Reed–Solomon blocks the codewords form.
    var blockCount: Int { errorCorrection.blockCounts[version - 1] }

    /// Error correction codewords in each block.
    var errorCorrectionPerBlock: Int { errorCorrection.codewordsPerBlock[version - 1] }

    /// Codewords left for data once every block has its error correction.
    var dataCodewordCount: Int { totalCodewordCount - blockCount * errorCorrectionPerBlock }

    /// Bits taken by the byte-mode header: the mode indicator and the character count.
    private var headerBits: Int { 4 + characterCountBits }

    /// The width of byte mode's character count: 8 bits up to version 9, 16 from version 10 on.
    private var characterCountBits: Int { version < 10 ? 8 : 16 }

    /// How many bytes fit in byte mode.
    var byteCapacity: Int { (dataCodewordCount * 8 - headerBits) / 8 }

    private static let totalCodewordsByVersion = (1...40).map { version in
        QRMatrix(version: version).dataModuleCount / 8
    }

    /// The data codewords for `bytes` (at most `byteCapacity` of them): the byte-mode segment,
    /// a terminator of up to four zero bits, zero bits to the next byte boundary, then the pad
    /// codewords 0xEC and 0x11 in turn until the data capacity is full.
    func dataCodewords(for bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count <= byteCapacity, "\(bytes.count) bytes exceed the capacity")
        var writer = BitWriter()
        writer.append(0b0100, bitCount: 4)
        writer.append(bytes.count, bitCount: characterCountBits)
        for byte in bytes { writer.append(Int(byte), bitCount: 8) }
        writer.append(0, bitCount: min(4, dataCodewordCount * 8 - writer.bitCount))
        writer.append(0, bitCount: (8 - writer.bitCount % 8) % 8)
        var codewords = writer.bytes
        let padCodewords: [UInt8] = [0xEC, 0x11]
        for index in 0..<(dataCodewordCount - codewords.count) {
            codewords.append(padCodewords[index % 2])
        }
        return codewords
    }

    /// The codewords in the order they are placed: `data` split into blocks (the later blocks
    /// one codeword longer when the split is uneven), each block's error correction computed,
    /// then the data codewords interleaved across blocks, followed by the error correction
    /// codewords interleaved the same way.
    func interleavedCodewords(data: [UInt8]) -> [UInt8] {
        precondition(
            data.count == dataCodewordCount, "expected \(dataCodewordCount) data codewords")
        let shortBlockCount = blockCount - totalCodewordCount % blockCount
        let shortBlockDataLength = totalCodewordCount / blockCount - errorCorrectionPerBlock
        var blocks: [ArraySlice<UInt8>] = []
        var start = 0
        for blockIndex in 0..<blockCount {
            let length = shortBlockDataLength + (blockIndex < shortBlockCount ? 0 : 1)
            blocks.append(data[start..<start + length])
            start += length
        }
        let corrections = blocks.map {
            ReedSolomon.errorCorrection(for: Array($0), count: errorCorrectionPerBlock)
        }
        var result: [UInt8] = []
        result.reserveCapacity(totalCodewordCount)
        for offset in 0...shortBlockDataLength {
            for block in blocks where offset < block.count {
                result.append(block[block.startIndex + offset])
            }
        }
        for offset in 0..<errorCorrectionPerBlock {
            for correction in corrections { result.append(correction[offset]) }
        }
        return result
    }
}

/// Collects values most significant bit first and packs them into bytes.
private struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var bitCount = 0

    mutating func append(_ value: Int, bitCount count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) {
            if bitCount % 8 == 0 { bytes.append(0) }
            if value >> shift & 1 == 1 {
                bytes[bytes.count - 1] |= 0x80 >> UInt8(bitCount % 8)
            }
            bitCount += 1
        }
    }
}

extension QRCode.ErrorCorrection {
    /// The level's two bits in the format information: L 01, M 00, Q 11, H 10.
    var formatIndicator: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }

    /// Error correction codewords in each block, for versions 1 through 40.
    fileprivate var codewordsPerBlock: [Int] {
        switch self {
        case .low: Self.lowCodewordsPerBlock
        case .medium: Self.mediumCodewordsPerBlock
        case .quartile: Self.quartileCodewordsPerBlock
        case .high: Self.highCodewordsPerBlock
        }
    }

    /// Reed–Solomon blocks, for versions 1 through 40.
    fileprivate var blockCounts: [Int] {
        switch self {
        case .low: Self.lowBlockCounts
        case .medium: Self.mediumBlockCounts
        case .quartile: Self.quartileBlockCounts
        case .high: Self.highBlockCounts
        }
    }

    private static let lowCodewordsPerBlock = [
        7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
        28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ]
    private static let mediumCodewordsPerBlock = [
        10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    private static let quartileCodewordsPerBlock = [
        13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
        28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ]
    private static let highCodewordsPerBlock = [
        17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
        30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ]
    private static let lowBlockCounts = [
        1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
        8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ]
    private static let mediumBlockCounts = [
        1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]
    private static let quartileBlockCounts = [
        1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
        23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ]
    private static let highBlockCounts = [
        1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
        25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ]
}
