import Foundation

/// Every area code table of one list (e.g. "national" or "TX"), in memory; lookups never block
/// on a reload.
///
/// The tables are immutable values in an array indexed by area code. A lookup holds the lock
/// only to copy one table reference out of the array, then searches the table without it; a
/// reload builds its new table first (from a file or a stored blob, which takes as long as it
/// takes) and then holds the lock only to swap the reference in. Lookups that started before the
/// swap finish on the old table, later ones see the new one, and none waits for the load.
public final class DNCRegistry: @unchecked Sendable {
    /// The area codes a table can be stored under: 200...999 (a NANP area code starts with 2-9).
    public static let areaCodeRange = 200...999

    private let lock = NSLock()
    // Guarded by `lock`: the table of each area code 0...999 (only 200...999 are ever set), and
    // the totals of those tables.
    private var tables = [DNCAreaCodeTable?](repeating: nil, count: 1_000)
    private var numberCount = 0
    private var tableBytes = 0

    /// An empty registry.
    public init() {}

    /// Puts `table` in for `areaCode` (200...999), replacing its old table; `nil` removes the
    /// area code. Holds the lock only for the swap.
    public func replace(areaCode: Int, with table: DNCAreaCodeTable?) {
        precondition(Self.areaCodeRange.contains(areaCode), "\(areaCode) is not an area code")
        let replaced = lock.withLock {
            let old = tables[areaCode]
            tables[areaCode] = table
            numberCount += (table?.count ?? 0) - (old?.count ?? 0)
            tableBytes += (table?.memoryBytes ?? 0) - (old?.memoryBytes ?? 0)
            return old
        }
        // The old table is freed here, after the lock, so freeing it never delays a lookup.
        withExtendedLifetime(replaced) {}
    }

    /// The table of `areaCode`, or nil when it has none (or is not 200...999).
    public func table(areaCode: Int) -> DNCAreaCodeTable? {
        guard Self.areaCodeRange.contains(areaCode) else { return nil }
        return lock.withLock { tables[areaCode] }
    }

    /// Whether the 10-digit number `nationalDigits` ("2025550143") is on the list; false for
    /// anything that is not exactly ten ASCII digits.
    public func contains(nationalDigits: String) -> Bool {
        var digits = nationalDigits
        return digits.withUTF8 { bytes in
            guard bytes.count == 10 else { return false }
            var value = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return contains(areaCode: value / 10_000_000, subscriber: UInt32(value % 10_000_000))
        }
    }

    /// Whether `subscriber` (the seven digits after the area code, as an integer) of `areaCode`
    /// is on the list.
    public func contains(areaCode: Int, subscriber: UInt32) -> Bool {
        table(areaCode: areaCode)?.contains(subscriber) ?? false
    }

    /// The numbers in all tables.
    public var count: Int { lock.withLock { numberCount } }

    /// The heap bytes of all tables and of the registry's own array of them.
    public var memoryBytes: Int {
        lock.withLock {
            tableBytes + 32 + tables.capacity * MemoryLayout<DNCAreaCodeTable?>.stride
        }
    }

    /// The area codes that have a table, ascending.
    public var areaCodes: [Int] {
        let snapshot = lock.withLock { tables }
        return snapshot.indices.filter { snapshot[$0] != nil }
    }
}
