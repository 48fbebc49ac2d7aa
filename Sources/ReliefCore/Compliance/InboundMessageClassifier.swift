/// What an inbound text message asks for, as far as consent to messages goes.
public enum InboundMessageIntent: Sendable, Equatable {
    /// The sender revokes consent. `keyword` is a STOP-family keyword in upper case ("STOP",
    /// "OPT OUT" for "opt-out") or, for a plain-language request, the clause that asked, as
    /// written ("please stop texting me").
    case optOut(keyword: String)
    /// The sender opts back in with START, UNSTOP or YES.
    case optIn(keyword: String)
    /// The sender asks for help with HELP or INFO; answer with
    /// ``InboundMessageClassifier/helpReply(organizationName:helpContact:)``.
    case help(keyword: String)
    /// Anything else: a normal reply for an agent to read.
    case none
}

/// Reads an inbound text message for an opt-out, an opt-in or a help request (CTIA keywords,
/// the FCC 2024 revocation order, AWS and Twilio keyword lists).
///
/// The message is read in clauses (split at `. ! ? ; : ,`, line breaks and dashes between
/// spaces), word by word, ignoring case, apostrophes ("don't" is "dont") and repeated letters
/// ("STOPPP" is "STOP").
///
/// **Opt-out** (checked first, so it wins over help and opt-in in the same message):
/// - A clause made only of keywords, with at least one STOP-family keyword, and courtesy words
///   (please, now, just, ok, thanks, thank you, already, again, asap): "Stop.", " stop ",
///   "STOP!!", "opt-out", "Stop please", "Who is this? Stop". The STOP family is STOP, STOPALL,
///   STOP ALL, UNSUBSCRIBE, UNSUB, CANCEL, END, QUIT, REVOKE, OPTOUT, OPT OUT (also written
///   OPT-OUT), REMOVE, and the Spanish ALTO, PARAR, BAJA and CANCELAR. These common words
///   inside a longer sentence ("Don't cancel my appointment", "I can't stop thinking about the
///   offer") are not an opt-out.
/// - Words that mean an opt-out wherever they appear: unsubscribe, unsub, stopall, optout,
///   revoke, DNC, "opt out", "opt me out", "leave me alone", "cease and desist".
/// - "wrong number" and "wrong person": the current holder of the number never consented, so
///   texting on is the reassigned-number risk; the app should also mark the lead's number.
/// - A request to stop contact: stop, quit or cease followed (within three words such as "the",
///   "these", "sending me") by a contact word (texting, texts, messages, calls, calling,
///   contacting, emails, bothering, harassing, spam, ...), or by nothing but such words:
///   "please stop texting me", "stop calling me", "quit sending me these messages", "stop it".
/// - A negated contact command: "don't", "do not" or "never" then a contact verb then the end
///   of the clause or "me", "us", "again", "anymore", "this", "my", "list", ...: "do not
///   contact me again", "don't text me anymore", "never call me again", "do not call". Any such
///   command counts, even a partial one ("don't call me at work"): the classifier does not
///   know channels or hours, and stopping is the safe reading.
/// - "no more" texts, calls, messages or emails; "I don't want / no longer want any more texts",
///   "I do not want to be contacted".
/// - Removal: "remove me", "remove my number", "delete my info", "lose my number",
///   "take me off your list", "get me off this list" (take and get need "off": "get me out of
///   debt" is not a removal).
/// - A STOP-family keyword reported at the end of a clause ("I said STOP", "I already replied
///   stop"), and a plain "stop" at the end of a clause that addresses us ("can you stop",
///   "I want this to stop", "make it stop").
///
/// Requests about someone else are not opt-outs: a clause whose stop or negated command comes
/// after "they", "them", "creditors", "collectors", "the bank", "he", "she", ... ("how do I get
/// creditors to stop calling me", "they never call me back"), or whose contact word is followed
/// by "from" someone other than us ("stop the calls from my creditors"). A question or remark
/// with a subject before "don't" or "never" ("I don't text much", "why don't you call me",
/// "you never call me back") is not a command. "can't stop", "cannot stop", "don't stop"
/// are not requests.
///
/// "Not interested" is not an opt-out: it declines the offer, not contact.
///
/// **Help** is a message that is only HELP or INFO; **opt-in** a message that is only START,
/// UNSTOP or YES ("Yes please call me" is a normal reply, not a re-subscription).
public enum InboundMessageClassifier {
    public static func classify(_ body: String) -> InboundMessageIntent {
        let clauses = Clause.split(body)
        for clause in clauses {
            if let keyword = optOutKeyword(clause.words) { return .optOut(keyword: keyword) }
            if isOptOutRequest(clause.words) { return .optOut(keyword: clause.text) }
        }
        let words = clauses.flatMap(\.words)
        guard let (family, canonical, length) = keyword(in: words, at: 0), length == words.count
        else { return .none }
        switch family {
        case .optOut: return .optOut(keyword: canonical)
        case .optIn: return .optIn(keyword: canonical)
        case .help: return .help(keyword: canonical)
        }
    }

