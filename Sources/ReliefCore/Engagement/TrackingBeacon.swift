import Foundation

/// One beacon from the landing-page script, validated; the HTTP endpoint hands its body to
/// ``parse(_:)`` and stores the result as an ``EngagementEvent`` (``event(at:)``).
///
/// A beacon is a JSON object of at most ``maximumSize`` bytes:
///
/// - `t`, string, required: `view` (the page was shown), `scroll` (a depth was reached), `time`
///   (the visit ended) or `submit` (the form was sent).
/// - `p`, string, required: the page path (`location.pathname`): starts with `/`, at most 256
///   printable ASCII characters, no spaces.
/// - `v`, string, required: the visitor id the script keeps in first-party storage, 1 to 64 of
///   `A-Z a-z 0-9 _ -`.
/// - `k`, string, optional: the tracking token of the link the visitor came by, up to 128 of
///   `A-Z a-z 0-9 . _ ~ -`; empty or absent when there is none.
/// - `d`, number, required for `scroll`: the depth reached in percent, 25, 50, 75 or 100 (the
///   script sends each depth once per visit).
/// - `s`, number, required for `time`: whole seconds the page was visible during the visit, 0
///   to 86,400 (the script sends it once, when the page is hidden or left).
///
/// Example: `{"t":"scroll","p":"/p/pricing","v":"3f9a2c","k":"","d":75}`. Keys a kind does
/// not use, and unknown keys, are ignored so that a newer script still works against an older
/// server.
public struct TrackingBeacon: Sendable, Equatable {
    /// What the beacon reports.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case view
        case scroll
        case time
        case submit
    }

    /// 2 KiB: a real beacon is under 300 bytes.
    public static let maximumSize = 2_048
    /// The only depths the script reports.
    public static let scrollDepths: Set<Int> = [25, 50, 75, 100]
    /// A day: a longer visit is a tab left open, not reading.
    public static let maximumSeconds = 86_400

    public var kind: Kind
    public var page: String
    public var visitorID: String
    public var token: String?
    /// For ``Kind/scroll``.
    public var scrollDepth: Int?
    /// For ``Kind/time``.
    public var seconds: Int?

    public init(
        kind: Kind,
        page: String,
        visitorID: String,
        token: String? = nil,
        scrollDepth: Int? = nil,
        seconds: Int? = nil
    ) {
        self.kind = kind
        self.page = page
        self.visitorID = visitorID
        self.token = token
        self.scrollDepth = scrollDepth
        self.seconds = seconds
    }

    /// The timeline event for this beacon, received at `instant`.
    public func event(at instant: Date) -> EngagementEvent {
        let type: EngagementEventType =
            switch kind {
            case .view: .pageView
            case .scroll: .scroll
            case .time: .timeOnPage
            case .submit: .formSubmit
            }
        return EngagementEvent(
            type: type, occurredAt: instant, scrollDepth: scrollDepth, seconds: seconds,
            pageSlug: page)
    }

    /// Validates a beacon body; see the type's documentation for the fields and their limits.
    public static func parse(_ bytes: [UInt8]) -> Result<TrackingBeacon, BeaconRejection> {
        guard bytes.count <= maximumSize else {
            return .failure(
                BeaconRejection(.oversized, "The beacon is larger than \(maximumSize) bytes."))
        }
        guard String(bytes: bytes, encoding: .utf8) != nil,
            let fields = try? JSONDecoder().decode([String: Value].self, from: Data(bytes))
        else {
            return .failure(
                BeaconRejection(.malformedJSON, "The beacon is not a UTF-8 JSON object."))
        }
        do {
            return .success(try TrackingBeacon(fields: fields))
        } catch {
            return .failure(error)
        }
    }

    private init(fields: [String: Value]) throws(BeaconRejection) {
        let typeName = try Self.string(fields, "t")
        guard let kind = Kind(rawValue: typeName) else {
            throw BeaconRejection(
                .unknownType, "The beacon type must be view, scroll, time or submit.")
        }
        let page = try Self.string(fields, "p")
        guard page.hasPrefix("/"), page.utf8.count <= 256,
            page.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else {
            throw BeaconRejection(
                .invalidField,
                "p must be a path that starts with / (at most 256 characters, no spaces).",
                field: "p")
        }
        let visitorID = try Self.string(fields, "v")
        guard (1...64).contains(visitorID.utf8.count),
            visitorID.utf8.allSatisfy({ Self.isIDByte($0, extra: "_-") })
        else {
            throw BeaconRejection(
                .invalidField, "v must be 1 to 64 letters, digits, _ or -.", field: "v")
        }
        var token: String?
        if fields["k"] != nil {
            let text = try Self.string(fields, "k")
            guard text.utf8.count <= 128, text.utf8.allSatisfy({ Self.isIDByte($0, extra: "._~-") })
            else {
                throw BeaconRejection(
                    .invalidField, "k must be at most 128 letters, digits, ., _, ~ or -.",
                    field: "k")
            }
            token = text.isEmpty ? nil : text
        }
        self.init(kind: kind, page: page, visitorID: visitorID, token: token)
        switch kind {
        case .scroll:
            guard let depth = try Self.integer(fields, "d"),
                Self.scrollDepths.contains(depth)
            else {
                throw BeaconRejection(
                    .invalidScrollDepth, "d must be 25, 50, 75 or 100.", field: "d")
            }
            scrollDepth = depth
        case .time:
            guard let seconds = try Self.integer(fields, "s"),
                (0...Self.maximumSeconds).contains(seconds)
            else {
                throw BeaconRejection(
                    .invalidDuration, "s must be whole seconds from 0 to \(Self.maximumSeconds).",
                    field: "s")
            }
            self.seconds = seconds
        case .view, .submit:
            break
        }
    }

    /// A required string field.
    private static func string(_ fields: [String: Value], _ key: String) throws(BeaconRejection)
        -> String
    {
        switch fields[key] {
        case nil:
            throw BeaconRejection(.missingField, "\(key) is required.", field: key)
        case .string(let text):
            return text
        case .number, .other:
            throw BeaconRejection(.invalidField, "\(key) must be a string.", field: key)
        }
    }

    /// A required whole-number field; nil when it is a number that is not whole or not a
    /// number at all, which the caller rejects with the field's own code.
    private static func integer(_ fields: [String: Value], _ key: String) throws(BeaconRejection)
        -> Int?
    {
        switch fields[key] {
        case nil:
            throw BeaconRejection(.missingField, "\(key) is required.", field: key)
        case .number(let number):
            guard number.rounded() == number, abs(number) <= 1e15 else { return nil }
            return Int(number)
        case .string, .other:
            return nil
        }
    }

    private static func isIDByte(_ byte: UInt8, extra: StaticString) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return extra.withUTF8Buffer { $0.contains(byte) }
        }
    }

    /// A JSON value as far as a beacon cares: a string, a number, or anything else.
    private enum Value: Decodable {
        case string(String)
        case number(Double)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .string(text)
            } else if (try? container.decode(Bool.self)) != nil {
                self = .other
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .other
            }
        }
    }
}

/// Why a beacon was refused: a stable code and a message for the script's developer.
public struct BeaconRejection: Error, Sendable, Equatable {
    /// A stable rejection code; never rename one.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The body is larger than ``TrackingBeacon/maximumSize``.
        case oversized
        /// The body is not a JSON object in UTF-8.
        case malformedJSON = "malformed_json"
        /// `t` is not one of the known types.
        case unknownType = "unknown_type"
        /// A field the beacon's type needs is absent.
        case missingField = "missing_field"
        /// `t`, `p`, `v` or `k` has the wrong JSON type or format.
        case invalidField = "invalid_field"
        /// `d` is not 25, 50, 75 or 100.
        case invalidScrollDepth = "invalid_scroll_depth"
        /// `s` is not whole seconds from 0 to 86,400.
        case invalidDuration = "invalid_duration"
    }

    public var code: Code
    public var message: String
    /// The key at fault, when one is.
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }
}
