import Foundation
import ReliefCore
import Testing

@testable import ReliefApp

/// Small real files, written here so the tests show exactly what they contain.
enum SampleFiles {
    /// A one-page PDF 1.4 with a correct cross-reference table.
    static let pdf: Data = {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
                + "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length 44 >>\nstream\nBT /F1 12 Tf 20 50 Td (Hardship letter) Tj ET\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(text.utf8)
    }()

    /// A 1x1 red PNG (IHDR, IDAT, IEND with their CRCs).
    static let png = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
    )!

    /// A ZIP holding `[Content_Types].xml` and `word/document.xml` (the shape of a .docx).
    static let docx = Data(
        base64Encoded:
            "UEsDBBQAAAAIAGaueF3uR1hmHwAAAB0AAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbLOxr8jNUShLLSrOzM+zVTLUM1Cyt7MJqSxILda3AwBQSwMEFAAAAAgAZq54XSjgyeYkAAAAIgAAABEAAAB3b3JkL2RvY3VtZW50LnhtbLOxr8jNUShLLSrOzM+zVTLUM1Cyt7Mpt0rJTy7NTc0r0bcDAFBLAQIUAxQAAAAIAGaueF3uR1hmHwAAAB0AAAATAAAAAAAAAAAAAACAAQAAAABbQ29udGVudF9UeXBlc10ueG1sUEsBAhQDFAAAAAgAZq54XSjgyeYkAAAAIgAAABEAAAAAAAAAAAAAAIABUAAAAHdvcmQvZG9jdW1lbnQueG1sUEsFBgAAAAACAAIAgAAAAKMAAAAAAA=="
    )!

    static let csv = Data("name,balance_cents\nAnn Lee,1250000\n".utf8)
    static let xml = Data("<?xml version=\"1.0\"?>\n<report><score>612</score></report>\n".utf8)
    static let elf = Data(
        [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Array(repeating: 0, count: 56))
    static let windowsExe = Data(Array("MZ".utf8) + Array(repeating: 0x90, count: 62))
    static let shellScript = Data("#!/bin/sh\nrm -rf /\n".utf8)
}

@Suite("Content sniffing")
struct ContentSnifferTests {
    @Test("real files are recognized and a matching declared type is kept")
    func recognizes() throws {
        #expect(
            try ContentSniffer.contentType(of: SampleFiles.pdf, declared: nil) == "application/pdf")
        #expect(
            try ContentSniffer.contentType(of: SampleFiles.png, declared: "image/png")
                == "image/png")
        #expect(
            try ContentSniffer.contentType(
                of: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), declared: "image/jpg")
                == "image/jpeg")
        #expect(
            try ContentSniffer.contentType(of: Data("GIF89a\u{1}\0\u{1}\0".utf8), declared: nil)
                == "image/gif")
        #expect(
            try ContentSniffer.contentType(of: SampleFiles.docx, declared: nil)
                == ContentSniffer.docx)
        #expect(
            try ContentSniffer.contentType(of: SampleFiles.docx, declared: "application/zip")
                == "application/zip")
        #expect(
            try ContentSniffer.contentType(of: SampleFiles.csv, declared: "text/csv; charset=utf-8")
                == "text/csv")
        #expect(try ContentSniffer.contentType(of: SampleFiles.csv, declared: nil) == "text/plain")
        #expect(
            try ContentSniffer.contentType(of: SampleFiles.xml, declared: "text/xml")
                == "application/xml")
        #expect(
            try ContentSniffer.contentType(
                of: SampleFiles.pdf, declared: "application/octet-stream")
                == "application/pdf")
    }

    @Test("a declared type the bytes contradict is rejected")
    func mismatch() {
        #expect(
            throws: ContentSniffer.Rejection.mismatch(
                declared: "image/png", detected: "application/pdf")
        ) {
            try ContentSniffer.contentType(of: SampleFiles.pdf, declared: "image/png")
        }
        #expect(throws: ContentSniffer.Rejection.self) {
            try ContentSniffer.contentType(of: SampleFiles.docx, declared: ContentSniffer.xlsx)
        }
        #expect(throws: ContentSniffer.Rejection.self) {
            try ContentSniffer.contentType(of: SampleFiles.csv, declared: "application/pdf")
        }
    }

    @Test("executables, HTML, binary junk and empty files are rejected")
    func rejects() {
        for program in [SampleFiles.elf, SampleFiles.windowsExe, SampleFiles.shellScript] {
            #expect(throws: ContentSniffer.Rejection.executable) {
                try ContentSniffer.contentType(of: program, declared: "application/pdf")
            }
            #expect(throws: ContentSniffer.Rejection.executable) {
                try ContentSniffer.contentType(of: program, declared: nil)
            }
        }
        #expect(throws: ContentSniffer.Rejection.unsupported) {
            try ContentSniffer.contentType(
                of: Data("<!DOCTYPE html><script>x</script>".utf8), declared: nil)
        }
        #expect(throws: ContentSniffer.Rejection.unsupported) {
            try ContentSniffer.contentType(of: Data([0x00, 0x01, 0x02, 0x03]), declared: nil)
        }
        #expect(throws: ContentSniffer.Rejection.empty) {
            try ContentSniffer.contentType(of: Data(), declared: "text/plain")
        }
    }
}

