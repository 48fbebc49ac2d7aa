import ReliefCore
import Testing

@Suite("Bankruptcy mention detector")
struct BankruptcyMentionDetectorTests {
    typealias Kind = BankruptcyMention.Kind

    /// The one mention found in `text`, as (phrase, chapter, kind).
    static func single(_ text: String) -> (String, Int?, Kind)? {
        let mentions = BankruptcyMentionDetector.mentions(in: text)
        guard mentions.count == 1, let mention = mentions.first else { return nil }
        return (mention.phrase, mention.chapter, mention.kind)
    }

    @Test(
        "filings",
        arguments: [
            ("Client filed bankruptcy in 2019", "filed bankruptcy", nil),
            ("She filed for bankruptcy last year", "filed for bankruptcy", nil),
            ("is filing bankruptcy next week", "filing bankruptcy", nil),
            ("Currently in bankruptcy.", "in bankruptcy", nil),
            ("they declared bankruptcy", "declared bankruptcy", nil),
            ("went through bankruptcy in 2015", "through bankruptcy", nil),
            ("Prior bankruptcy 2012", "Prior bankruptcy", nil),
            ("has an open bankruptcy", "has an open bankruptcy", nil),
            ("filed for a chapter 13 bankruptcy", "filed for a chapter 13 bankruptcy", 13),
            ("Filed ch. 7 in March", "Filed ch. 7", 7),
            ("filed BK", "filed BK", nil),
            ("he is in BK", "in BK", nil),
            ("Had a chapter 7 in 2015", "Had a chapter 7", 7),
            ("had a bankruptcy in 2010", "had a bankruptcy", nil),
            ("had to file bankruptcy", "file bankruptcy", nil),
            ("she did file bankruptcy", "file bankruptcy", nil),
            ("bankruptcy case is still open", "bankruptcy case", nil),
            ("Bankruptcy filed 2020", "Bankruptcy filed", nil),
            ("filed for bankruptcy protection", "filed for bankruptcy protection", nil),
            ("Bankruptcy: yes", "Bankruptcy", nil),
            ("In chapter 13 since May", "In chapter 13", 13),
        ] as [(String, String, Int?)])
    func filed(text: String, phrase: String, chapter: Int?) throws {
        let mention = try #require(Self.single(text))

        #expect(mention.0 == phrase)
        #expect(mention.1 == chapter)
        #expect(mention.2 == .filed)
    }

    @Test(
        "chapter references",
        arguments: [
            ("Chapter 7", "Chapter 7", 7), ("chapter 11", "chapter 11", 11),
            ("Ch 13 plan pays 400/mo", "Ch 13 plan", 13), ("ch. 7", "ch. 7", 7),
            ("Chap. 11", "Chap. 11", 11), ("ch13", "ch13", 13), ("CH7 BK", "CH7 BK", 7),
            ("chapter-12", "chapter-12", 12), ("chapter seven", "chapter seven", 7),
            ("Chapter 7 bankruptcy", "Chapter 7 bankruptcy", 7),
            ("on a wage earner plan", "wage earner plan", 13),
        ] as [(String, String, Int)])
    func chapters(text: String, phrase: String, chapter: Int) throws {
        let mention = try #require(Self.single(text))

        #expect(mention.0 == phrase)
        #expect(mention.1 == chapter)
        #expect(mention.2 == .chapter)
    }

    @Test(
        "attorneys, trustees, the automatic stay and discharges",
        arguments: [
            ("Talk to my bankruptcy attorney", "my bankruptcy attorney", nil, Kind.attorney),
            ("BK attorney is Jane Roe", "BK attorney", nil, .attorney),
            ("her bankruptcy lawyer called", "her bankruptcy lawyer", nil, .attorney),
            ("chapter 7 attorney", "chapter 7 attorney", 7, .attorney),
            ("the bankruptcy trustee", "bankruptcy trustee", nil, .trustee),
            ("pays the Chapter 13 trustee", "Chapter 13 trustee", 13, .trustee),
            ("under the automatic stay", "automatic stay", nil, .automaticStay),
            ("auto stay in place", "auto stay", nil, .automaticStay),
            ("debts discharged in bankruptcy", "discharged in bankruptcy", nil, .discharged),
            ("bankruptcy discharged 2018", "bankruptcy discharged", nil, .discharged),
        ] as [(String, String, Int?, Kind)])
    func roles(text: String, phrase: String, chapter: Int?, kind: Kind) throws {
        let mention = try #require(Self.single(text))

        #expect(mention.0 == phrase)
        #expect(mention.1 == chapter)
        #expect(mention.2 == kind)
    }

