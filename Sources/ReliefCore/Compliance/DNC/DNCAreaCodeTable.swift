/// The numbers of one area code on one list, compact and immutable.
///
/// A subscriber number is the seven digits after the area code (exchange and line, NXX-XXXX) as
/// an integer, `0...9_999_999`. The table keeps the numbers of each of the 1,000 exchanges in the
/// smallest of three layouts, chosen per exchange by how many numbers it holds (`n`):
///
/// | layout | bytes | smallest for |
/// |---|---|---|
/// | list: the line numbers (last four digits) as sorted `UInt16` | `2n` | `n <= 80` |
/// | buckets: 40 buckets of 256 lines; the low byte of each line, sorted, after 40 `UInt16` bucket ends | `n + 80` | `81...1169` |
/// | bitmap: one bit per line | 1,250 | `n >= 1170` |
///
/// So an exchange never costs more than 2 bytes a number, one with more than 80 numbers at most
/// `1 + 80/n` bytes a number, and a dense one under 1,250 / `n`; plus a fixed directory of
/// about 5 KB per table (a layout byte and a 4-byte offset per exchange). The whole table is
/// three arrays, so copying it is one reference, and a lookup is a directory read and a binary
/// search of at most 256 bytes or 80 `UInt16`s, or one bit test.
///
/// The layout of every exchange follows from its numbers alone, so two tables of the same numbers
/// are byte for byte the same, whatever order or duplicates they were built from.
public struct DNCAreaCodeTable: Sendable, Equatable {
    /// How one exchange's numbers are stored.
    enum Layout: UInt8 {
        case empty = 0
        case list = 1
        case buckets = 2
        case bitmap = 3

        /// The smallest layout for `count` numbers; on a tie the quicker one to read (the list
        /// over buckets at 80, the bitmap over buckets at 1,170).
        init(count: Int) {
            if count == 0 {
                self = .empty
            } else if count <= DNCAreaCodeTable.bucketDirectoryBytes {
                self = .list
            } else if count + DNCAreaCodeTable.bucketDirectoryBytes < DNCAreaCodeTable.bitmapBytes {
                self = .buckets
            } else {
                self = .bitmap
            }
        }

        /// The bytes of an exchange of `count` numbers in this layout.
        func byteCount(count: Int) -> Int {
            switch self {
            case .empty: 0
            case .list: 2 * count
            case .buckets: DNCAreaCodeTable.bucketDirectoryBytes + count
            case .bitmap: DNCAreaCodeTable.bitmapBytes
            }
        }
    }

    static let exchangeCount = 1_000
    static let linesPerExchange = 10_000
    static let largestSubscriber: UInt32 = 9_999_999
    static let bitmapBytes = 1_250
    static let bucketCount = 40
    static let bucketDirectoryBytes = 2 * bucketCount

    private let storage: Storage

    /// A table of `subscribers` (seven-digit numbers, `0...9_999_999`), in any order, duplicates
    /// allowed. A number above 9,999,999 is a programming error and stops the process.
    public init(subscribers: some Sequence<UInt32>) {
        var bits = SubscriberBits()
        for subscriber in subscribers { bits.insert(subscriber) }
        self.init(bits)
    }

    init(_ bits: SubscriberBits) {
        storage = Storage(bits)
    }

    /// The numbers in the table.
    public var count: Int { storage.count }

    /// Whether the seven-digit `subscriber` is in the table (false above 9,999,999).
    public func contains(_ subscriber: UInt32) -> Bool {
        guard subscriber <= Self.largestSubscriber else { return false }
        let exchange = Int(subscriber / 10_000)
        let line = Int(subscriber % 10_000)
        return storage.contains(exchange: exchange, line: line)
    }

    /// This table with `removals` taken out and then `additions` put in: a number in both ends up
    /// in the table (for a do-not-call list the safe side).
    public func applying(
        additions: some Sequence<UInt32>, removals: some Sequence<UInt32>
    ) -> DNCAreaCodeTable {
        var bits = SubscriberBits()
        forEachSubscriber { bits.insert($0) }
        for subscriber in removals { bits.remove(subscriber) }
        for subscriber in additions { bits.insert(subscriber) }
        return DNCAreaCodeTable(bits)
    }