    /// The CTIA help reply: program name, help contact, message frequency, the rates notice
    /// and how to opt out.
    public static func helpReply(organizationName: String, helpContact: String) -> String {
        "\(organizationName): account and program messages. Msg frequency varies. "
            + "Msg & data rates may apply. "
            + (helpContact.isEmpty ? "" : "For help, contact \(helpContact). ")
            + "Reply STOP to opt out."
    }

    /// The one confirmation sent after an opt-out, with no marketing in it (FCC 2024 order:
    /// one confirmation text within 5 minutes; CTIA: then nothing more).
    public static func stopConfirmation(organizationName: String) -> String {
        "\(organizationName): You have been unsubscribed and will receive no further messages. "
            + "Reply START to resubscribe."
    }

    // MARK: - Keywords

    private enum Family {
        case optOut, optIn, help
    }

    /// Keyword word sequences (squeezed) to their family and upper-case name.
    private static let keywords: [[String]: (Family, String)] = {
        var table: [[String]: (Family, String)] = [:]
        let families: [(Family, [String])] = [
            (
                .optOut,
                [
                    "STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "UNSUB", "CANCEL", "END",
                    "QUIT", "REVOKE", "OPTOUT", "OPT OUT", "REMOVE", "ALTO", "PARAR", "BAJA",
                    "CANCELAR",
                ]
            ),
            (.optIn, ["START", "UNSTOP", "YES"]),
            (.help, ["HELP", "INFO"]),
        ]
        for (family, names) in families {
            for name in names {
                table[name.lowercased().split(separator: " ").map { squeezed(String($0)) }] =
                    (family, name)
            }
        }
        return table
    }()

    /// The longest keyword starting at `index`: its family, name and length in words.
    private static func keyword(in words: [String], at index: Int) -> (Family, String, Int)? {
        for length in [2, 1] where index + length <= words.count {
            if let (family, name) = keywords[Array(words[index..<index + length])] {
                return (family, name, length)
            }
        }
        return nil
    }

    /// The first STOP-family keyword of a clause made only of keywords and courtesy words.
    private static func optOutKeyword(_ words: [String]) -> String? {
        var found: String?
        var index = 0
        while index < words.count {
            if courtesy.contains(words[index]) {
                index += 1
                continue
            }
            guard let (family, name, length) = keyword(in: words, at: index) else { return nil }
            if found == nil, family == .optOut { found = name }
            index += length
        }
        return found
    }

    // MARK: - Plain-language requests

    private static let courtesy = set(
        "please pls plz now just ok okay thanks thank you thx ty already again twice asap")
    private static let perSeWords = set("unsubscribe unsub stopall optout revoke dnc")
    private static let perSePhrases = [
        "opt out", "opt me out", "leave me alone", "cease and desist", "wrong number",
        "wrong person",
    ].map { $0.split(separator: " ").map { squeezed(String($0)) } }
    private static let stopVerbs = set("stop quit cease")
    private static let stopFillers = set(
        "the these those this that all your ur with me us sending any more of it")
    private static let contactWords = set(
        """
        text texts texting txt txts txting message messages messaging msg msgs sms call calls
        calling contact contacting email emails emailing bother bothering harass harassing spam
        spamming robocall robocalls phone phoning ring ringing reach reaching notifications
        """)
    private static let contactVerbs = set(
        "text txt message msg call contact email bother harass spam phone ring reach")
    private static let passiveContact = set("contacted called texted messaged emailed")
    private static let contactObjects = set(
        "me us again anymore this my here ever any list number at no")
    private static let commandSkips = set("ever even you u please pls")
    private static let wantVerbs = set("want need wish")
    private static let wantFillers = set(
        """
        to receive get getting receiving a another any more your ur these those the be being
        you u further anymore this of
        """)
    private static let thirdParty = set(
        """
        they them their theyre creditor creditors collector collectors collection collections
        agency agencies bank banks lender lenders he she him her his
        """)
    private static let subjects = set("i we you u they he she it who that why if when whether")
    private static let us = set("you your u ur ya yall this")
    private static let notRequests = set("cant cannot couldnt dont didnt")
    private static let addressesUs = set("you u ya it this that")
    private static let reportVerbs = set(
        "said say saying told tell typed texted replied reply wrote sent send responded")
    private static let removeVerbs = set("remove delete erase lose")
    private static let takeVerbs = set("take get")
    private static let personalData = set(
        "number phone cell name info information contact details email data")

