import Foundation

/// Why a file is not CSV text at all, as a sentence for the person who uploaded it.
public enum CSVFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A kind of file people upload by mistake instead of a CSV export.
    public enum FileFormat: String, Sendable, Equatable {
        case pdf = "a PDF document"
        case image = "an image"
        case excelWorkbook = "an Excel workbook"
        case legacyOffice = "an Excel 97-2003 workbook or another old Office file"
        case wordDocument = "a Word document"
        case zipArchive = "a ZIP archive"
        case webPage = "a web page (HTML)"
        case xml = "an XML document"

        /// The format whose magic number `bytes` start with, if it is one of these.
        init?(magic bytes: ArraySlice<UInt8>) {
            if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
                self = .legacyOffice
                return
            }
            guard let types = try? ContentSniffer.detect(Data(bytes)) else { return nil }
            switch types.first {
            case ContentSniffer.pdf: self = .pdf
            case ContentSniffer.png, ContentSniffer.jpeg, ContentSniffer.gif: self = .image
            case ContentSniffer.xlsx: self = .excelWorkbook
            case ContentSniffer.docx: self = .wordDocument
            case ContentSniffer.zip: self = .zipArchive
            default: return nil
            }
        }

        /// HTML or XML when the text, after leading white space, opens with their markup.
        init?(markup text: ArraySlice<UInt8>) {
            let head = text.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }.prefix(16)
            let lowered = String(decoding: head, as: UTF8.self).lowercased()
            if lowered.hasPrefix("<!doctype html") || lowered.hasPrefix("<html") {
                self = .webPage
            } else if lowered.hasPrefix("<?xml") {
                self = .xml
            } else {
                return nil
            }
        }
    }

    /// The file has no bytes, or only blank lines.
    case empty
    /// The bytes are a document, image or archive of another kind.
    case otherFormat(FileFormat)
    /// The bytes hold NUL bytes, so they are not text.
    case binary
    /// The text is UTF-16, what Excel's "Unicode Text" writes.
    case utf16
    /// The bytes are neither UTF-8 nor plausible Windows-1252 text.
    case unknownEncoding
    /// The first record holds no column names, only delimiters or spaces.
    case noHeader
    /// One line without any delimiter and nothing after it: not a table.
    case singleLineWithoutDelimiter

    /// The reason, for the uploader.
    public var message: String {
        let saveAsCSV = "save it as \"CSV UTF-8 (Comma delimited)\" and upload that file."
        switch self {
        case .empty:
            return "The file is empty."
        case .otherFormat(let format):
            let fromExcel = format == .excelWorkbook || format == .legacyOffice
            return "The file looks like \(format.rawValue), not CSV."
                + (fromExcel ? " Open it in Excel and " + saveAsCSV : "")
        case .binary:
            return "The file contains binary data, not CSV text."
        case .utf16:
            return "The file is saved as UTF-16 (\"Unicode Text\"). Please " + saveAsCSV
        case .unknownEncoding:
            return "The file is not text in a supported encoding (UTF-8 or Windows-1252). "
                + "Please " + saveAsCSV
        case .noHeader:
            return "The first line of the file has no column names."
        case .singleLineWithoutDelimiter:
            return "The file has a single line without commas, semicolons, tabs or pipes, "
                + "so it is not a CSV table."
        }
    }

    public var description: String { message }
}