    /// Calls `body` with every number of the table, in ascending order.
    public func forEachSubscriber(_ body: (UInt32) throws -> Void) rethrows {
        try storage.payload.withUnsafeBytes { payload in
            for exchange in 0..<Self.exchangeCount {
                let segment = UnsafeRawBufferPointer(
                    rebasing: payload[storage.segmentRange(exchange)])
                let base = UInt32(exchange * Self.linesPerExchange)
                try Self.forEachLine(in: segment, layout: storage.layouts[exchange]) {
                    try body(base + UInt32($0))
                }
            }
        }
    }

    /// The heap bytes the table holds: its three buffers with their headers, and the object that
    /// owns them.
    public var memoryBytes: Int {
        let objectBytes = 48
        let arrayHeaderBytes = 32
        return objectBytes + 3 * arrayHeaderBytes + storage.payload.capacity
            + storage.layouts.capacity + storage.starts.capacity * MemoryLayout<UInt32>.stride
    }

    public static func == (lhs: DNCAreaCodeTable, rhs: DNCAreaCodeTable) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.storage.count == rhs.storage.count && lhs.storage.layouts == rhs.storage.layouts
                && lhs.storage.starts == rhs.storage.starts
                && lhs.storage.payload == rhs.storage.payload)
    }

    var layouts: [Layout] { storage.layouts }

    var payload: [UInt8] { storage.payload }

    func segmentRange(_ exchange: Int) -> Range<Int> { storage.segmentRange(exchange) }

    /// Calls `body` with the line numbers (0...9999) of one exchange's bytes in `layout`, in the
    /// order they are stored (ascending in a valid segment). A buckets segment must have a valid
    /// directory (ascending ends, the last one the segment's count).
    static func forEachLine(
        in segment: UnsafeRawBufferPointer, layout: Layout, _ body: (Int) throws -> Void
    ) rethrows {
        switch layout {
        case .empty:
            break
        case .list:
            for offset in stride(from: 0, to: segment.count, by: 2) {
                try body(Int(readUInt16(segment, at: offset)))
            }
        case .buckets:
            var start = 0
            for bucket in 0..<bucketCount {
                let end = Int(readUInt16(segment, at: 2 * bucket))
                for index in start..<end {
                    try body(bucket << 8 | Int(segment[bucketDirectoryBytes + index]))
                }
                start = end
            }
        case .bitmap:
            for (index, byte) in segment.enumerated() where byte != 0 {
                var bits = byte
                while bits != 0 {
                    try body(index << 3 | bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
        }
    }

    static func readUInt16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
}

extension DNCAreaCodeTable {
    /// The immutable buffers of a table: a layout and a start offset per exchange, and the bytes
    /// of every exchange one after the other.
    final class Storage: Sendable {
        let layouts: [Layout]
        /// `starts[e]..<starts[e + 1]` are the bytes of exchange `e` in `payload`.
        let starts: [UInt32]
        let payload: [UInt8]
        let count: Int

        init(_ bits: SubscriberBits) {
            var layouts: [Layout] = []
            layouts.reserveCapacity(exchangeCount)
            var counts: [Int] = []
            counts.reserveCapacity(exchangeCount)
            var size = 0
            for exchange in 0..<exchangeCount {
                let count = bits.count(exchange: exchange)
                let layout = Layout(count: count)
                layouts.append(layout)
                counts.append(count)
                size += layout.byteCount(count: count)
            }
            var starts: [UInt32] = []
            starts.reserveCapacity(exchangeCount + 1)
            var payload: [UInt8] = []
            payload.reserveCapacity(size)
            for exchange in 0..<exchangeCount {
                starts.append(UInt32(payload.count))
                bits.append(exchange: exchange, as: layouts[exchange], to: &payload)
            }
            starts.append(UInt32(payload.count))
            self.layouts = layouts
            self.starts = starts
            self.payload = payload
            self.count = counts.reduce(0, +)
        }

        func segmentRange(_ exchange: Int) -> Range<Int> {
            Int(starts[exchange])..<Int(starts[exchange + 1])
        }

        func contains(exchange: Int, line: Int) -> Bool {
            let range = segmentRange(exchange)
            switch layouts[exchange] {
            case .empty:
                return false
            case .list:
                return payload.withUnsafeBytes { payload in
                    var low = 0
                    var high = range.count / 2
                    let wanted = UInt16(line)
                    while low < high {
                        let middle = (low + high) / 2
                        let value = readUInt16(payload, at: range.lowerBound + 2 * middle)
                        if value == wanted { return true }
                        if value < wanted { low = middle + 1 } else { high = middle }
                    }
                    return false
                }
            case .buckets:
                return payload.withUnsafeBytes { payload in
                    let bucket = line >> 8
                    let directory = range.lowerBound
                    var low =
                        bucket == 0 ? 0 : Int(readUInt16(payload, at: directory + 2 * bucket - 2))
                    var high = Int(readUInt16(payload, at: directory + 2 * bucket))
                    let entries = directory + bucketDirectoryBytes
                    let wanted = UInt8(line & 0xFF)
                    while low < high {
                        let middle = (low + high) / 2
                        let value = payload[entries + middle]
                        if value == wanted { return true }
                        if value < wanted { low = middle + 1 } else { high = middle }
                    }
                    return false
                }
            case .bitmap:
                return payload[range.lowerBound + line >> 3] & (1 << UInt8(line & 7)) != 0
            }
        }
    }

    /// A scratch set of seven-digit numbers: 10,240 bits per exchange (160 words, so that every
    /// exchange and every 256-line bucket starts on a word), 1.28 MB in all.
    struct SubscriberBits {
        static let wordsPerExchange = 160
        /// The words that hold lines 0...9999 (the last one partly).
        static let usedWordsPerExchange = 157

        private var words = [UInt64](repeating: 0, count: exchangeCount * wordsPerExchange)

        private static func position(_ subscriber: UInt32) -> (word: Int, bit: UInt64) {
            precondition(subscriber <= largestSubscriber, "\(subscriber) is not a 7-digit number")
            let exchange = Int(subscriber / 10_000)
            let line = Int(subscriber % 10_000)
            return (exchange * wordsPerExchange + line >> 6, 1 << UInt64(line & 63))
        }

        mutating func insert(_ subscriber: UInt32) {
            let (word, bit) = Self.position(subscriber)
            words[word] |= bit
        }

        mutating func remove(_ subscriber: UInt32) {
            let (word, bit) = Self.position(subscriber)
            words[word] &= ~bit
        }

        func count(exchange: Int) -> Int {
            let first = exchange * Self.wordsPerExchange
            var count = 0
            for word in words[first..<first + Self.usedWordsPerExchange] {
                count += word.nonzeroBitCount
            }
            return count
        }

        /// Appends the bytes of `exchange` in `layout` (the layout its count calls for).
        func append(exchange: Int, as layout: Layout, to payload: inout [UInt8]) {
            let first = exchange * Self.wordsPerExchange
            let exchangeWords = words[first..<first + Self.wordsPerExchange]
            switch layout {
            case .empty:
                break
            case .list:
                forEachLine(exchangeWords) { line in
                    payload.append(UInt8(line & 0xFF))
                    payload.append(UInt8(line >> 8))
                }
            case .buckets:
                var end = 0
                for bucket in 0..<bucketCount {
                    let bucketWords = first + 4 * bucket
                    for word in words[bucketWords..<bucketWords + 4] { end += word.nonzeroBitCount }
                    payload.append(UInt8(end & 0xFF))
                    payload.append(UInt8(end >> 8))
                }
                forEachLine(exchangeWords) { payload.append(UInt8($0 & 0xFF)) }
            case .bitmap:
                var remaining = bitmapBytes
                for word in exchangeWords where remaining > 0 {
                    for shift in stride(from: 0, to: min(64, 8 * remaining), by: 8) {
                        payload.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
                    }
                    remaining -= 8
                }
            }
        }

        private func forEachLine(_ exchangeWords: ArraySlice<UInt64>, _ body: (Int) -> Void) {
            for (index, word) in exchangeWords.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    body(index << 6 | bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
        }
    }
}
