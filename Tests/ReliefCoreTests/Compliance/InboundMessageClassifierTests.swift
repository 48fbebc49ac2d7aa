import ReliefCore
import Testing

@Suite("Inbound message classifier")
struct InboundMessageClassifierTests {
    @Test(
        "a STOP-family keyword alone is an opt-out, named in upper case",
        arguments: [
            ("STOP", "STOP"), ("stop", "STOP"), ("Stop.", "STOP"), (" stop ", "STOP"),
            ("STOP!!", "STOP"), ("\"Stop\"", "STOP"), ("STOPPPP", "STOP"), ("stopall", "STOPALL"),
            ("Stop all", "STOP ALL"), ("UNSUBSCRIBE", "UNSUBSCRIBE"), ("unsub", "UNSUB"),
            ("Cancel", "CANCEL"), ("end", "END"), ("QUIT", "QUIT"), ("revoke", "REVOKE"),
            ("OPTOUT", "OPTOUT"), ("opt out", "OPT OUT"), ("opt-out", "OPT OUT"),
            ("Opt_Out", "OPT OUT"), ("REMOVE", "REMOVE"), ("Alto", "ALTO"), ("baja", "BAJA"),
            ("stop\n", "STOP"), ("STOP 🛑", "STOP"),
        ])
    func keywordAlone(body: String, keyword: String) {
        #expect(InboundMessageClassifier.classify(body) == .optOut(keyword: keyword))
    }

    @Test(
        "a keyword clause with courtesy words or beside other clauses is an opt-out",
        arguments: [
            ("Stop please", "STOP"), ("please stop", "STOP"), ("STOP NOW", "STOP"),
            ("Stop, thank you", "STOP"), ("Who is this? Stop", "STOP"),
            ("Stop. I already paid", "STOP"), ("ok quit", "QUIT"),
            ("Cancel, I found another company", "CANCEL"), ("Stop again", "STOP"),
            ("Stop - I am not interested", "STOP"),
        ])
    func keywordClause(body: String, keyword: String) {
        #expect(InboundMessageClassifier.classify(body) == .optOut(keyword: keyword))
    }

    @Test(
        "plain-language requests are opt-outs, keyed by the clause as written",
        arguments: [
            ("please stop texting me", "please stop texting me"),
            ("Stop calling me!", "Stop calling me"),
            ("STOP texting me, I already told you", "STOP texting me"),
            ("quit sending me these messages", "quit sending me these messages"),
            ("Stop with the texts", "Stop with the texts"),
            ("stop it", "stop it"),
            ("Stooop contacting me", "Stooop contacting me"),
            ("Remove me from your list", "Remove me from your list"),
            ("please remove my number", "please remove my number"),
            ("Take me off your list", "Take me off your list"),
            ("get me off this list", "get me off this list"),
            ("lose my number", "lose my number"),
            ("Do not contact me again.", "Do not contact me again"),
            ("Don't text me anymore", "Don't text me anymore"),
            ("don’t call me", "don’t call me"),
            ("do not call", "do not call"),
            ("Never call me again", "Never call me again"),
            ("Don't ever text me again", "Don't ever text me again"),
            ("Put me on your do not call list", "Put me on your do not call list"),
            ("unsubscribe me", "unsubscribe me"),
            ("How do I unsubscribe?", "How do I unsubscribe"),
            ("I want to opt out", "I want to opt out"),
            ("opt me out please", "opt me out please"),
            ("I revoke my consent", "I revoke my consent"),
            ("Leave me alone!!", "Leave me alone"),
            ("No more texts please", "No more texts please"),
            ("I don't want any more calls", "I don't want any more calls"),
            ("I do not want to be contacted", "I do not want to be contacted"),
            (
                "I no longer want to receive your messages",
                "I no longer want to receive your messages"
            ),
            ("Cease and desist", "Cease and desist"),
            ("add me to your DNC", "add me to your DNC"),
            ("I said STOP", "I said STOP"),
            ("I already replied stop again", "I already replied stop again"),
            ("Can you stop?", "Can you stop"),
            ("I want this to stop", "I want this to stop"),
            ("Stop the calls from you guys", "Stop the calls from you guys"),
        ])
    func plainRequest(body: String, keyword: String) {
        #expect(InboundMessageClassifier.classify(body) == .optOut(keyword: keyword))
    }

