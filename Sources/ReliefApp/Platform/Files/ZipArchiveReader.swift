import Foundation
import ZIPFoundation

/// Why a zip archive could not be read.
enum ZipArchiveError: Error, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case unreadable(path: String)
    /// The file is not a zip archive (no end-of-central-directory record), or its directory is
    /// damaged.
    case notAZipArchive(path: String)
    /// The central directory has fewer readable entries than its end record counts.
    case damagedDirectory(path: String, counted: Int, readable: Int)
    /// An entry could not be read to its end: a damaged compressed stream, a size or CRC-32 that
    /// does not match its directory record.
    case corruptEntry(archive: String, entry: String, detail: String)

    var description: String {
        switch self {
        case .unreadable(let path):
            "cannot read \(path)"
        case .notAZipArchive(let path):
            "\(path) is not a zip archive, or its central directory is damaged"
        case .damagedDirectory(let path, let counted, let readable):
            "\(path): the zip directory counts \(counted) entries but only \(readable) can be read"
        case .corruptEntry(let archive, let entry, let detail):
            "\(archive): entry \(entry) is corrupt (\(detail))"
        }
    }
}

/// The regular files of a zip archive on disk, each streamed to a closure in chunks: the archive
/// is read through a file handle and an entry is inflated a chunk at a time, so memory stays the
/// size of a chunk whatever the size of the archive. Directories and symbolic links are skipped.
/// Opening checks that every entry the directory's end record counts can be read (ZIPFoundation
/// alone would stop listing at a damaged record), and every entry's size and CRC-32 are checked
/// against the directory after its last chunk.
struct ZipArchiveReader {
    /// A regular file in the archive.
    struct Entry {
        /// Its path inside the archive.
        let path: String
        /// Its size once inflated, as the archive's directory gives it.
        let uncompressedSize: UInt64
        fileprivate let entry: ZIPFoundation.Entry
    }

    /// Chunks handed to the closure are at most this size unless a reader asks for another.
    static let defaultChunkSize = 1 << 20

    private let archive: Archive
    private let path: String

    /// Opens the archive at `url` (reading its central directory only).
    init(url: URL) throws {
        path = url.path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ZipArchiveError.unreadable(path: path)
        }
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw ZipArchiveError.notAZipArchive(path: path)
        }
        if let counted = try Self.entryCount(url: url) {
            let readable = archive.reduce(0) { count, _ in count + 1 }
            guard readable == counted else {
                throw ZipArchiveError.damagedDirectory(
                    path: path, counted: counted, readable: readable)
            }
        }
    }

    /// The total of entries in the end-of-central-directory record (the last `PK\u{5}\u{6}` in the
    /// file's last 65,557 bytes: the record and the longest comment), or nil when it defers to a
    /// ZIP64 record (0xFFFF).
    private static func entryCount(url: URL) throws -> Int? {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        let tailSize = min(size, 22 + 65_535)
        try handle.seek(toOffset: size - tailSize)
        let tail = Array(try handle.readToEnd() ?? Data())
        let signature: [UInt8] = [0x50, 0x4B, 5, 6]
        guard tail.count >= 22,
            let start = stride(from: tail.count - 22, through: 0, by: -1).first(where: {
                Array(tail[$0..<$0 + 4]) == signature
            })
        else { return nil }
        let count = Int(tail[start + 10]) | Int(tail[start + 11]) << 8
        return count == 0xFFFF ? nil : count
    }

    /// The regular files, in the archive's order.
    var entries: [Entry] {
        archive.filter { $0.type == .file }.map {
            Entry(path: $0.path, uncompressedSize: $0.uncompressedSize, entry: $0)
        }
    }

    /// Calls `body` with the bytes of `entry`, in order, in chunks of at most `chunkSize` bytes.
    /// Errors thrown by `body` end the read and are rethrown as they are.
    func read(_ entry: Entry, chunkSize: Int = defaultChunkSize, _ body: (Data) throws -> Void)
        throws
    {
        /// Carries an error of `body` through ZIPFoundation, so it is not taken for corruption.
        struct BodyError: Error {
            let error: any Error
        }
        var size: UInt64 = 0
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry.entry, bufferSize: max(1, chunkSize)) { chunk in
                size += UInt64(chunk.count)
                do { try body(chunk) } catch { throw BodyError(error: error) }
            }
        } catch let error as BodyError {
            throw error.error
        } catch {
            throw ZipArchiveError.corruptEntry(
                archive: path, entry: entry.path, detail: String(describing: error))
        }
        guard size == entry.uncompressedSize else {
            throw ZipArchiveError.corruptEntry(
                archive: path, entry: entry.path,
                detail: "\(size) bytes read, the directory says \(entry.uncompressedSize)")
        }
        guard checksum == entry.entry.checksum else {
            throw ZipArchiveError.corruptEntry(
                archive: path, entry: entry.path, detail: "CRC-32 mismatch")
        }
    }
}
