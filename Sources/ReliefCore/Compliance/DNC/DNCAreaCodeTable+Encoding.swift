/// Why bytes could not be read as an encoded ``DNCAreaCodeTable``.
public enum DNCTableDecodingError: Error, Equatable, CustomStringConvertible {
    /// Fewer bytes than the smallest table (a header, the directory and the checksum).
    case truncated(byteCount: Int)
    /// The bytes do not start with the table's magic `DNCT`.
    case notATable
    /// A format version this code does not read (a newer writer).
    case unsupportedVersion(Int)
    /// The CRC-32 stored at the end is not the CRC-32 of the bytes before it.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// The checksum is right but the contents are not a valid table (a faulty writer).
    case corrupt(String)

    public var description: String {
        switch self {
        case .truncated(let count):
            "not a DNC table: \(count) bytes is shorter than the smallest table"
        case .notATable:
            "not a DNC table: the bytes do not start with DNCT"
        case .unsupportedVersion(let version):
            "DNC table format version \(version) is not supported (this build reads version 1)"
        case .checksumMismatch(let stored, let computed):
            "corrupt DNC table: stored CRC-32 \(hex(stored)), computed \(hex(computed))"
        case .corrupt(let detail):
            "corrupt DNC table: \(detail)"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// The stored form of a table (format version 1), all integers little-endian:
///
/// | offset | bytes | content |
/// |---|---|---|
/// | 0 | 4 | magic `DNCT` |
/// | 4 | 1 | format version, 1 |
/// | 5 | 3 | zero |
/// | 8 | 4 | numbers in the table (`UInt32`) |
/// | 12 | 4 | payload bytes, `P` (`UInt32`) |
/// | 16 | 1,000 | layout of each exchange 000...999: 0 empty, 1 list, 2 buckets, 3 bitmap |
/// | 1,016 | 2,000 | numbers in each exchange (`UInt16`) |
/// | 3,016 | `P` | each exchange's bytes in its layout, exchange 000 first (see ``DNCAreaCodeTable``) |
/// | 3,016 + `P` | 4 | CRC-32 (zlib's) of every byte before it |
///
/// Reading checks all of it (the checksum, the sizes, the layouts, numbers strictly ascending
/// within each exchange and below 10,000) and builds the table anew, so a blob written by another
/// writer gives the same table as the same numbers would.
extension DNCAreaCodeTable {
    private static let magic = Array("DNCT".utf8)
    private static let formatVersion: UInt8 = 1
    private static let headerBytes = 16
    private static let directoryBytes = 3 * exchangeCount
    private static let checksumBytes = 4

    /// The table's stable binary form, for storing as a blob.
    public func encoded() -> [UInt8] {
        let payload = payload
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            Self.headerBytes + Self.directoryBytes + payload.count + Self.checksumBytes)
        bytes += Self.magic
        bytes += [Self.formatVersion, 0, 0, 0]
        Self.append(UInt32(count), to: &bytes)
        Self.append(UInt32(payload.count), to: &bytes)
        bytes += layouts.map(\.rawValue)
        payload.withUnsafeBytes { payload in
            for exchange in 0..<Self.exchangeCount {
                var count = 0
                Self.forEachLine(
                    in: UnsafeRawBufferPointer(rebasing: payload[segmentRange(exchange)]),
                    layout: layouts[exchange]
                ) { _ in count += 1 }
                bytes.append(UInt8(count & 0xFF))
                bytes.append(UInt8(count >> 8))
            }
        }
        bytes += payload
        Self.append(bytes.withUnsafeBytes { CRC32.checksum($0) }, to: &bytes)
        return bytes
    }

    /// Reads a table from its ``encoded()`` form; throws ``DNCTableDecodingError`` when the
    /// bytes are not a whole, valid table.
    public init(encoded bytes: [UInt8]) throws {
        let smallest = Self.headerBytes + Self.directoryBytes + Self.checksumBytes
        guard bytes.count >= smallest else {
            throw DNCTableDecodingError.truncated(byteCount: bytes.count)
        }
        guard Array(bytes[0..<4]) == Self.magic else { throw DNCTableDecodingError.notATable }
        guard bytes[4] == Self.formatVersion else {
            throw DNCTableDecodingError.unsupportedVersion(Int(bytes[4]))
        }
        let bits = try bytes.withUnsafeBytes { raw in
            let body = UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - Self.checksumBytes])
            let stored = Self.readUInt32(raw, at: body.count)
            let computed = CRC32.checksum(body)
            guard stored == computed else {
                throw DNCTableDecodingError.checksumMismatch(stored: stored, computed: computed)
            }
            return try Self.readBits(body)
        }
        self.init(bits)
    }

    /// The numbers of a blob whose checksum is right, checked for consistency.
    private static func readBits(_ body: UnsafeRawBufferPointer) throws -> SubscriberBits {
        func corrupt(_ detail: String) -> DNCTableDecodingError { .corrupt(detail) }
        guard body[5] == 0, body[6] == 0, body[7] == 0 else {
            throw corrupt("reserved header bytes are not zero")
        }
        let total = Int(readUInt32(body, at: 8))
        let payloadBytes = Int(readUInt32(body, at: 12))
        let payloadStart = headerBytes + directoryBytes
        guard payloadStart + payloadBytes == body.count else {
            throw corrupt(
                "the header says \(payloadBytes) payload bytes, the blob has "
                    + "\(body.count - payloadStart)")
        }
        var bits = SubscriberBits()
        var offset = payloadStart
        var seenTotal = 0
        for exchange in 0..<exchangeCount {
            let name = "exchange " + String(1000 + exchange).dropFirst()
            guard let layout = Layout(rawValue: body[headerBytes + exchange]) else {
                throw corrupt("\(name) has unknown layout \(body[headerBytes + exchange])")
            }
            let count = Int(readUInt16(body, at: headerBytes + exchangeCount + 2 * exchange))
            guard count <= linesPerExchange, (layout == .empty) == (count == 0) else {
                throw corrupt("\(name) has \(count) numbers in layout \(layout)")
            }
            let size = layout.byteCount(count: count)
            guard offset + size <= body.count else {
                throw corrupt("\(name) runs past the end of the payload")
            }
            let segment = UnsafeRawBufferPointer(rebasing: body[offset..<offset + size])
            if layout == .buckets {
                var previous = 0
                for bucket in 0..<bucketCount {
                    let end = Int(readUInt16(segment, at: 2 * bucket))
                    guard end >= previous, end <= count else {
                        throw corrupt("\(name) has an invalid bucket directory")
                    }
                    previous = end
                }
                guard previous == count else {
                    throw corrupt("\(name) has an invalid bucket directory")
                }
            }
            var previous = -1
            var seen = 0
            let base = UInt32(exchange * linesPerExchange)
            try forEachLine(in: segment, layout: layout) { line in
                guard line > previous, line < linesPerExchange else {
                    throw corrupt("\(name) has numbers out of order or out of range")
                }
                previous = line
                seen += 1
                bits.insert(base + UInt32(line))
            }
            guard seen == count else {
                throw corrupt("\(name) holds \(seen) numbers, its count says \(count)")
            }
            seenTotal += count
            offset += size
        }
        guard seenTotal == total else {
            throw corrupt("the exchanges hold \(seenTotal) numbers, the header says \(total)")
        }
        return bits
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    private static func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
