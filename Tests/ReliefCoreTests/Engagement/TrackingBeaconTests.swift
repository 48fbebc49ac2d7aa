import Foundation
import ReliefCore
import Testing

extension EngagementTests {
    @Suite("Tracking beacon")
    struct TrackingBeaconTests {
        func parse(_ json: String) -> Result<TrackingBeacon, BeaconRejection> {
            TrackingBeacon.parse(Array(json.utf8))
        }

        /// The rejection code of `json`, or nil when it parses.
        func rejection(_ json: String) -> BeaconRejection.Code? {
            rejection(Array(json.utf8))
        }

        /// The rejection code of `bytes`, or nil when they parse.
        func rejection(_ bytes: [UInt8]) -> BeaconRejection.Code? {
            guard case .failure(let rejection) = TrackingBeacon.parse(bytes) else { return nil }
            return rejection.code
        }

        @Test func aScrollBeaconParses() {
            let result = parse(#"{"t":"scroll","d":75,"p":"/p/pricing","v":"visitor-1","k":""}"#)

            #expect(
                result
                    == .success(
                        TrackingBeacon(
                            kind: .scroll, page: "/p/pricing", visitorID: "visitor-1",
                            scrollDepth: 75)))
        }

        @Test func aTimeBeaconParsesWithItsToken() {
            let result = parse(
                #"{"t":"time","s":42,"p":"/p/pricing","v":"v_9","k":"tok.en~-_9"}"#)

            #expect(
                result
                    == .success(
                        TrackingBeacon(
                            kind: .time, page: "/p/pricing", visitorID: "v_9",
                            token: "tok.en~-_9", seconds: 42)))
        }

        @Test func viewAndSubmitBeaconsNeedNoNumbers() {
            #expect(
                parse(#"{"t":"view","p":"/","v":"a"}"#)
                    == .success(TrackingBeacon(kind: .view, page: "/", visitorID: "a")))
            #expect(
                parse(#"{"t":"submit","p":"/p/apply","v":"a","k":"abc"}"#)
                    == .success(
                        TrackingBeacon(
                            kind: .submit, page: "/p/apply", visitorID: "a", token: "abc")))
        }

