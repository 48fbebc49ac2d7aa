import Foundation
import Metrics
import ReliefCore
import Vapor

/// The public tracking endpoints (no sign-in):
/// - `GET /t/o/{token}.gif`: the open pixel, a 1x1 GIF that is never cached. It always answers
///   with the GIF, whatever went wrong (a broken image would break the e-mail).
/// - `GET|HEAD /t/c/{token}`: records the click and redirects (302) to the URL inside the signed
///   token. A token that does not verify gets a 400 page and never a redirect. The redirect
///   sets a first-party cookie with a signed reference to the lead (``LandingSigner``), so
///   the browser's later landing page beacons count for the lead.
/// - `POST /t/b`: a landing page beacon (``TrackingBeacon``, JSON sent as text/plain): 204
///   when recorded, 400 with the rejection code when not.
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
    let landing: LandingSigner

    func boot(routes: any RoutesBuilder) throws {
        let tracking = routes.grouped("t")
        tracking.get("o", ":file", use: open)
        tracking.get("c", ":token", use: click)
        tracking.on(.POST, "b", body: .stream, use: beacon)
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
        let response = Response(status: .found, headers: headers)
        response.cookies[LandingSigner.cookieName] = HTTPCookies.Value(
            string: landing.leadReference(
                organizationID: token.organizationID, leadID: token.leadID, issuedAt: req.now),
            maxAge: Int(LandingSigner.referenceLifetime), path: "/",
            isSecure: req.relief.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// A landing page beacon. Anything that is not a valid beacon of a published page gets a
    /// 400 with its rejection code (never a 500); a flood gets 429. A `submit` beacon is
    /// accepted but not stored: the form post records the submission itself (once, also for
    /// visitors without the script).
    func beacon(req: Request) async -> Response {
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init),
            length > TrackingBeacon.maximumSize
        {
            return Self.beaconRejected(
                BeaconRejection(
                    .oversized, "The beacon is larger than \(TrackingBeacon.maximumSize) bytes."))
        }
        let bytes: [UInt8]
        do {
            let buffer = try await req.body.collect(max: TrackingBeacon.maximumSize).get()
            bytes = buffer.map { Array($0.readableBytesView) } ?? []
        } catch {
            return Self.beaconRejected(
                BeaconRejection(
                    .oversized, "The beacon is larger than \(TrackingBeacon.maximumSize) bytes."))
        }
        let beacon: TrackingBeacon
        switch TrackingBeacon.parse(bytes) {
        case .success(let parsed): beacon = parsed
        case .failure(let rejection): return Self.beaconRejected(rejection)
        }
        let now = req.now
        let address = req.clientIP
        guard limiter.allow(address, now: now) else {
            Self.rejected("rate_limited", endpoint: "beacon")
            return Self.problem(
                .tooManyRequests, code: "rate_limited", message: "Too many beacons.")
        }
        do {
            guard let slug = LandingSlug.fromPath(beacon.page),
                let page = try await LandingPage.published(slug: slug, on: req.db)
            else {
                Self.rejected("unknown_page", endpoint: "beacon")
                return Self.problem(
                    .badRequest, code: "unknown_page", message: "p is not a published page.",
                    fields: ["p": "p is not a published page."])
            }
            guard beacon.kind != .submit else { return Response(status: .noContent) }
            let lead = try await LandingAttribution.lead(
                organizationID: page.organizationID, visitorID: beacon.visitorID, request: req,
                signer: landing)
            let userAgent = req.headers.first(name: .userAgent) ?? ""
            await req.application.engagement.record(
                NewEngagementEvent(
                    organizationID: page.organizationID, leadID: lead,
                    visitorID: beacon.visitorID, event: beacon.event(at: now),
                    ipSealed: address.isEmpty
                        ? nil
                        : try? req.relief.cipher.seal(address, context: "engagement_events.ip"),
                    userAgent: String(userAgent.prefix(512)), reasons: []))
            return Response(status: .noContent)
        } catch {
            req.logger.error("beacon not recorded: \(String(reflecting: error))")
            return Self.problem(
                .serviceUnavailable, code: "unavailable", message: "Try again later.")
        }
    }

    private static func beaconRejected(_ rejection: BeaconRejection) -> Response {
        rejected(rejection.code.rawValue, endpoint: "beacon")
        return problem(
            .badRequest, code: rejection.code.rawValue, message: rejection.message,
            fields: rejection.field.map { [$0: rejection.message] })
    }

    private static func problem(
        _ status: HTTPStatus, code: String, message: String, fields: [String: String]? = nil
    ) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let body = APIErrorBody(error: .init(code: code, message: message, fields: fields))
        let data = (try? JSONEncoder().encode(body)) ?? Data()
        return Response(status: status, headers: headers, body: .init(data: data))
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

    /// Counts a request that recorded nothing (`bad_token`, `rate_limited`, and for beacons
    /// `unknown_page` and the ``BeaconRejection/Code`` values).
    static func rejected(_ reason: String, endpoint: String) {
        Counter(
            label: "relief_tracking_rejected_total",
            dimensions: [("endpoint", endpoint), ("reason", reason)]
        ).increment()
    }
}
