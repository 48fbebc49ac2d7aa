import Foundation
import ReliefCore
import Testing

extension EngagementTests {
    @Suite("Machine activity")
    struct MachineActivityTests {
        let classifier = MachineActivityClassifier.standard
        let delivered = EngagementTests.start
        let iPhoneSafari =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
        let desktopChrome =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/126.0.0.0 Safari/537.36"
        let homeAddress = "73.15.200.4"

        /// An open `seconds` after delivery.
        func open(
            agent: String?, address: String? = "73.15.200.4", after seconds: TimeInterval = 600,
            method: String = "GET"
        ) -> TrackedRequest {
            TrackedRequest(
                kind: .open, method: method, userAgent: agent, ipAddress: address,
                occurredAt: delivered.addingTimeInterval(seconds), deliveredAt: delivered)
        }

        /// A click on `url` `seconds` after delivery.
        func click(
            agent: String?, after seconds: TimeInterval = 600, method: String = "GET",
            url: String = "https://example.com/a", previous: [MessageClick] = [], links: Int = 3
        ) -> TrackedRequest {
            TrackedRequest(
                kind: .click, method: method, userAgent: agent, ipAddress: homeAddress,
                occurredAt: delivered.addingTimeInterval(seconds), deliveredAt: delivered,
                url: url, previousClicks: previous, linkCount: links)
        }

        func previous(_ clicks: [(TimeInterval, String)]) -> [MessageClick] {
            clicks.map { MessageClick(occurredAt: delivered.addingTimeInterval($0.0), url: $0.1) }
        }

        // MARK: - People

        @Test func aPersonOpeningAndClickingIsNotAMachine() {
            #expect(classifier.classify(open(agent: iPhoneSafari)) == MachineVerdict(reasons: []))
            #expect(!classifier.classify(open(agent: iPhoneSafari)).isMachine)
            #expect(!classifier.classify(click(agent: desktopChrome)).isMachine)
        }

        @Test func withoutADeliveryTimeTheTimingRulesAreOff() {
            var request = click(agent: desktopChrome, after: 0)
            request.deliveredAt = nil

            #expect(!classifier.classify(request).isMachine)
        }

        // MARK: - Opens

        @Test(
            "mail image proxies open as machines",
            arguments: [
                "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
                "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html",
            ])
        func imageProxy(agent: String) {
            #expect(classifier.classify(open(agent: agent)).reasons == [.imageProxy])
        }

        @Test func anImageProxyAgentOnAClickIsNotAnOpenRule() {
            let agent = "Mozilla/5.0 (via ggpht.com GoogleImageProxy)"

            #expect(!classifier.classify(click(agent: agent)).reasons.contains(.imageProxy))
        }

        @Test(
            "Apple's network opens as Mail Privacy Protection",
            arguments: ["17.0.0.1", "17.58.63.200", "17.255.255.255", "::ffff:17.58.0.1"])
        func appleNetwork(address: String) {
            #expect(
                classifier.classify(open(agent: iPhoneSafari, address: address)).reasons
                    == [.appleMailPrivacy])
        }

        @Test(
            "other addresses are not Mail Privacy Protection",
            arguments: [
                "16.255.255.255", "18.0.0.0", "117.0.0.1", "170.1.1.1", "::17.0.0.1",
                "2001:db8::17", "17.0.0", "not an address",
            ])
        func notAppleNetwork(address: String) {
            #expect(!classifier.classify(open(agent: iPhoneSafari, address: address)).isMachine)
        }

