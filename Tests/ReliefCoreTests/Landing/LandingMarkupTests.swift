import ReliefCore
import Testing

@Suite("Landing page markup")
struct LandingMarkupTests {
    @Test("paragraphs, headings, lists, bold and web links")
    func formats() {
        let html = LandingMarkup.html(
            """
            # Get out of debt
            ## How it works

            We **negotiate** with your creditors.
            Second line.

            - One low payment
            - No upfront fees, see [the rule](https://www.ftc.gov/tsr)
            """)
        #expect(
            html == """
                <h2>Get out of debt</h2>
                <h3>How it works</h3>
                <p>We <strong>negotiate</strong> with your creditors.<br>Second line.</p>
                <ul><li>One low payment</li><li>No upfront fees, see <a href="https://www.ftc.gov/tsr" rel="noopener noreferrer">the rule</a></li></ul>

                """)
    }

    @Test("everything else is escaped text; only http(s) links become anchors")
    func escaping() {
        let html = LandingMarkup.html(
            """
            <script>alert(1)</script> & "quotes" 'single'
            [click](javascript:alert(1)) [data](data:text/html,x) [ok](http://a.example/x?q=1&r=2)
            [quote](https://a.example/"onmouseover="x) **<b>bold</b>** **unclosed
            """)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(
            html.contains(
                "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;"))
        #expect(!html.contains("href=\"javascript"))
        #expect(!html.contains("href=\"data"))
        #expect(html.contains("[click](javascript:alert(1))"))
        #expect(
            html.contains(
                #"<a href="http://a.example/x?q=1&amp;r=2" rel="noopener noreferrer">ok</a>"#))
        #expect(!html.contains("onmouseover=\""))
        #expect(html.contains("<strong>&lt;b&gt;bold&lt;/b&gt;</strong>"))
        #expect(html.contains("**unclosed"))
    }

    @Test("slugs")
    func slugs() {
        #expect(LandingSlug.problem("debt-help") == nil)
        #expect(LandingSlug.problem("a2") == nil)
        for bad in [
            "", "a", "Debt", "-x", "x-", "a--b", "a b", "a/b", String(repeating: "a", count: 61),
        ] {
            #expect(LandingSlug.problem(bad) != nil, "\(bad)")
        }
        #expect(LandingSlug.fromPath("/p/debt-help") == "debt-help")
        #expect(LandingSlug.fromPath("/p/debt-help/") == "debt-help")
        #expect(LandingSlug.fromPath("/x/debt-help") == nil)
        #expect(LandingSlug.fromPath("/p/../etc") == nil)
    }
}
