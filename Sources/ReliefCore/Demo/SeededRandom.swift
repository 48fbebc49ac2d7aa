/// A small, fast pseudo-random generator for demo and benchmark data: xoshiro256** seeded through
/// SplitMix64, so one seed always gives the same sequence on every platform and Swift version.
/// Not for secrets. Its own helpers (``int(in:)``, ``unit()``, ``chance(_:)``) are used instead of
/// the standard library's `random(in:using:)`, whose algorithm is not promised to stay the same.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence follows from `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        state = (
            Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer),
            Self.splitMix(&mixer)
        )
    }

    /// A generator for one item of a keyed stream (row `key` of a file, for instance): the same
    /// `seed` and `key` give the same sequence whatever was drawn for other keys.
    public init(seed: UInt64, key: UInt64) {
        self.init(seed: Self.hash(seed ^ (key &* 0xD1B5_4A32_D192_ED03)))
    }

    public mutating func next() -> UInt64 {
        let result = Self.rotate(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = Self.rotate(state.3, by: 45)
        return result
    }

    /// A uniform integer in `range`, by Lemire's multiply-shift with rejection.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        guard span != 0 else { return Int(truncatingIfNeeded: next()) }
        var product = next().multipliedFullWidth(by: span)
        if product.low < span {
            let threshold = (0 &- span) % span
            while product.low < threshold {
                product = next().multipliedFullWidth(by: span)
            }
        }
        return range.lowerBound &+ Int(truncatingIfNeeded: product.high)
    }

    /// A uniform integer in `0..<count`; `count` must be positive.
    public mutating func index(below count: Int) -> Int {
        precondition(count > 0, "nothing to choose from")
        return int(in: 0...(count - 1))
    }

    /// A uniform `Double` in `0..<1` with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with the given probability (0...1).
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniform element of a non-empty collection.
    public mutating func pick<Items: RandomAccessCollection>(_ items: Items) -> Items.Element
    where Items.Index == Int {
        items[items.startIndex + index(below: items.count)]
    }

    /// An index of `weights` chosen with probability proportional to its weight.
    public mutating func weightedIndex(_ weights: [Int]) -> Int {
        var total = 0
        for weight in weights { total += weight }
        var roll = index(below: total)
        var position = 0
        while roll >= weights[position] {
            roll -= weights[position]
            position += 1
        }
        return position
    }

    /// `count` uniform decimal digits ("0042").
    public mutating func digits(_ count: Int) -> String {
        var text = ""
        for _ in 0..<count {
            text.unicodeScalars.append(Unicode.Scalar(48 + UInt8(int(in: 0...9))))
        }
        return text
    }

    /// The elements in an order chosen uniformly (Fisher–Yates).
    public mutating func shuffled<Element>(_ items: [Element]) -> [Element] {
        var items = items
        for position in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(position, int(in: 0...position))
        }
        return items
    }

    private static func rotate(_ value: UInt64, by count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return hash(state)
    }

    /// SplitMix64's finalizer: a fast, well-spread hash of 64 bits.
    static func hash(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
