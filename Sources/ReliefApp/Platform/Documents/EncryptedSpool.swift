import Crypto
import Foundation

/// A large upload (a lead file) kept encrypted on disk while a job works through it, written
/// and read in 1 MiB chunks so memory does not grow with the file.
///
/// Layout: `RSPOOL1\n`, a 4-byte big-endian header length, the header (JSON with the data key
/// sealed by ``FieldCipher``), then chunks of `[4-byte length][12-byte nonce][ciphertext][tag]`,
/// each sealed with AES-256-GCM under the data key with its index and a last-chunk flag as
/// associated data, so reordered, dropped or truncated chunks fail to open.
enum EncryptedSpool {
    static let magic = Data("RSPOOL1\n".utf8)
    static let chunkSize = 1 << 20

    /// Why a spool could not be written or read; never contains plaintext.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Header: Codable {
        var dataKey: String
    }

    /// The spool file of an upload under the data directory.
    static func url(dataDirectory: String, organizationID: UUID, id: UUID) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("spool")
            .appendingPathComponent(organizationID.uuidString.lowercased())
            .appendingPathComponent(id.uuidString.lowercased() + ".spool")
    }

    static func keyContext(_ id: UUID) -> String { "spool.data_key:\(id.uuidString.lowercased())" }

    static func chunkContext(_ id: UUID, index: UInt64, isLast: Bool) -> Data {
        Data("relief.spool:\(id.uuidString.lowercased()):\(index):\(isLast ? 1 : 0)".utf8)
    }

    /// Writes a spool; call ``finish()`` when the upload is complete, ``discard()`` otherwise.
    final class Writer {
        let url: URL
        private let id: UUID
        private let dataKey = SymmetricKey(size: .bits256)
        private let handle: FileHandle
        private var pending = Data()
        private var index: UInt64 = 0
        /// Plaintext bytes accepted so far.
        private(set) var byteCount: Int64 = 0

        init(url: URL, id: UUID, cipher: FieldCipher) throws {
            self.url = url
            self.id = id
            let folder = url.deletingLastPathComponent()
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            guard
                FileManager.default.createFile(
                    atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw Failure(description: "cannot create \(url.path)") }
            handle = try FileHandle(forWritingTo: url)
            let wrapped = try dataKey.withUnsafeBytes {
                try cipher.sealData(Data($0), context: EncryptedSpool.keyContext(id))
            }
            let header = try JSONEncoder().encode(Header(dataKey: wrapped))
            var length = UInt32(header.count).bigEndian
            try handle.write(
                contentsOf: EncryptedSpool.magic + Data(bytes: &length, count: 4) + header)
        }

        func append(_ bytes: some Sequence<UInt8>) throws {
            let before = pending.count
            pending.append(contentsOf: bytes)
            byteCount += Int64(pending.count - before)
            while pending.count >= EncryptedSpool.chunkSize {
                try seal(Data(pending.prefix(EncryptedSpool.chunkSize)), isLast: false)
                pending.removeFirst(EncryptedSpool.chunkSize)
            }
        }

        /// Seals the last chunk (possibly empty) and closes the file.
        func finish() throws {
            try seal(pending, isLast: true)
            pending = Data()
            try handle.close()
        }

        /// Closes and removes the partial file.
        func discard() {
            try? handle.close()
            try? FileManager.default.removeItem(at: url)
        }

        private func seal(_ plaintext: Data, isLast: Bool) throws {
            let box = try AES.GCM.seal(
                plaintext, using: dataKey,
                authenticating: EncryptedSpool.chunkContext(id, index: index, isLast: isLast))
            guard let combined = box.combined else {
                throw Failure(description: "encryption failed")
            }
            var length = UInt32(combined.count).bigEndian
            try handle.write(contentsOf: Data(bytes: &length, count: 4) + combined)
            index += 1
        }
    }

    /// Reads a spool chunk by chunk.
    final class Reader {
        private let id: UUID
        private let handle: FileHandle
        private let dataKey: SymmetricKey
        private var index: UInt64 = 0
        private var finished = false

        init(url: URL, id: UUID, cipher: FieldCipher) throws {
            self.id = id
            guard let handle = FileHandle(forReadingAtPath: url.path) else {
                throw Failure(description: "the uploaded file \(id) is gone")
            }
            self.handle = handle
            guard try handle.read(upToCount: EncryptedSpool.magic.count) == EncryptedSpool.magic,
                let lengthBytes = try handle.read(upToCount: 4), lengthBytes.count == 4
            else { throw Failure(description: "the uploaded file \(id) is not a spool") }
            let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            guard let headerData = try handle.read(upToCount: length),
                let header = try? JSONDecoder().decode(Header.self, from: headerData)
            else { throw Failure(description: "the uploaded file \(id) has a damaged header") }
            let key = try cipher.openData(header.dataKey, context: EncryptedSpool.keyContext(id))
            dataKey = SymmetricKey(data: key)
        }

        /// The next chunk of plaintext, nil after the last one.
        func next() throws -> Data? {
            guard !finished else { return nil }
            guard let lengthBytes = try handle.read(upToCount: 4), lengthBytes.count == 4 else {
                throw Failure(description: "the uploaded file \(id) is truncated")
            }
            let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            guard let combined = try handle.read(upToCount: length), combined.count == length else {
                throw Failure(description: "the uploaded file \(id) is truncated")
            }
            let box = try AES.GCM.SealedBox(combined: combined)
            for isLast in [false, true] {
                let context = EncryptedSpool.chunkContext(id, index: index, isLast: isLast)
                if let plain = try? AES.GCM.open(box, using: dataKey, authenticating: context) {
                    index += 1
                    if isLast {
                        finished = true
                        try? handle.close()
                    }
                    return plain
                }
            }
            throw Failure(description: "chunk \(index) of the uploaded file \(id) does not open")
        }
    }
}