    private static func isOptOutRequest(_ words: [String]) -> Bool {
        for index in words.indices {
            if perSeWords.contains(words[index]) { return true }
            if perSePhrases.contains(where: { words.hasPrefix($0, at: index) }) { return true }
            if isStopRequest(words, at: index) || isNegatedCommand(words, at: index)
                || isNoMore(words, at: index) || isUnwanted(words, at: index)
                || isRemoval(words, at: index)
            {
                return true
            }
        }
        return isReportedOrAddressedStop(words)
    }

    /// "stop texting me", "quit sending me these messages", "stop it".
    private static func isStopRequest(_ words: [String], at index: Int) -> Bool {
        guard stopVerbs.contains(words[index]), !isAboutSomeoneElse(words, before: index),
            index == 0 || !notRequests.contains(words[index - 1])
        else { return false }
        var next = index + 1
        while next < words.count, next - index <= 4 {
            if contactWords.contains(words[next]) { return !isFromSomeoneElse(words, after: next) }
            guard stopFillers.contains(words[next]) || courtesy.contains(words[next]) else {
                return false
            }
            next += 1
        }
        return next == words.count && next > index + 1
    }

    /// "don't text me", "do not call", "never contact me again".
    private static func isNegatedCommand(_ words: [String], at index: Int) -> Bool {
        let negation: Int
        if words[index] == "dont" || words[index] == "never" {
            negation = 1
        } else if words.hasPrefix(["do", "not"], at: index) {
            negation = 2
        } else {
            return false
        }
        if index > 0, subjects.contains(words[index - 1]) || thirdParty.contains(words[index - 1]) {
            return false
        }
        var verb = index + negation
        while verb < words.count, commandSkips.contains(words[verb]) { verb += 1 }
        guard verb < words.count, contactVerbs.contains(words[verb]) else { return false }
        return verb + 1 == words.count || contactObjects.contains(words[verb + 1])
    }

    /// "no more texts", "no more of your calls".
    private static func isNoMore(_ words: [String], at index: Int) -> Bool {
        guard words.hasPrefix(["no", "more"], at: index) else { return false }
        var next = index + 2
        while next < words.count, next - index <= 5 {
            if contactWords.contains(words[next]) { return !isFromSomeoneElse(words, after: next) }
            guard stopFillers.contains(words[next]) else { return false }
            next += 1
        }
        return false
    }

    /// "I don't want any more texts", "no longer want to be contacted".
    private static func isUnwanted(_ words: [String], at index: Int) -> Bool {
        let negation: Int
        if words[index] == "dont" || words[index] == "never" {
            negation = 1
        } else if words.hasPrefix(["do", "not"], at: index)
            || words.hasPrefix(["no", "longer"], at: index)
        {
            negation = 2
        } else {
            return false
        }
        let want = index + negation
        guard want < words.count, wantVerbs.contains(words[want]),
            !isAboutSomeoneElse(words, before: index)
        else { return false }
        var next = want + 1
        while next < words.count, next - want <= 5 {
            if contactWords.contains(words[next]) || passiveContact.contains(words[next]) {
                return !isFromSomeoneElse(words, after: next)
            }
            guard wantFillers.contains(words[next]) else { return false }
            next += 1
        }
        return false
    }

    /// "remove me", "delete my number", "take me off your list".
    private static func isRemoval(_ words: [String], at index: Int) -> Bool {
        let take = takeVerbs.contains(words[index])
        guard take || removeVerbs.contains(words[index]), index + 1 < words.count else {
            return false
        }
        let objectEnd: Int
        if words[index + 1] == "me" || words[index + 1] == "us" {
            objectEnd = index + 2
        } else if index + 2 < words.count, words[index + 1] == "my" || words[index + 1] == "this",
            personalData.contains(words[index + 2])
        {
            objectEnd = index + 3
        } else {
            return false
        }
        // "off" squeezes to "of"; it must follow at once, so "get me out of debt" is no removal.
        return !take || (objectEnd < words.count && words[objectEnd] == "of")
    }

