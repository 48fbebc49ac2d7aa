import Foundation

/// Decides a stored document's content type from its bytes (magic numbers), never from the
/// name or the declared type alone: a declared type that the bytes contradict is rejected, and
/// so are executables and anything not on the list.
public enum ContentSniffer {
    /// The types the document store accepts.
    public static let pdf = "application/pdf"
    public static let png = "image/png"
    public static let jpeg = "image/jpeg"
    public static let gif = "image/gif"
    public static let zip = "application/zip"
    public static let docx =
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    public static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    public static let plainText = "text/plain"
    public static let csv = "text/csv"
    public static let xml = "application/xml"

    /// Why a document was refused, as a sentence for the uploader.
    public enum Rejection: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case executable
        case unsupported
        case mismatch(declared: String, detected: String)

        public var description: String {
            switch self {
            case .empty: return "The file is empty."
            case .executable: return "Programs and scripts cannot be uploaded."
            case .unsupported:
                return "This kind of file is not accepted: upload a PDF, image (PNG, JPEG, GIF), "
                    + "Word or Excel document, ZIP, text, CSV or XML file."
            case .mismatch(let declared, let detected):
                return "The file says it is \(declared) but its contents are \(detected)."
            }
        }
    }

    /// Declared types that mean the same thing as a canonical one.
    static let aliases: [String: String] = [
        "image/jpg": jpeg, "image/pjpeg": jpeg, "application/x-pdf": pdf,
        "application/x-zip-compressed": zip, "application/x-zip": zip, "text/xml": xml,
        "application/csv": csv, "text/comma-separated-values": csv,
    ]

    /// The content type to store for `data`, given what the uploader declared (nil when the
    /// upload did not say, or said `application/octet-stream`).
    public static func contentType(of data: Data, declared: String?) throws -> String {
        let detected = try detect(data)
        guard let declared = canonical(declared) else { return detected[0] }
        guard detected.contains(declared) else {
            throw Rejection.mismatch(declared: declared, detected: detected[0])
        }
        return declared
    }

    /// The declared type without parameters, lower-cased and de-aliased; nil when it says
    /// nothing.
    static func canonical(_ declared: String?) -> String? {
        guard let declared else { return nil }
        let bare = declared.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let bare, !bare.isEmpty, bare != "application/octet-stream" else { return nil }
        return aliases[bare] ?? bare
    }

    /// The types the bytes may be, most specific first; throws for executables, empty and
    /// unrecognized content.
    public static func detect(_ data: Data) throws -> [String] {
        let bytes = [UInt8](data.prefix(4096))
        guard !bytes.isEmpty else { throw Rejection.empty }
        func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
        let executables: [[UInt8]] = [
            [0x4D, 0x5A],  // MZ: Windows PE / DOS
            [0x7F, 0x45, 0x4C, 0x46],  // ELF
            [0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF],  // Mach-O
            [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE],
            [0xCA, 0xFE, 0xBA, 0xBE],  // Mach-O universal, Java class
            [0x23, 0x21],  // #! script
            [0x00, 0x61, 0x73, 0x6D],  // WebAssembly
        ]
        if executables.contains(where: starts) { throw Rejection.executable }
        if starts(Array("%PDF-".utf8)) { return [pdf] }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return [png] }
        if starts([0xFF, 0xD8, 0xFF]) { return [jpeg] }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return [gif] }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            return zipTypes(data)
        }
        return try textTypes(data)
    }

    /// An Office Open XML file is a ZIP holding `word/` or `xl/` parts; the entry names are
    /// stored uncompressed in the local headers and the central directory.
    static func zipTypes(_ data: Data) -> [String] {
        if data.range(of: Data("word/document.xml".utf8)) != nil { return [docx, zip] }
        if data.range(of: Data("xl/workbook.xml".utf8)) != nil { return [xlsx, zip] }
        return [zip]
    }

    /// UTF-8 text without NUL or other binary control bytes; XML when it opens with a
    /// declaration; HTML (active content) is refused.
    static func textTypes(_ data: Data) throws -> [String] {
        var body = data
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(data: body, encoding: .utf8) else { throw Rejection.unsupported }
        let allowedControls: Set<UInt8> = [0x09, 0x0A, 0x0C, 0x0D]
        guard !body.contains(where: { $0 < 0x20 && !allowedControls.contains($0) || $0 == 0x7F })
        else { throw Rejection.unsupported }
        let head = text.prefix(1024).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
            || head.contains("<script") || head.hasPrefix("<svg") || head.contains("<svg")
        {
            throw Rejection.unsupported
        }
        if head.hasPrefix("<?xml") { return [xml, plainText] }
        return [plainText, csv]
    }
}
