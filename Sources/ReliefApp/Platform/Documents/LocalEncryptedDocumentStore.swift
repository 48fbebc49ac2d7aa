import Crypto
import Foundation
import ReliefCore

/// Documents as encrypted files under `<data dir>/documents/<org id>/<id>`.
///
/// Envelope encryption: each file gets a fresh random 256-bit data key. The body is one
/// AES-256-GCM message under that data key, authenticated together with the organization, id
/// and content type, so a file cannot be swapped to another record. The data key is sealed by
/// ``FieldCipher`` (the field key of the current master key, context
/// `documents.data_key:<org>/<id>`), which records the master key id in the header. One
/// message per file is simple and safe at the size limit (25 MB by default; GCM allows 64 GB).
///
/// File layout: `RDOC1\n`, a 4-byte big-endian header length, a JSON header
/// `{"data_key": "v1.<key id>.…", "content_type": "…", "size": n}`, then nonce | ciphertext |
/// tag. Writes go to a temporary file that is renamed into place, so readers never see half a
/// file. Files are owner-only (0600, folders 0700).
struct LocalEncryptedDocumentStore: RekeyableDocumentStore {
    let root: URL
    let cipher: FieldCipher
    let maxBytes: Int

    init(dataDirectory: String, cipher: FieldCipher, maxBytes: Int) {
        root = URL(fileURLWithPath: dataDirectory).appendingPathComponent("documents")
        self.cipher = cipher
        self.maxBytes = maxBytes
    }

    private static let magic = Data("RDOC1\n".utf8)

    private struct Header: Codable {
        var dataKey: String
        var contentType: String
        var size: Int

        enum CodingKeys: String, CodingKey {
            case dataKey = "data_key"
            case contentType = "content_type"
            case size
        }
    }

    func path(organizationID: UUID, id: UUID) -> URL {
        root.appendingPathComponent(organizationID.uuidString.lowercased())
            .appendingPathComponent(id.uuidString.lowercased())
    }

    func put(_ data: Data, declaredType: String?, organizationID: UUID, id: UUID) async throws
        -> StoredDocument
    {
        guard data.count <= maxBytes else {
            throw DocumentStoreError.tooLarge(size: data.count, limit: maxBytes)
        }
        let contentType: String
        do {
            contentType = try ContentSniffer.contentType(of: data, declared: declaredType)
        } catch let rejection as ContentSniffer.Rejection {
            throw DocumentStoreError.rejected(rejection)
        }
        return try write(data, contentType: contentType, organizationID: organizationID, id: id)
    }

    func get(organizationID: UUID, id: UUID) async throws -> (StoredDocument, Data) {
        try read(organizationID: organizationID, id: id)
    }

    func delete(organizationID: UUID, id: UUID) async throws {
        let url = path(organizationID: organizationID, id: id)
        if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
    }

    /// Re-encrypts every document not yet under the current key with a fresh data key;
    /// documents already on it are skipped, so an interrupted run can simply be repeated.
    func rekeyAll(batchSize: Int) async throws -> DocumentRekeyCounts {
        var counts = DocumentRekeyCounts()
        let files = FileManager.default
        let organizations =
            (try? files.contentsOfDirectory(atPath: root.path))?.sorted() ?? []
        for orgName in organizations {
            guard let orgID = UUID(uuidString: orgName) else { continue }
            let names =
                (try? files.contentsOfDirectory(
                    atPath: root.appendingPathComponent(orgName).path))?.sorted() ?? []
            for (offset, name) in names.enumerated() {
                guard let id = UUID(uuidString: name) else { continue }
                if offset % max(1, batchSize) == 0 { await Task.yield() }
                do {
                    let header = try readHeader(organizationID: orgID, id: id).header
                    if FieldCipher.keyID(of: header.dataKey) == cipher.currentKeyID {
                        counts.alreadyCurrent += 1
                        continue
                    }
                    let (document, plaintext) = try read(organizationID: orgID, id: id)
                    _ = try write(
                        plaintext, contentType: document.contentType, organizationID: orgID,
                        id: id)
                    counts.rekeyed += 1
                } catch {
                    counts.failed.append("\(orgName)/\(name): \(error)")
                }
            }
        }
        return counts
    }