    /// "I said STOP", "I already replied stop"; "can you stop", "make it stop".
    private static func isReportedOrAddressedStop(_ words: [String]) -> Bool {
        var end = words.count
        while end > 0, courtesy.contains(words[end - 1]) { end -= 1 }
        guard end > 0, !isAboutSomeoneElse(words, before: end) else { return false }
        let earlier = words[..<(end - 1)]
        for start in [end - 2, end - 1] where start >= 0 {
            if let (family, _, length) = keyword(in: words, at: start), family == .optOut,
                start + length == end, words[..<start].contains(where: reportVerbs.contains)
            {
                return true
            }
        }
        return stopVerbs.contains(words[end - 1]) && earlier.contains(where: addressesUs.contains)
            && !(end >= 2 && notRequests.contains(words[end - 2]))
    }

    private static func isAboutSomeoneElse(_ words: [String], before index: Int) -> Bool {
        words[..<index].contains(where: thirdParty.contains)
    }

    /// Whether the contact word at `index` is followed by "from" someone other than us.
    private static func isFromSomeoneElse(_ words: [String], after index: Int) -> Bool {
        guard index + 2 < words.count, words[index + 1] == "from" else { return false }
        return !us.contains(words[index + 2])
    }

    // MARK: - Words

    private static func set(_ list: String) -> Set<String> {
        Set(list.split(whereSeparator: \.isWhitespace).map { squeezed(String($0)) })
    }

    /// The word with runs of one letter cut to one ("stooop" is "stop", "all" is "al"); every
    /// word list goes through it too, so comparisons are like for like.
    private static func squeezed(_ word: String) -> String {
        var result = ""
        for character in word where character != result.last { result.append(character) }
        return result
    }

    private struct Clause {
        /// The clause as written, from its first word to its last.
        var text: String
        /// Its words, lower-cased and squeezed.
        var words: [String]

        static func split(_ body: String) -> [Clause] {
            let characters = Array(body)
            var clauses: [Clause] = []
            var current: [ComplianceWord] = []
            func close() {
                guard let first = current.first, let last = current.last else { return }
                clauses.append(
                    Clause(
                        text: String(characters[first.range.lowerBound..<last.range.upperBound]),
                        words: current.map { squeezed($0.text) }))
                current = []
            }
            for word in ComplianceWord.words(in: characters) {
                if word.startsClause { close() }
                current.append(word)
            }
            close()
            return clauses
        }
    }
}

extension Array where Element == String {
    fileprivate func hasPrefix(_ prefix: [String], at index: Int) -> Bool {
        index + prefix.count <= count && Array(self[index..<index + prefix.count]) == prefix
    }
}

/// A word of a message or a note as the compliance text scanners read it: a run of letters and
/// digits, with apostrophes inside it dropped ("don't" is "dont").
struct ComplianceWord: Equatable {
    /// The word in lower case.
    var text: String
    /// Where it stands in the text, in characters.
    var range: Range<Int>
    /// The characters between the previous word (or the start) and this one.
    var gap: String
    /// Whether the gap ends a clause: `. ! ? ; : ,`, a line break, an en or em dash, or a
    /// hyphen with a space beside it.
    var startsClause: Bool

    static func words(in characters: [Character]) -> [ComplianceWord] {
        var words: [ComplianceWord] = []
        var previousEnd = 0
        var index = 0
        while index < characters.count {
            guard isWordCharacter(characters[index]) else {
                index += 1
                continue
            }
            let start = index
            var text = ""
            while index < characters.count {
                let character = characters[index]
                if isWordCharacter(character) {
                    text += character.lowercased()
                } else if !(apostrophes.contains(character) && index + 1 < characters.count
                    && isWordCharacter(characters[index + 1]))
                {
                    break
                }
                index += 1
            }
            let gap = characters[previousEnd..<start]
            words.append(
                ComplianceWord(
                    text: text, range: start..<index, gap: String(gap),
                    startsClause: endsClause(gap)))
            previousEnd = index
        }
        return words
    }

    private static let apostrophes: Set<Character> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}"]
    private static let clauseEnds: Set<Character> = [
        ".", "!", "?", ";", ":", ",", "\n", "\r\n", "\r", "\u{2013}", "\u{2014}",
    ]

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private static func endsClause(_ gap: ArraySlice<Character>) -> Bool {
        if gap.contains(where: clauseEnds.contains) { return true }
        return gap.indices.contains { index in
            gap[index] == "-"
                && (gap[safe: index - 1]?.isWhitespace == true
                    || gap[safe: index + 1]?.isWhitespace == true)
        }
    }
}

extension ArraySlice where Element == Character {
    fileprivate subscript(safe index: Int) -> Character? {
        indices.contains(index) ? self[index] : nil
    }
}