@Suite("Encrypted document store")
struct DocumentStoreTests {
    let org = UUID()
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("relief-docs-\(UUID().uuidString)").path

    func store(_ ring: KeyRing, maxBytes: Int = 25 * 1024 * 1024) -> LocalEncryptedDocumentStore {
        LocalEncryptedDocumentStore(
            dataDirectory: folder, cipher: FieldCipher(keyRing: ring), maxBytes: maxBytes)
    }

    @Test("put, get and delete round-trip a PDF; the file on disk is ciphertext")
    func roundTrip() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ring = KeyRing(masterKey: Array(repeating: 9, count: 32))
        let documents = store(ring)
        let id = UUID()
        let stored = try await documents.put(
            SampleFiles.pdf, declaredType: "application/pdf", organizationID: org, id: id)
        #expect(stored.contentType == "application/pdf")
        #expect(stored.size == SampleFiles.pdf.count)
        #expect(stored.keyID == ring.keyID)

        let path = documents.path(organizationID: org, id: id).path
        #expect(
            path
                == "\(folder)/documents/\(org.uuidString.lowercased())/\(id.uuidString.lowercased())"
        )
        let onDisk = try #require(FileManager.default.contents(atPath: path))
        #expect(onDisk.range(of: Data("%PDF".utf8)) == nil)
        #expect(onDisk.range(of: Data("Hardship letter".utf8)) == nil)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]
        #expect((permissions as? Int) == 0o600)

        let (document, bytes) = try await documents.get(organizationID: org, id: id)
        #expect(bytes == SampleFiles.pdf)
        #expect(document == stored)

        await #expect(throws: DocumentStoreError.self) {
            _ = try await documents.get(organizationID: UUID(), id: id)
        }
        try await documents.delete(organizationID: org, id: id)
        try await documents.delete(organizationID: org, id: id)
        await #expect(throws: DocumentStoreError.self) {
            _ = try await documents.get(organizationID: org, id: id)
        }
    }

    @Test("size limit, wrong declared type and executables are refused; nothing is written")
    func refusals() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let documents = store(KeyRing(masterKey: Array(repeating: 9, count: 32)), maxBytes: 100)
        await #expect(throws: DocumentStoreError.tooLarge(size: SampleFiles.pdf.count, limit: 100))
        {
            _ = try await documents.put(
                SampleFiles.pdf, declaredType: nil, organizationID: org, id: UUID())
        }
        await #expect(
            throws: DocumentStoreError.rejected(
                .mismatch(declared: "application/pdf", detected: "image/png"))
        ) {
            _ = try await documents.put(
                SampleFiles.png, declaredType: "application/pdf", organizationID: org, id: UUID())
        }
        await #expect(throws: DocumentStoreError.rejected(.executable)) {
            _ = try await documents.put(
                SampleFiles.elf, declaredType: nil, organizationID: org, id: UUID())
        }
        #expect(
            !FileManager.default.fileExists(
                atPath: "\(folder)/documents/\(org.uuidString.lowercased())"))
        let png = try await documents.put(
            SampleFiles.png, declaredType: nil, organizationID: org, id: UUID())
        #expect(png.contentType == "image/png")
    }

    @Test("a tampered or moved file does not open; a missing key is named")
    func tampering() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ringA = KeyRing(masterKey: Array(repeating: 9, count: 32))
        let documents = store(ringA)
        let id = UUID()
        _ = try await documents.put(SampleFiles.png, declaredType: nil, organizationID: org, id: id)
        let path = documents.path(organizationID: org, id: id)
        var bytes = try Data(contentsOf: path)
        bytes[bytes.count - 20] ^= 0x01
        try bytes.write(to: path)
        await #expect(throws: DocumentStoreError.self) {
            _ = try await documents.get(organizationID: org, id: id)
        }

        let other = UUID()
        _ = try await documents.put(
            SampleFiles.png, declaredType: nil, organizationID: org, id: other)
        let moved = UUID()
        try FileManager.default.copyItem(
            at: documents.path(organizationID: org, id: other),
            to: documents.path(organizationID: org, id: moved))
        await #expect(throws: FieldCipher.Failure.self) {
            _ = try await documents.get(organizationID: org, id: moved)
        }

        let onlyB = store(KeyRing(masterKey: Array(repeating: 10, count: 32)))
        let error = await #expect(throws: FieldCipher.Failure.self) {
            _ = try await onlyB.get(organizationID: org, id: other)
        }
        #expect(error?.reason == .unknownKey(ringA.keyID))
        #expect(error?.description.contains(other.uuidString.lowercased()) == true)
    }
}
