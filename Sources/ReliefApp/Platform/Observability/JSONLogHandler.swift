import Foundation
import Logging

/// Writes one JSON object per log line to standard error: time, level, label, message and
/// metadata (the request id among it). Used when `LOG_FORMAT=json` (the production default).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        let line = Self.line(
            time: Date(), level: event.level, label: label, message: event.message.description,
            error: event.error, metadata: merged)
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// One log line as a JSON object with sorted keys.
    static func line(
        time: Date, level: Logger.Level, label: String, message: String, error: (any Error)?,
        metadata: Logger.Metadata
    ) -> String {
        var object: [String: String] = [
            "time": ISO8601DateFormatter().string(from: time), "level": level.rawValue,
            "label": label, "message": message,
        ]
        if let error { object["error"] = String(describing: error) }
        for (key, value) in metadata where object[key] == nil { object[key] = value.description }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return #"{"message":"unencodable log line"}"# }
        return String(decoding: data, as: UTF8.self)
    }
}
