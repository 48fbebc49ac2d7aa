/// One record of a CSV file: its fields, or why it could not be read.
public struct CSVRow: Sendable, Equatable {
    /// What the record holds.
    public enum Content: Sendable, Equatable {
        /// The decoded fields, quotes removed and `""` unescaped.
        case fields([String])
        /// The record breaks the CSV rules; `reason` is a sentence for the uploader.
        case malformed(reason: String)
    }

    /// The row number a spreadsheet shows for this record, from 1 (the header line is row 1):
    /// every record counts once, even when a quoted field spans several lines, and every blank
    /// line counts once although the reader skips it.
    public var number: Int
    /// Where the record starts, in bytes from the start of the file (a byte order mark
    /// counts).
    public var byteOffset: Int64
    public var content: Content

    public init(number: Int, byteOffset: Int64, content: Content) {
        self.number = number
        self.byteOffset = byteOffset
        self.content = content
    }

    /// The fields, or nil when the record is malformed.
    public var fields: [String]? {
        if case .fields(let fields) = content { return fields }
        return nil
    }
}
