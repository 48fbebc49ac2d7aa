import Foundation

/// A kind of tracked engagement on a lead's timeline. The raw value is what the database, the API
/// and the per-organization weight settings use; never rename one.
public enum EngagementEventType: String, Sendable, Codable, CaseIterable {
    /// An e-mail was opened (the tracking pixel was fetched).
    case open
    /// A tracked link in an e-mail or text message was followed.
    case click
    /// A landing page was shown.
    case pageView = "page_view"
    /// A landing page was scrolled to ``EngagementEvent/scrollDepth`` percent.
    case scroll
    /// A landing page stayed open for ``EngagementEvent/seconds`` seconds.
    case timeOnPage = "time_on_page"
    /// A landing page form was submitted.
    case formSubmit = "form_submit"
    /// The lead answered a message (text or e-mail).
    case inboundReply = "inbound_reply"
    /// The lead picked up a call.
    case callAnswered = "call_answered"
    /// The lead booked an appointment.
    case appointmentBooked = "appointment_booked"
    /// The lead unsubscribed; its default weight is negative.
    case unsubscribe
}

/// One tracked engagement: what happened, when, and the details the heat score and its
/// explanation read.
public struct EngagementEvent: Sendable, Codable, Hashable {
    public var type: EngagementEventType
    public var occurredAt: Date
    /// For ``EngagementEventType/scroll``: the depth reached, in percent (25, 50, 75 or 100).
    public var scrollDepth: Int?
    /// For ``EngagementEventType/timeOnPage``: how long the page stayed open.
    public var seconds: Int?
    /// Whether the event was made by software rather than the person (see
    /// ``MachineActivityClassifier``); machine events weigh nothing.
    public var machine: Bool
    /// The message an open, click or reply belongs to.
    public var messageID: String?
    /// The landing page of a page view, scroll, time on page or form submission ("/p/pricing").
    public var pageSlug: String?
    /// The destination of a click.
    public var url: String?

    public init(
        type: EngagementEventType,
        occurredAt: Date,
        scrollDepth: Int? = nil,
        seconds: Int? = nil,
        machine: Bool = false,
        messageID: String? = nil,
        pageSlug: String? = nil,
        url: String? = nil
    ) {
        self.type = type
        self.occurredAt = occurredAt
        self.scrollDepth = scrollDepth
        self.seconds = seconds
        self.machine = machine
        self.messageID = messageID
        self.pageSlug = pageSlug
        self.url = url
    }
}