    @Test(
        "wrong number is an opt-out: the holder of the number never consented",
        arguments: [
            ("Wrong number", "Wrong number"),
            ("You have the wrong number.", "You have the wrong number"),
            ("wrong person, sorry", "wrong person"),
        ])
    func wrongNumber(body: String, keyword: String) {
        #expect(InboundMessageClassifier.classify(body) == .optOut(keyword: keyword))
    }

    @Test(
        "normal replies that use the same words are not opt-outs",
        arguments: [
            "I can't stop thinking about the offer",
            "Don't cancel my appointment",
            "Can I cancel my appointment tomorrow?",
            "That's the end of my list",
            "Stop by the office tomorrow?",
            "Can I stop payments this month?",
            "How do I get creditors to stop calling me?",
            "When will they stop calling me?",
            "Will this stop the calls from my creditors?",
            "They never call me back",
            "You never call me back",
            "Why don't you call me tomorrow",
            "I don't text much, call me",
            "I can't stop",
            "Please get me out of debt",
            "Take me to the next step",
            "Remove the late fee please",
            "Not interested",
            "Who is this?",
            "Call me at 5",
            "I told him to stop",
            "I quit my job last week",
            "I quit",
            "Non-stop calls from my bank",
            "Yes please call me",
            "",
            "   ",
        ])
    func notOptOut(body: String) {
        #expect(InboundMessageClassifier.classify(body) == .none)
    }

    @Test(
        "START, UNSTOP and YES alone opt back in",
        arguments: [
            ("START", "START"), ("start", "START"), ("Unstop", "UNSTOP"), ("YES", "YES"),
            ("Yes!", "YES"), (" yes. ", "YES"),
        ])
    func optIn(body: String, keyword: String) {
        #expect(InboundMessageClassifier.classify(body) == .optIn(keyword: keyword))
    }

    @Test(
        "HELP and INFO alone ask for help",
        arguments: [("HELP", "HELP"), ("help?", "HELP"), ("Info", "INFO"), ("INFO.", "INFO")])
    func help(body: String, keyword: String) {
        #expect(InboundMessageClassifier.classify(body) == .help(keyword: keyword))
    }

    @Test func helpAndOptInWordsInsideSentencesAreNormalReplies() {
        #expect(InboundMessageClassifier.classify("I need help with my debt") == .none)
        #expect(InboundMessageClassifier.classify("Can you send more info?") == .none)
        #expect(InboundMessageClassifier.classify("When can we start?") == .none)
        #expect(InboundMessageClassifier.classify("YES HELP") == .none)
    }

    @Test func optOutWinsOverHelpAndOptIn() {
        #expect(InboundMessageClassifier.classify("HELP STOP") == .optOut(keyword: "STOP"))
        #expect(InboundMessageClassifier.classify("yes stop") == .optOut(keyword: "STOP"))
        #expect(InboundMessageClassifier.classify("START. Stop") == .optOut(keyword: "STOP"))
        #expect(
            InboundMessageClassifier.classify("Help! Stop texting me")
                == .optOut(keyword: "Stop texting me"))
    }

    @Test func theHelpReplyCarriesTheCTIAElements() {
        let reply = InboundMessageClassifier.helpReply(
            organizationName: "Acme Debt Relief", helpContact: "(512) 555-0100")

        #expect(
            reply
                == "Acme Debt Relief: account and program messages. Msg frequency varies. "
                + "Msg & data rates may apply. For help, contact (512) 555-0100. "
                + "Reply STOP to opt out.")
    }

    @Test func theStopConfirmationIsOneMessageWithoutMarketing() {
        #expect(
            InboundMessageClassifier.stopConfirmation(organizationName: "Acme Debt Relief")
                == "Acme Debt Relief: You have been unsubscribed and will receive no further "
                + "messages. Reply START to resubscribe.")
    }
}