        @Test func aBareMozillaAgentOpensAsMailPrivacyProtection() {
            #expect(
                classifier.classify(open(agent: "Mozilla/5.0")).reasons == [.appleMailPrivacy])
            #expect(
                classifier.classify(open(agent: " mozilla/5.0 ")).reasons == [.appleMailPrivacy])
            #expect(!classifier.classify(open(agent: "Mozilla/5.0 (Macintosh)")).isMachine)
        }

        @Test func anOpenWithinTwoSecondsOfDeliveryIsTooSoon() {
            #expect(
                classifier.classify(open(agent: iPhoneSafari, after: 0)).reasons == [.openTooSoon])
            #expect(
                classifier.classify(open(agent: iPhoneSafari, after: 1.9)).reasons == [.openTooSoon]
            )
            #expect(
                classifier.classify(open(agent: iPhoneSafari, after: -30)).reasons == [.openTooSoon]
            )
            #expect(!classifier.classify(open(agent: iPhoneSafari, after: 2)).isMachine)
        }

        @Test func theOpenDelayCanBeChanged() {
            let patient = MachineActivityClassifier(openDelay: 10)

            #expect(patient.classify(open(agent: iPhoneSafari, after: 5)).reasons == [.openTooSoon])
            #expect(!patient.classify(open(agent: iPhoneSafari, after: 10)).isMachine)
        }

        @Test func anOpenWithNoUserAgentIsNotMarkedForIt() {
            #expect(!classifier.classify(open(agent: nil)).isMachine)
        }

        // MARK: - Opens and clicks

        @Test func aHeadRequestIsAMachine() {
            #expect(
                classifier.classify(click(agent: desktopChrome, method: "HEAD")).reasons == [
                    .headRequest
                ])
            #expect(
                classifier.classify(click(agent: desktopChrome, method: "head")).reasons == [
                    .headRequest
                ])
            #expect(
                classifier.classify(open(agent: iPhoneSafari, method: "HEAD")).reasons == [
                    .headRequest
                ])
            #expect(!classifier.classify(click(agent: desktopChrome, method: "POST")).isMachine)
        }

        @Test(
            "security scanners and link previews are machines",
            arguments: [
                "Barracuda Sentinel (EE)",
                "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
                "Mimecast URL Protect",
                "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b",
            ])
        func linkScanner(agent: String) {
            #expect(classifier.classify(click(agent: agent)).reasons == [.linkScanner])
            #expect(classifier.classify(open(agent: agent)).reasons == [.linkScanner])
        }

        @Test(
            "bots, headless browsers and HTTP libraries are machines",
            arguments: [
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "Mozilla/5.0 (compatible; bingbot/2.0)", "Slackbot-LinkExpanding 1.0",
                "Twitterbot/1.0", "bot", "SomeCrawler/3.1", "Baiduspider/2.0",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0.0.0",
                "python-requests/2.31.0", "Python-urllib/3.11", "curl/8.4.0", "Wget/1.21.4",
                "Go-http-client/1.1", "Go-http-client/2.0", "Java/17.0.2",
                "Apache-HttpClient/4.5.14 (Java/17)", "axios/1.6.2", "node-fetch/1.0",
                "libwww-perl/6.72", "Scrapy/2.11", "PhantomJS/2.1.1",
                "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            ])
        func botAgent(agent: String) {
            #expect(classifier.classify(click(agent: agent)).reasons == [.botUserAgent])
            #expect(classifier.classify(open(agent: agent)).reasons == [.botUserAgent])
        }

        @Test(
            "ordinary browsers and phones are not bots",
            arguments: [
                "Mozilla/5.0 (Linux; Android 11; CUBOT KINGKONG 5 Pro) AppleWebKit/537.36 "
                    + "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                    + "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
                "Mozilla/4.0 (compatible; ms-office; MSOffice 16)",
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
                    + "Chrome/126.0 Mobile Safari/537.36 Abbott-App/2.0",
            ])
        func browser(agent: String) {
            #expect(!classifier.classify(click(agent: agent)).isMachine)
            #expect(!classifier.classify(open(agent: agent)).isMachine)
        }

        // MARK: - Clicks

        @Test func aClickWithoutAUserAgentIsAMachine() {
            #expect(classifier.classify(click(agent: nil)).reasons == [.missingUserAgent])
            #expect(classifier.classify(click(agent: "  ")).reasons == [.missingUserAgent])
        }

        @Test func aClickWithinFiveSecondsOfDeliveryIsTooSoon() {
            #expect(
                classifier.classify(click(agent: desktopChrome, after: 0)).reasons == [
                    .clickTooSoon
                ])
            #expect(
                classifier.classify(click(agent: desktopChrome, after: 4.9)).reasons == [
                    .clickTooSoon
                ])
            #expect(
                classifier.classify(click(agent: desktopChrome, after: -1)).reasons == [
                    .clickTooSoon
                ])
            #expect(!classifier.classify(click(agent: desktopChrome, after: 5)).isMachine)
        }

        @Test func theClickDelayCanBeChanged() {
            let quick = MachineActivityClassifier(clickDelay: 2)

            #expect(!quick.classify(click(agent: desktopChrome, after: 3)).isMachine)
            #expect(
                quick.classify(click(agent: desktopChrome, after: 1)).reasons == [.clickTooSoon])
        }

        @Test func clickingEveryLinkWithinSecondsIsAMachine() {
            let request = click(
                agent: desktopChrome, after: 62, url: "https://example.com/c",
                previous: previous([(60, "https://example.com/a"), (61, "https://example.com/b")]))

            #expect(classifier.classify(request).reasons == [.allLinksClicked])
        }

        @Test func theClickThatCompletesTheLinksMayComeFirstInTime() {
            let request = click(
                agent: desktopChrome, after: 60, url: "https://example.com/c",
                previous: previous([(61, "https://example.com/a"), (64, "https://example.com/b")]))

            #expect(classifier.classify(request).reasons == [.allLinksClicked])
        }

        @Test func clickingEveryLinkSlowlyIsAPerson() {
            let request = click(
                agent: desktopChrome, after: 120, url: "https://example.com/c",
                previous: previous([(60, "https://example.com/a"), (90, "https://example.com/b")]))

            #expect(!classifier.classify(request).isMachine)
        }

        @Test func theLinksMustFallInOneWindow() {
            // a (60 s) and c (68 s) are each within 5 s of b (64 s), but not of each other.
            let request = click(
                agent: desktopChrome, after: 64, url: "https://example.com/b",
                previous: previous([(60, "https://example.com/a"), (68, "https://example.com/c")]))

            #expect(!classifier.classify(request).isMachine)
        }

        @Test func repeatClicksOnSomeLinksAreAPerson() {
            let request = click(
                agent: desktopChrome, after: 62, url: "https://example.com/a",
                previous: previous([(60, "https://example.com/a"), (61, "https://example.com/b")]))

            #expect(!classifier.classify(request).isMachine)
        }

        @Test func theOnlyLinkOfAMessageIsAPersonsClick() {
            let request = click(agent: desktopChrome, after: 60, links: 1)

            #expect(!classifier.classify(request).isMachine)
        }

        @Test func everyMatchingRuleIsReportedInOrder() {
            let request = click(
                agent: "python-requests/2.31 Mimecast", after: 1, method: "HEAD",
                url: "https://example.com/b",
                previous: previous([(0, "https://example.com/a")]), links: 2)

            #expect(
                classifier.classify(request).reasons
                    == [.headRequest, .linkScanner, .botUserAgent, .clickTooSoon, .allLinksClicked])
        }

        @Test func reasonCodesAreStable() {
            #expect(
                MachineActivityReason.allCases.map(\.rawValue) == [
                    "image_proxy", "apple_mail_privacy", "open_too_soon", "head_request",
                    "link_scanner", "bot_user_agent", "missing_user_agent", "click_too_soon",
                    "all_links_clicked",
                ])
            #expect(MachineActivityReason.allCases.allSatisfy { !$0.label.isEmpty })
        }
    }
}