    @Test(
        "thinking of filing",
        arguments: [
            ("Considering bankruptcy", "Considering bankruptcy", nil),
            ("thinking about filing for bankruptcy", "thinking about filing for bankruptcy", nil),
            ("wants to file chapter 7", "wants to file chapter 7", 7),
            ("Asked about bankruptcy", "Asked about bankruptcy", nil),
            ("will file bankruptcy if this fails", "file bankruptcy", nil),
            ("interested in bankruptcy", "interested in bankruptcy", nil),
            ("looking into BK", "looking into BK", nil),
        ] as [(String, String, Int?)])
    func considering(text: String, phrase: String, chapter: Int?) throws {
        let mention = try #require(Self.single(text))

        #expect(mention.0 == phrase)
        #expect(mention.1 == chapter)
        #expect(mention.2 == .considering)
    }

    @Test func havingIsNotAFilingWithoutAnArticle() throws {
        let mention = try #require(Self.single("I have bankruptcy questions"))

        #expect(mention.0 == "bankruptcy")
        #expect(mention.2 == .mentioned)
    }

    @Test func aBareBankruptcyIsAMention() throws {
        let mention = try #require(
            Self.single("Explained the difference between settlement and bankruptcy"))

        #expect(mention.0 == "bankruptcy")
        #expect(mention.2 == .mentioned)
    }

    @Test(
        "negated mentions are dropped",
        arguments: [
            "never filed bankruptcy", "Client is not in bankruptcy", "No bankruptcy",
            "hasn't filed for bankruptcy", "He has not ever filed for bankruptcy",
            "does not want to file bankruptcy", "no history of bankruptcy",
            "No record of any bankruptcy", "Denies any bankruptcy", "never been in chapter 13",
            "No bankruptcies, no judgments", "not considering bankruptcy",
            "doesn’t have a bankruptcy attorney", "Bankruptcy: no", "Prior bankruptcy? None",
            "bankruptcy - N", "Bankruptcy: N/A", "prior bankruptcy no",
        ])
    func negated(text: String) {
        #expect(BankruptcyMentionDetector.mentions(in: text) == [])
    }

    @Test(
        "a negation does not reach past a clause, a conjunction or a doubt",
        arguments: [
            ("No income, filed bankruptcy in May", "filed bankruptcy"),
            ("Not employed and filed for bankruptcy", "filed for bankruptcy"),
            ("No, but she filed ch 7", "filed ch 7"),
            ("not sure whether she filed bankruptcy", "filed bankruptcy"),
            ("Doesn't know if he is in bankruptcy", "in bankruptcy"),
            ("No car loans or credit cards in his name. Filed bankruptcy", "Filed bankruptcy"),
            ("Discussed bankruptcy. No interest", "bankruptcy"),
            ("bankruptcy no longer an option", "bankruptcy"),
        ])
    func negationScope(text: String, phrase: String) throws {
        let mention = try #require(Self.single(text))

        #expect(mention.0 == phrase)
    }

    @Test(
        "words that are not bankruptcy mentions",
        arguments: [
            "See chapter 7 of the handbook", "Chapter 3 of the workbook", "call me bk tomorrow",
            "Call her bk at 5", "looking bk at my notes", "I'm basically bankrupt",
            "My employer went bankrupt", "filed taxes late", "Stay on the line",
            "Auto loan with Ally", "Client has 7 cards", "Chapter", "",
        ])
    func notMentions(text: String) {
        #expect(BankruptcyMentionDetector.mentions(in: text) == [])
    }

    @Test func rangesAreCharacterOffsetsIntoTheInput() {
        let text = "Client 👩‍👩‍👧 said: filed for bankruptcy in 2019; her BK attorney is Roe, ch. 13."

        let mentions = BankruptcyMentionDetector.mentions(in: text)

        #expect(
            mentions == [
                BankruptcyMention(
                    phrase: "filed for bankruptcy", range: 15..<35, chapter: nil, kind: .filed),
                BankruptcyMention(
                    phrase: "her BK attorney", range: 45..<60, chapter: nil, kind: .attorney),
                BankruptcyMention(phrase: "ch. 13", range: 69..<75, chapter: 13, kind: .chapter),
            ])
        let characters = Array(text)
        for mention in mentions {
            #expect(String(characters[mention.range]) == mention.phrase)
        }
    }

    @Test func eachMentionIsReportedOnceInTextOrder() {
        let text =
            "Chapter 13 plan since 2021. Automatic stay on the car loan. Attorney: my bankruptcy lawyer."

        let mentions = BankruptcyMentionDetector.mentions(in: text)

        #expect(
            mentions.map(\.phrase) == ["Chapter 13 plan", "Automatic stay", "my bankruptcy lawyer"])
        #expect(mentions.map(\.kind) == [.chapter, .automaticStay, .attorney])
        #expect(mentions.map(\.chapter) == [13, nil, nil])
    }

    @Test func onlyFilingKindsSetTheBankruptcyFlag() {
        let flagging = Kind.allCases.filter(\.indicatesFiling)

        #expect(flagging == [.filed, .chapter, .attorney, .trustee, .automaticStay, .discharged])
    }
}
