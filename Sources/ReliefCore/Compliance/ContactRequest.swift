import Foundation

/// How a consumer is contacted.
public enum ContactChannel: String, Sendable, Codable, CaseIterable {
    case call
    case sms
    case email
    /// A voicemail left without the phone ringing through to a person (ringless or dropped).
    case voicemail

    /// Whether the channel reaches a phone number (and so follows calling rules).
    public var usesPhone: Bool { self != .email }
}

/// Why a consumer is contacted; decides which consent and hours rules apply.
public enum ContactPurpose: String, Sendable, Codable, CaseIterable {
    /// Selling the program: telemarketing and marketing messages.
    case marketing
    /// Running an enrolled client's program (deposits, settlement offers).
    case servicing
    /// A reminder or confirmation of an appointment the consumer booked.
    case appointment
    /// A receipt, a legally required notice or the confirmation of an opt-out.
    case transactional
}

/// How a call or message is placed.
public enum DialingMethod: String, Sendable, Codable, CaseIterable {
    /// An agent dials or sends it by hand.
    case manual
    /// An autodialer, a prerecorded or artificial voice, or a bulk sender.
    case automated
}
