import Foundation

/// Reads the rows of a CSV file in constant memory from a source of chunks (a file on disk, a
/// decrypted upload), detecting the dialect from the first ``CSVDialect/sampleSize`` bytes.
public final class CSVFileReader {
    /// The size of each read from a file on disk.
    public static let chunkSize = 1 << 20

    public let dialect: CSVDialect
    /// The file's size in bytes when it was opened (files on disk only), for progress.
    public let fileSize: Int64?
    /// How many bytes have been read from the source so far.
    public private(set) var bytesRead: Int64 = 0

    private let nextChunk: () throws -> Data?
    private var reader: CSVReader

    /// Reads from `nextChunk` (nil at the end) until it has a sample to detect the dialect.
    /// Throws a ``CSVFormatError`` when the input is not CSV, or the error of `nextChunk`.
    public init(
        fileSize: Int64? = nil, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
        nextChunk: @escaping () throws -> Data?
    ) throws {
        self.fileSize = fileSize
        self.nextChunk = nextChunk
        var sample: [UInt8] = []
        var chunks: [Data] = []
        while sample.count < CSVDialect.sampleSize, let chunk = try nextChunk(), !chunk.isEmpty {
            sample.append(contentsOf: chunk)
            chunks.append(chunk)
        }
        dialect = try CSVDialect.detect(sample: sample)
        reader = CSVReader(dialect: dialect, maxRecordBytes: maxRecordBytes)
        for chunk in chunks { chunk.withUnsafeBytes { reader.append($0) } }
        bytesRead = Int64(sample.count)
    }

    /// Opens the file at `url` and reads it in ``chunkSize`` pieces.
    public convenience init(url: URL, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes)
        throws
    {
        let handle = try FileHandle(forReadingFrom: url)
        let size: Int64
        do {
            size = Int64(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            try? handle.close()
            throw error
        }
        var closed = false
        try self.init(fileSize: size, maxRecordBytes: maxRecordBytes) {
            guard !closed else { return nil }
            guard let chunk = try handle.read(upToCount: Self.chunkSize), !chunk.isEmpty else {
                try? handle.close()
                closed = true
                return nil
            }
            return chunk
        }
    }

    /// The next row, or nil at the end of the input. Throws the error of reading the input.
    public func next() throws -> CSVRow? {
        while true {
            if let row = reader.next() { return row }
            if reader.isFinished { return nil }
            guard let chunk = try nextChunk(), !chunk.isEmpty else {
                reader.finish()
                continue
            }
            bytesRead += Int64(chunk.count)
            chunk.withUnsafeBytes { reader.append($0) }
        }
    }
}
