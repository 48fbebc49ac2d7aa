import Foundation
import Metrics
import ReliefCore
import Vapor

/// The public tracking endpoints (no sign-in):
/// - `GET /t/o/{token}.gif`: the open pixel, a 1x1 GIF that is never cached. It always answers
///   with the GIF, whatever went wrong (a broken image would break the e-mail).
/// - `GET|HEAD /t/c/{token}`: records the click and redirects (302) to the URL inside the signed
///   token. A token that does not verify gets a 400 page and never a redirect.
/// Events are classified (people or machines: ``MachineActivityClassifier``), rate limited per
/// client address, and queued to ``EngagementIngest``.
struct TrackingController: RouteCollection {
    /// The 43-byte transparent 1x1 GIF89a.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    let signer: TrackingTokenSigner
    let limiter: RateLimiter

    func boot(routes: any RoutesBuilder) throws {
        let tracking = routes.grouped("t")
        tracking.get("o", ":file", use: open)
        tracking.get("c", ":token", use: click)
    }

    func open(req: Request) async -> Response {
        let file = req.parameters.get("file") ?? ""
        if file.hasSuffix(".gif"), let token = signer.verify(String(file.dropLast(4))),
            token.kind == .open
        {
            await record(token, req: req)
        } else {
            Self.rejected("bad_token", endpoint: "open")
        }
        return Self.gifResponse()
    }

    func click(req: Request) async -> Response {
        guard let token = signer.verify(req.parameters.get("token") ?? ""), token.kind == .click,
            let url = token.url
        else {
            Self.rejected("bad_token", endpoint: "click")
            return Self.invalidLinkPage()
        }
        await record(token, req: req)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .location, value: url)
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return Response(status: .found, headers: headers)
    }

    private func record(_ token: TrackingToken, req: Request) async {
        let now = req.now
        let address = req.clientIP
        guard limiter.allow(address, now: now) else {
            Self.rejected("rate_limited", endpoint: token.kind.rawValue)
            return
        }
        let userAgent = req.headers.first(name: .userAgent)
        var previous: [MessageClick] = []
        if token.kind == .click, let url = token.url {
            previous = req.application.engagement.clicks(
                of: token.messageID, adding: MessageClick(occurredAt: now, url: url))
        }
        let verdict = MachineActivityClassifier.standard.classify(
            TrackedRequest(
                kind: token.kind, method: req.method.rawValue, userAgent: userAgent,
                ipAddress: address, occurredAt: now, deliveredAt: token.sentAt, url: token.url,
                previousClicks: previous, linkCount: token.linkCount))
        let event = EngagementEvent(
            type: token.kind == .open ? .open : .click, occurredAt: now,
            machine: verdict.isMachine, messageID: token.messageID.uuidString, url: token.url)
        await req.application.engagement.record(
            NewEngagementEvent(
                organizationID: token.organizationID, leadID: token.leadID, event: event,
                ipSealed: address.isEmpty
                    ? nil : try? req.relief.cipher.seal(address, context: "engagement_events.ip"),
                userAgent: String((userAgent ?? "").prefix(512)), reasons: verdict.reasons))
    }

    static func gifResponse() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "gif")
        headers.replaceOrAdd(
            name: .cacheControl, value: "no-store, no-cache, must-revalidate, max-age=0")
        headers.replaceOrAdd(name: .pragma, value: "no-cache")
        headers.replaceOrAdd(name: .expires, value: "0")
        return Response(status: .ok, headers: headers, body: .init(data: Data(pixel)))
    }

    static func invalidLinkPage() -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Link not valid</title></head><body style="font-family:system-ui,sans-serif;\
            max-width:32rem;margin:4rem auto;padding:0 1rem">
            <h1>This link is not valid</h1>
            <p>The link you followed is incomplete or has been changed, so it does not lead
            anywhere. Please use the link exactly as it appears in the message you received.</p>
            </body></html>
            """
        return Response(status: .badRequest, headers: headers, body: .init(string: html))
    }

    /// Counts a request that recorded nothing (`bad_token`, `rate_limited`).
    static func rejected(_ reason: String, endpoint: String) {
        Counter(
            label: "relief_tracking_rejected_total",
            dimensions: [("endpoint", endpoint), ("reason", reason)]
        ).increment()
    }
}
