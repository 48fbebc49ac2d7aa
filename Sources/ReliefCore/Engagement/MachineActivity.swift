import Foundation

/// A stable reason why an open or a click was made by software rather than the person. The raw
/// value is what the app stores with the event and the docs list; never rename one.
public enum MachineActivityReason: String, Sendable, Codable, CaseIterable {
    /// Open: a mail provider's image proxy fetched the pixel (`GoogleImageProxy` for Gmail,
    /// `YahooMailProxy` for Yahoo and AOL); its timing and count say little about the person.
    case imageProxy = "image_proxy"
    /// Open: Apple Mail Privacy Protection fetched the pixel ahead of any reading: the request
    /// came from Apple's 17.0.0.0/8 network, or with the bare user agent `Mozilla/5.0`.
    case appleMailPrivacy = "apple_mail_privacy"
    /// Open: sooner after delivery than a person could open the message.
    case openTooSoon = "open_too_soon"
    /// Open or click: a HEAD request, which checks a URL without showing it.
    case headRequest = "head_request"
    /// Open or click: a named e-mail security scanner or link previewer (Barracuda, Proofpoint,
    /// Mimecast, Microsoft's BingPreview used by Safe Links and Outlook previews).
    case linkScanner = "link_scanner"
    /// Open or click: a crawler, a headless browser or an HTTP library (`...bot`, `crawler`,
    /// `spider`, `headless`, `python-requests`, `curl`, `Go-http-client`, ...).
    case botUserAgent = "bot_user_agent"
    /// Click: no user agent at all; every browser sends one.
    case missingUserAgent = "missing_user_agent"
    /// Click: sooner after delivery than a person could open the message and follow a link.
    case clickTooSoon = "click_too_soon"
    /// Click: every link of the message was followed within a few seconds, as scanners do.
    case allLinksClicked = "all_links_clicked"

    /// A short label for tables and docs.
    public var label: String {
        switch self {
        case .imageProxy: "Mail image proxy"
        case .appleMailPrivacy: "Apple Mail Privacy Protection"
        case .openTooSoon: "Opened too soon after delivery"
        case .headRequest: "HEAD request"
        case .linkScanner: "Security scanner or link preview"
        case .botUserAgent: "Bot or HTTP library"
        case .missingUserAgent: "No user agent"
        case .clickTooSoon: "Clicked too soon after delivery"
        case .allLinksClicked: "Every link clicked at once"
        }
    }
}

/// A click already recorded on the same message.
public struct MessageClick: Sendable, Equatable {
    public var occurredAt: Date
    /// The link's destination, as recorded for the click.
    public var url: String

    public init(occurredAt: Date, url: String) {
        self.occurredAt = occurredAt
        self.url = url
    }
}

/// One request to a tracking endpoint (the open pixel or a click redirect), with what the
/// classifier needs to know about its message.
public struct TrackedRequest: Sendable, Equatable {
    /// Which endpoint was hit.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case open
        case click
    }

    public var kind: Kind
    /// The HTTP method ("GET", "HEAD"); compared without regard to case.
    public var method: String
    /// The User-Agent header; nil or empty when the request had none.
    public var userAgent: String?
    /// The client address as text, IPv4 or IPv6; nil or unparsable turns the address rules off.
    public var ipAddress: String?
    public var occurredAt: Date
    /// When the provider reported the message delivered; nil turns the timing rules off.
    public var deliveredAt: Date?
    /// For a click: the link's destination.
    public var url: String?
    /// For a click: the clicks already recorded on the same message.
    public var previousClicks: [MessageClick]
    /// For a click: how many distinct links the message has.
    public var linkCount: Int

    public init(
        kind: Kind,
        method: String = "GET",
        userAgent: String?,
        ipAddress: String?,
        occurredAt: Date,
        deliveredAt: Date?,
        url: String? = nil,
        previousClicks: [MessageClick] = [],
        linkCount: Int = 0
    ) {
        self.kind = kind
        self.method = method
        self.userAgent = userAgent
        self.ipAddress = ipAddress
        self.occurredAt = occurredAt
        self.deliveredAt = deliveredAt
        self.url = url
        self.previousClicks = previousClicks
        self.linkCount = linkCount
    }
}

/// Whether an open or a click was made by software, with every rule that said so.
public struct MachineVerdict: Sendable, Equatable {
    /// The rules that matched, in the order ``MachineActivityClassifier`` checks them.
    public var reasons: [MachineActivityReason]

    /// True when any rule matched.
    public var isMachine: Bool { !reasons.isEmpty }

    public init(reasons: [MachineActivityReason]) {
        self.reasons = reasons
    }
}