        @Test func fieldsAKindDoesNotUseAndUnknownKeysAreIgnored() {
            let result = parse(#"{"t":"view","p":"/p/x","v":"a","d":33,"s":-1,"extra":[1,2]}"#)

            #expect(result == .success(TrackingBeacon(kind: .view, page: "/p/x", visitorID: "a")))
        }

        @Test(
            "every scroll depth the script sends is accepted",
            arguments: [25, 50, 75, 100])
        func scrollDepths(depth: Int) {
            let result = parse(#"{"t":"scroll","d":\#(depth),"p":"/p","v":"a"}"#)

            #expect((try? result.get())?.scrollDepth == depth)
        }

        @Test(
            "other scroll depths are rejected",
            arguments: [
                "0", "10", "74", "76", "99", "101", "150", "-25", "75.5", "\"75\"", "true",
                "null", "[75]", "1e300",
            ])
        func invalidScrollDepths(depth: String) {
            #expect(
                rejection(#"{"t":"scroll","d":\#(depth),"p":"/p","v":"a"}"#) == .invalidScrollDepth)
        }

        @Test func wholeNumbersWrittenWithAFractionAreAccepted() {
            let result = parse(#"{"t":"scroll","d":75.0,"p":"/p","v":"a"}"#)

            #expect((try? result.get())?.scrollDepth == 75)
        }

        @Test("durations from 0 to a day are accepted", arguments: [0, 1, 42, 3_600, 86_400])
        func durations(seconds: Int) {
            let result = parse(#"{"t":"time","s":\#(seconds),"p":"/p","v":"a"}"#)

            #expect((try? result.get())?.seconds == seconds)
        }

        @Test(
            "negative, fractional, absurd or non-numeric durations are rejected",
            arguments: [
                "-1", "-86400", "86401", "999999999", "1e20", "4.5", "\"42\"", "false", "null",
                "{}",
            ])
        func invalidDurations(seconds: String) {
            #expect(
                rejection(#"{"t":"time","s":\#(seconds),"p":"/p","v":"a"}"#) == .invalidDuration)
        }

        @Test func aMissingNumberIsAMissingField() {
            #expect(rejection(#"{"t":"scroll","p":"/p","v":"a"}"#) == .missingField)
            #expect(rejection(#"{"t":"time","p":"/p","v":"a"}"#) == .missingField)
        }

        @Test("unknown types are rejected", arguments: ["click", "VIEW", "", "open"])
        func unknownTypes(type: String) {
            #expect(rejection(#"{"t":"\#(type)","p":"/p","v":"a"}"#) == .unknownType)
        }

        @Test func requiredFieldsMustBePresent() {
            let missingType = parse(#"{"p":"/p","v":"a"}"#)

            #expect(
                missingType
                    == .failure(BeaconRejection(.missingField, "t is required.", field: "t")))
            #expect(rejection(#"{"t":"view","v":"a"}"#) == .missingField)
            #expect(rejection(#"{"t":"view","p":"/p"}"#) == .missingField)
        }

        @Test(
            "fields of the wrong type or format are invalid",
            arguments: [
                #"{"t":1,"p":"/p","v":"a"}"#,
                #"{"t":"view","p":"p/no-slash","v":"a"}"#,
                #"{"t":"view","p":"/with space","v":"a"}"#,
                #"{"t":"view","p":"/caf\u00e9","v":"a"}"#,
                #"{"t":"view","p":"/line\nbreak","v":"a"}"#,
                #"{"t":"view","p":null,"v":"a"}"#,
                #"{"t":"view","p":"/p","v":""}"#,
                #"{"t":"view","p":"/p","v":"has space"}"#,
                #"{"t":"view","p":"/p","v":"<script>"}"#,
                #"{"t":"view","p":"/p","v":42}"#,
                #"{"t":"view","p":"/p","v":"a","k":"bad token"}"#,
                #"{"t":"view","p":"/p","v":"a","k":7}"#,
                #"{"t":"view","p":"/p","v":"a","k":null}"#,
            ])
        func invalidFields(json: String) {
            #expect(rejection(json) == .invalidField)
        }

        @Test func lengthLimitsApplyToEachString() {
            let longPage = "/" + String(repeating: "p", count: 256)
            let longVisitor = String(repeating: "v", count: 65)
            let longToken = String(repeating: "k", count: 129)

            #expect(rejection(#"{"t":"view","p":"\#(longPage.dropLast())","v":"a"}"#) == nil)
            #expect(rejection(#"{"t":"view","p":"\#(longPage)","v":"a"}"#) == .invalidField)
            #expect(rejection(#"{"t":"view","p":"/p","v":"\#(longVisitor.dropLast())"}"#) == nil)
            #expect(rejection(#"{"t":"view","p":"/p","v":"\#(longVisitor)"}"#) == .invalidField)
            #expect(
                rejection(#"{"t":"view","p":"/p","v":"a","k":"\#(longToken.dropLast())"}"#) == nil)
            #expect(
                rejection(#"{"t":"view","p":"/p","v":"a","k":"\#(longToken)"}"#) == .invalidField)
        }

        @Test func aBeaconOverTwoKibibytesIsOversized() {
            let padding = String(repeating: "x", count: 2_048)
            let json = #"{"t":"view","p":"/p","v":"a","pad":"\#(padding)"}"#

            let result = parse(json)

            #expect(
                result
                    == .failure(
                        BeaconRejection(.oversized, "The beacon is larger than 2048 bytes.")))
        }

        @Test func aBeaconOfExactlyTwoKibibytesIsAccepted() {
            let head = #"{"t":"view","p":"/p","v":"a","pad":""#
            let json = head + String(repeating: "x", count: 2_048 - head.utf8.count - 2) + #""}"#

            #expect(json.utf8.count == 2_048)
            #expect(rejection(json) == nil)
        }

        @Test(
            "bodies that are not a JSON object are malformed",
            arguments: [
                "", "   ", "not json", "[]", "[1,2]", "\"view\"", "42", "null",
                #"{"t":"view","p":"/p","v":"a""#, #"{"t" "view"}"#, "{'t':'view'}",
            ])
        func malformed(body: String) {
            #expect(rejection(body) == .malformedJSON)
        }

        @Test func invalidUTF8IsMalformed() {
            var bytes = Array(#"{"t":"view","p":"/p","v":"a"}"#.utf8)
            bytes.insert(0xFF, at: 10)

            #expect(rejection(bytes) == .malformedJSON)
        }

        @Test func rejectionsNameTheFieldAndExplain() {
            guard case .failure(let rejection) = parse(#"{"t":"scroll","d":80,"p":"/p","v":"a"}"#)
            else {
                Issue.record("an 80 % scroll was accepted")
                return
            }

            #expect(rejection.field == "d")
            #expect(rejection.message == "d must be 25, 50, 75 or 100.")
        }

        @Test func rejectionCodesAreStable() {
            #expect(
                BeaconRejection.Code.allCases.map(\.rawValue) == [
                    "oversized", "malformed_json", "unknown_type", "missing_field",
                    "invalid_field", "invalid_scroll_depth", "invalid_duration",
                ])
        }

        @Test(
            "a beacon becomes the matching timeline event",
            arguments: [
                (TrackingBeacon.Kind.view, EngagementEventType.pageView),
                (.scroll, .scroll), (.time, .timeOnPage), (.submit, .formSubmit),
            ])
        func timelineEvent(kind: TrackingBeacon.Kind, type: EngagementEventType) {
            let beacon = TrackingBeacon(
                kind: kind, page: "/p/pricing", visitorID: "a", scrollDepth: 75, seconds: 130)

            let event = beacon.event(at: EngagementTests.start)

            #expect(
                event
                    == EngagementEvent(
                        type: type, occurredAt: EngagementTests.start, scrollDepth: 75,
                        seconds: 130, pageSlug: "/p/pricing"))
        }
    }
}