    // MARK: - Files

    private func bodyContext(_ org: UUID, _ id: UUID, _ contentType: String) -> Data {
        Data(
            "relief.document:\(org.uuidString.lowercased())/\(id.uuidString.lowercased()):\(contentType)"
                .utf8)
    }

    private func keyContext(_ org: UUID, _ id: UUID) -> String {
        "documents.data_key:\(org.uuidString.lowercased())/\(id.uuidString.lowercased())"
    }

    private func write(_ plaintext: Data, contentType: String, organizationID: UUID, id: UUID)
        throws -> StoredDocument
    {
        let dataKey = SymmetricKey(size: .bits256)
        let body = try AES.GCM.seal(
            plaintext, using: dataKey,
            authenticating: bodyContext(organizationID, id, contentType))
        guard let combined = body.combined else {
            throw DocumentStoreError.damaged(
                organizationID: organizationID, id: id, reason: "encryption failed")
        }
        let wrapped = try dataKey.withUnsafeBytes {
            try cipher.sealData(Data($0), context: keyContext(organizationID, id))
        }
        let header = try JSONEncoder().encode(
            Header(dataKey: wrapped, contentType: contentType, size: plaintext.count))
        var file = Self.magic
        var length = UInt32(header.count).bigEndian
        file.append(Data(bytes: &length, count: 4))
        file.append(header)
        file.append(combined)

        let url = path(organizationID: organizationID, id: id)
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID()).tmp")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: file, attributes: [.posixPermissions: 0o600])
        else {
            throw DocumentStoreError.damaged(
                organizationID: organizationID, id: id, reason: "cannot write \(temporary.path)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw DocumentStoreError.damaged(
                organizationID: organizationID, id: id, reason: "cannot move into \(url.path)")
        }
        return StoredDocument(
            organizationID: organizationID, id: id, contentType: contentType,
            size: plaintext.count, keyID: cipher.currentKeyID)
    }

    private func readHeader(organizationID: UUID, id: UUID) throws -> (
        header: Header, body: Data
    ) {
        let url = path(organizationID: organizationID, id: id)
        guard let file = FileManager.default.contents(atPath: url.path) else {
            throw DocumentStoreError.notFound(organizationID: organizationID, id: id)
        }
        func damaged(_ reason: String) -> DocumentStoreError {
            .damaged(organizationID: organizationID, id: id, reason: reason)
        }
        let bytes = [UInt8](file)
        let start = Self.magic.count
        guard bytes.count > start + 4, Data(bytes[0..<start]) == Self.magic else {
            throw damaged("not a ReliefCRM document file")
        }
        let length = bytes[start..<start + 4].reduce(0) { Int($0) << 8 | Int($1) }
        guard bytes.count >= start + 4 + length else { throw damaged("truncated header") }
        let headerData = Data(bytes[(start + 4)..<(start + 4 + length)])
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData) else {
            throw damaged("unreadable header")
        }
        return (header, Data(bytes[(start + 4 + length)...]))
    }

    private func read(organizationID: UUID, id: UUID) throws -> (StoredDocument, Data) {
        let (header, body) = try readHeader(organizationID: organizationID, id: id)
        let record = "\(organizationID.uuidString.lowercased())/\(id.uuidString.lowercased())"
        let keyBytes = try cipher.openData(
            header.dataKey, context: keyContext(organizationID, id), record: record)
        do {
            let box = try AES.GCM.SealedBox(combined: body)
            let plaintext = try AES.GCM.open(
                box, using: SymmetricKey(data: keyBytes),
                authenticating: bodyContext(organizationID, id, header.contentType))
            let document = StoredDocument(
                organizationID: organizationID, id: id, contentType: header.contentType,
                size: plaintext.count, keyID: FieldCipher.keyID(of: header.dataKey) ?? "")
            return (document, plaintext)
        } catch {
            throw DocumentStoreError.damaged(
                organizationID: organizationID, id: id,
                reason: "the contents failed authentication (tampered or moved)")
        }
    }
}