/// Tells opens and clicks made by software (image proxies, privacy relays, security scanners,
/// bots) from those made by the person, so that they do not warm the heat score.
///
/// The rules, checked in this order, each with its ``MachineActivityReason``:
///
/// - `image_proxy` (open): the user agent contains `GoogleImageProxy` or `YahooMailProxy`.
/// - `apple_mail_privacy` (open): the address is in 17.0.0.0/8 (also as IPv4-mapped IPv6), or
///   the user agent is exactly `Mozilla/5.0`.
/// - `open_too_soon` (open): less than ``openDelay`` (2 s) after delivery, or before it.
/// - `head_request` (open, click): the method is HEAD.
/// - `link_scanner` (open, click): the user agent names Barracuda, Proofpoint, Mimecast or
///   BingPreview.
/// - `bot_user_agent` (open, click): the user agent has a word ending in `bot` (but not the
///   phone maker Cubot) or containing `bot-`, `crawler`, `spider` or `headless`, or a word that
///   is `facebookexternalhit` or an HTTP library: `curl`, `wget`, `python-requests`,
///   `python-urllib`, `go-http-client`, `java`, `apache-httpclient`, `axios`, `node-fetch`,
///   `libwww-perl`, `scrapy`, `phantomjs`.
/// - `missing_user_agent` (click): no user agent.
/// - `click_too_soon` (click): less than ``clickDelay`` (5 s) after delivery, or before it.
/// - `all_links_clicked` (click): with this click, every one of the message's links (2 or more)
///   was clicked within ``allLinksWindow`` (5 s).
///
/// User agents are matched without regard to case, word by word (a word is a run of letters,
/// digits, `.`, `-` and `_`). Five seconds is less than a person needs to notice a message,
/// open it and tap a link, and more than a scanner takes to fetch it on delivery. Apple's
/// privacy relay is only recognised on its own network: its other egress addresses are rented
/// from CDNs and are not listed here. No marker is used for Outlook.com opens, for want of a
/// reliable one. An all-links burst is only seen from its last click; the app should mark the
/// earlier clicks of the burst as machine too.
public struct MachineActivityClassifier: Sendable, Equatable {
    /// 2 s for opens, 5 s for clicks, 5 s for an all-links burst.
    public static let standard = MachineActivityClassifier()

    /// Opens sooner than this after delivery are machine activity.
    public var openDelay: TimeInterval
    /// Clicks sooner than this after delivery are machine activity.
    public var clickDelay: TimeInterval
    /// The longest time in which clicks on all of a message's links count as one burst.
    public var allLinksWindow: TimeInterval

    public init(
        openDelay: TimeInterval = 2, clickDelay: TimeInterval = 5, allLinksWindow: TimeInterval = 5
    ) {
        self.openDelay = openDelay
        self.clickDelay = clickDelay
        self.allLinksWindow = allLinksWindow
    }

    /// Every rule that marks `request` as machine activity; none for a person.
    public func classify(_ request: TrackedRequest) -> MachineVerdict {
        let agent = UserAgent(request.userAgent ?? "")
        let address = request.ipAddress.flatMap { IPAddress($0) }
        var reasons: [MachineActivityReason] = []
        if request.kind == .open {
            if agent.isImageProxy { reasons.append(.imageProxy) }
            if agent.isBareMozilla || address?.ipv4.map(Self.isAppleNetwork) == true {
                reasons.append(.appleMailPrivacy)
            }
            if tooSoon(request, delay: openDelay) { reasons.append(.openTooSoon) }
        }
        if request.method.uppercased() == "HEAD" { reasons.append(.headRequest) }
        if agent.isLinkScanner { reasons.append(.linkScanner) }
        if agent.isBot { reasons.append(.botUserAgent) }
        if request.kind == .click {
            if agent.isEmpty { reasons.append(.missingUserAgent) }
            if tooSoon(request, delay: clickDelay) { reasons.append(.clickTooSoon) }
            if completesAllLinks(request) { reasons.append(.allLinksClicked) }
        }
        return MachineVerdict(reasons: reasons)
    }

    private func tooSoon(_ request: TrackedRequest, delay: TimeInterval) -> Bool {
        guard let deliveredAt = request.deliveredAt else { return false }
        return request.occurredAt.timeIntervalSince(deliveredAt) < delay
    }

    /// Whether this click and the message's clicks around it cover every link within one
    /// window of ``allLinksWindow`` that contains this click.
    private func completesAllLinks(_ request: TrackedRequest) -> Bool {
        guard request.linkCount >= 2, let url = request.url else { return false }
        let now = request.occurredAt
        let clicks = (request.previousClicks + [MessageClick(occurredAt: now, url: url)])
            .filter { abs($0.occurredAt.timeIntervalSince(now)) <= allLinksWindow }
            .sorted { $0.occurredAt < $1.occurredAt }
        // Every window starts at a click no later than this one and, as the clicks are at most
        // `allLinksWindow` from it, reaches it.
        for (start, first) in clicks.enumerated() where first.occurredAt <= now {
            let end = first.occurredAt.addingTimeInterval(allLinksWindow)
            let links = Set(clicks[start...].prefix { $0.occurredAt <= end }.map(\.url))
            if links.count >= request.linkCount { return true }
        }
        return false
    }

    /// 17.0.0.0/8, Apple's own network, from which Mail Privacy Protection fetches.
    private static func isAppleNetwork(_ address: UInt32) -> Bool {
        address >> 24 == 17
    }
}

/// A User-Agent header read word by word, lower-cased.
private struct UserAgent {
    private static let scanners = ["barracuda", "proofpoint", "mimecast", "bingpreview"]
    private static let clients: Set<String> = [
        "curl", "wget", "python-requests", "python-urllib", "go-http-client", "java",
        "apache-httpclient", "axios", "node-fetch", "libwww-perl", "scrapy", "phantomjs",
        "facebookexternalhit",
    ]

    let text: String
    let words: [Substring]

    init(_ header: String) {
        text = header.trimmingCharacters(in: .whitespaces).lowercased()
        words = text.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) && !"._-".contains($0) }
    }

    var isEmpty: Bool { text.isEmpty }

    var isBareMozilla: Bool { text == "mozilla/5.0" }

    var isImageProxy: Bool {
        text.contains("googleimageproxy") || text.contains("yahoomailproxy")
    }

    var isLinkScanner: Bool {
        words.contains { word in Self.scanners.contains { word.contains($0) } }
    }

    var isBot: Bool {
        words.contains { word in
            (word.hasSuffix("bot") && word != "cubot") || word.contains("bot-")
                || word.contains("crawler") || word.contains("spider") || word.contains("headless")
                || Self.clients.contains(String(word))
        }
    }
}
