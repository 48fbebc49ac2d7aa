import Foundation

/// Reads the rows of a CSV file from disk in 1 MiB chunks, in constant memory, detecting the
/// dialect from the first chunk.
public final class CSVFileReader {
    /// The size of each read.
    public static let chunkSize = 1 << 20

    public let dialect: CSVDialect
    /// The file's size in bytes when it was opened, for progress.
    public let fileSize: Int64
    /// How many bytes have been read from the file so far.
    public private(set) var bytesRead: Int64 = 0

    private let handle: FileHandle
    private var reader: CSVReader

    /// Opens the file and reads its first chunk. Throws a ``CSVFormatError`` when the file is
    /// not CSV, or the error of opening or reading it.
    public init(url: URL, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes) throws {
        handle = try FileHandle(forReadingFrom: url)
        do {
            fileSize = Int64(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            let first = try handle.read(upToCount: Self.chunkSize) ?? Data()
            dialect = try CSVDialect.detect(sample: [UInt8](first))
            reader = CSVReader(dialect: dialect, maxRecordBytes: maxRecordBytes)
            reader.append(first)
            bytesRead = Int64(first.count)
        } catch {
            try? handle.close()
            throw error
        }
    }

    deinit {
        try? handle.close()
    }

    /// The next row, or nil at the end of the file. Throws the error of reading the file.
    public func next() throws -> CSVRow? {
        while true {
            if let row = reader.next() { return row }
            if reader.isFinished { return nil }
            guard let chunk = try handle.read(upToCount: Self.chunkSize), !chunk.isEmpty else {
                reader.finish()
                continue
            }
            bytesRead += Int64(chunk.count)
            chunk.withUnsafeBytes { reader.append($0) }
        }
    }
}
