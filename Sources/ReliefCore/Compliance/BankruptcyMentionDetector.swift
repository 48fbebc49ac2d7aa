/// A place where a note or message speaks of a bankruptcy.
public struct BankruptcyMention: Sendable, Equatable {
    /// What the text says about the bankruptcy.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A filing, past or present: "filed bankruptcy", "filed for bankruptcy", "filing
        /// bankruptcy", "in bankruptcy", "declared bankruptcy", "went through bankruptcy",
        /// "prior bankruptcy", "my bankruptcy", "bankruptcy filed", "bankruptcy case",
        /// "Bankruptcy: yes".
        case filed
        /// A bankruptcy chapter on its own or with a plan or case: "Chapter 7", "ch. 13",
        /// "Chap. 11", "ch13", "chapter 13 plan", "wage earner plan".
        case chapter
        /// A bankruptcy lawyer: "my bankruptcy attorney", "BK attorney", "chapter 7 lawyer".
        case attorney
        /// A bankruptcy trustee: "bankruptcy trustee", "chapter 13 trustee".
        case trustee
        /// "automatic stay", "auto stay".
        case automaticStay
        /// A discharge: "discharged in bankruptcy", "bankruptcy discharged".
        case discharged
        /// Thinking of filing, not filed: "considering bankruptcy", "thinking about filing for
        /// bankruptcy", "wants to file chapter 7", "asked about bankruptcy".
        case considering
        /// The word "bankruptcy" with nothing saying whether there is one: "explained
        /// bankruptcy vs settlement".
        case mentioned

        /// Whether the mention says there is (or was) a bankruptcy case, so the lead gets the
        /// bankruptcy flag and a review before any contact or enrollment: every kind except
        /// ``considering`` and ``mentioned``, which the lead page shows for an agent to judge.
        public var indicatesFiling: Bool {
            switch self {
            case .filed, .chapter, .attorney, .trustee, .automaticStay, .discharged: true
            case .considering, .mentioned: false
            }
        }
    }

    /// The matched text as written.
    public var phrase: String
    /// Where the phrase stands in the input, in `Character` offsets.
    public var range: Range<Int>
    /// The bankruptcy chapter (7, 11, 12 or 13) when the phrase states one.
    public var chapter: Int?
    public var kind: Kind

    public init(phrase: String, range: Range<Int>, chapter: Int?, kind: Kind) {
        self.phrase = phrase
        self.range = range
        self.chapter = chapter
        self.kind = kind
    }
}

/// Finds bankruptcy mentions in lead notes and messages, so a lead whose debts may be under an
/// automatic stay (and are then generally not negotiable) is flagged for review.
///
/// Text is read word by word ignoring case and punctuation ("ch. 7", "Ch7", "chapter-13" all
/// read as chapter references). The rules:
/// - A chapter reference is "chapter", "chap" or "ch" with 7, 11, 12 or 13 (digits or words).
///   In a CRM note "Chapter 7" alone means bankruptcy; "chapter 7 of the handbook" (a reference
///   followed by "of") does not count, and nor do other chapter numbers.
/// - "bankruptcy" (also "bankruptcies" and the misspellings "bankrupcy", "bankruptsy") counts on
///   its own. "BK" counts only where the context says bankruptcy ("filed BK", "in BK",
///   "looking into BK", "BK attorney", "ch 7 BK"), because in messages "bk" is also "back". The adjective "bankrupt"
///   does not count: "I'm basically bankrupt" or "my employer went bankrupt" are not filings.
/// - The kind comes from the words around: see ``BankruptcyMention/Kind``. Base forms of "file"
///   ("wants to file", "will file") are ``BankruptcyMention/Kind/considering`` unless after
///   "did" or "had to".
/// - A mention is dropped when negated: "no", "not", "never", "without", "denies" or a "n't"
///   word before it in the same clause, with at most three words between ("never filed bankruptcy", "not in
///   bankruptcy", "no bankruptcy", "hasn't filed for bankruptcy", "does not want to file
///   bankruptcy", "no history of bankruptcy"), or an answer of "no", "none", "never", "n" or
///   "nope" right after it ("Bankruptcy: no", "Prior bankruptcy? None"). Clause ends
///   (`. ! ? ; : ,`, line breaks) and the words "but", "and", "however", "although", "though",
///   "yet", "so", "because", "since", "while" end the reach of a negation, and so do words of
///   doubt ("if", "whether", "sure", "know", "remember", "recall", "certain", "unless"): "not
///   sure whether she filed bankruptcy" is kept, for a person to check.
public enum BankruptcyMentionDetector {
    public static func mentions(in text: String) -> [BankruptcyMention] {
        let characters = Array(text)
        let words = ComplianceWord.words(in: characters)
        var found: [BankruptcyMention] = []
        var index = 0
        while index < words.count {
            guard let match = match(words, at: index) else {
                index += 1
                continue
            }
            if !isNegated(words, match) {
                let range = words[match.start].range.lowerBound..<words[match.end].range.upperBound
                found.append(
                    BankruptcyMention(
                        phrase: String(characters[range]), range: range, chapter: match.chapter,
                        kind: match.kind))
            }
            index = match.end + 1
        }
        return found
    }

    private struct Match {
        var start: Int
        /// The last word of the phrase.
        var end: Int
        var chapter: Int?
        var kind: BankruptcyMention.Kind
    }

    /// What comes after a chapter or "bankruptcy", and the kind it gives the mention.
    private enum Role {
        case attorney, trustee, discharged, filing
    }

    /// A chapter reference and/or "bankruptcy" (or "BK") with the role words after it.
    private struct Subject {
        var end: Int
        var chapter: Int?
        var role: Role?
        /// Whether the subject is "BK" alone, with no chapter and no role: it needs "filed",
        /// "in" and the like before it to be read as bankruptcy rather than "back".
        var isBareBK: Bool
    }

    private static let bankruptcyWords: Set<String> = [
        "bankruptcy", "bankruptcies", "bankrupcy", "bankruptsy",
    ]
    private static let chapterWords: Set<String> = ["chapter", "chap", "ch", "chpt"]
    private static let chapterNumbers: [String: Int] = [
        "7": 7, "11": 11, "12": 12, "13": 13, "seven": 7, "eleven": 11, "twelve": 12,
        "thirteen": 13,
    ]
    private static let roles: [String: Role] = [
        "attorney": .attorney, "attorneys": .attorney, "atty": .attorney, "lawyer": .attorney,
        "lawyers": .attorney, "counsel": .attorney, "trustee": .trustee, "discharge": .discharged,
        "discharged": .discharged, "filing": .filing, "filed": .filing, "case": .filing,
        "petition": .filing, "court": .filing, "protection": .filing, "dismissed": .filing,
        "plan": .filing,
    ]
    private static let cues: Set<String> = [
        "considering", "consider", "considered", "thinking", "think", "thought", "looking",
        "researching", "exploring", "weighing", "planning", "plans", "plan", "wants", "want",
        "wanted", "may", "might", "asked", "asking", "interested",
    ]
    private static let cueFillers: Set<String> = [
        "about", "of", "into", "on", "to", "in", "be", "filing", "file", "for", "a", "an",
        "personal", "declaring", "declare", "going", "possibly", "maybe", "the", "option",
    ]
    private static let filingVerbs: [String: BankruptcyMention.Kind] = [
        "filed": .filed, "filing": .filed, "files": .filed, "declared": .filed,
        "declaring": .filed, "declares": .filed, "file": .considering, "declare": .considering,
        "discharged": .discharged,
    ]
    private static let verbFillers: Set<String> = [
        "for", "a", "an", "personal", "under", "in", "through", "via", "by", "his", "her",
        "their", "own",
    ]
    private static let qualifiers: Set<String> = [
        "prior", "previous", "past", "old", "recent", "current", "open", "active", "pending",
        "former", "my", "his", "her", "their", "our", "had", "has", "have", "in", "through",
        "during",
    ]
    private static let possession: Set<String> = ["had", "has", "have"]
    private static let negators: Set<String> = [
        "no", "not", "never", "none", "without", "nor", "neither", "denies", "denied", "deny",
        "hasnt", "hadnt", "havent", "didnt", "doesnt", "dont", "isnt", "wasnt", "arent",
        "werent", "wont", "wouldnt", "cant", "cannot", "couldnt", "shouldnt",
    ]
    private static let scopeEnds: Set<String> = [
        "but", "and", "however", "although", "though", "yet", "so", "because", "since", "while",
        "whereas", "if", "whether", "sure", "know", "knows", "remember", "recall", "certain",
        "unless",
    ]
    private static let answersNo: Set<String> = ["no", "none", "never", "n", "nope"]
    private static let answersYes: Set<String> = ["yes", "y", "yep", "yeah"]

    private static func match(_ words: [ComplianceWord], at index: Int) -> Match? {
        let word = words[index].text
        if ["automatic", "auto"].contains(word), words.text(at: index + 1) == "stay" {
            return Match(start: index, end: index + 1, kind: .automaticStay)
        }
        if word == "wage", ["earner", "earners"].contains(words.text(at: index + 1)),
            words.text(at: index + 2) == "plan"
        {
            return Match(start: index, end: index + 2, chapter: 13, kind: .chapter)
        }
        if cues.contains(word) {
            let start = skip(cueFillers, in: words, from: index + 1)
            // "looking into BK" is bankruptcy, "looking bk at my notes" is not.
            if let subject = subject(words, at: start), !subject.isBareBK || start > index + 1 {
                let kind: BankruptcyMention.Kind =
                    subject.role == .attorney ? .attorney : .considering
                return Match(start: index, end: subject.end, chapter: subject.chapter, kind: kind)
            }
        }
        if var kind = filingVerbs[word],
            let subject = subject(words, at: skip(verbFillers, in: words, from: index + 1))
        {
            let previous = words.text(at: index - 1)
            if kind == .considering,
                previous == "did" || (previous == "to" && words.text(at: index - 2) == "had")
            {
                kind = .filed
            }
            return Match(start: index, end: subject.end, chapter: subject.chapter, kind: kind)
        }
        if qualifiers.contains(word) {
            var next = index
            while let text = words.text(at: next),
                qualifiers.contains(text) || text == "a" || text == "an"
            {
                next += 1
            }
            // "had a bankruptcy", not "I have bankruptcy questions".
            let possessionOnly = words[index..<next].allSatisfy { possession.contains($0.text) }
            if !possessionOnly, let subject = subject(words, at: next),
                !subject.isBareBK || words[next - 1].text == "in"
            {
                let kind = kind(of: subject.role, or: .filed)
                return Match(start: index, end: subject.end, chapter: subject.chapter, kind: kind)
            }
        }
        guard let subject = subject(words, at: index), !subject.isBareBK else { return nil }
        var fallback = BankruptcyMention.Kind.chapter
        if subject.chapter == nil {
            fallback =
                answer(words, after: subject.end).map(answersYes.contains) == true
                ? .filed : .mentioned
        }
        let kind = kind(of: subject.role, or: fallback)
        return Match(start: index, end: subject.end, chapter: subject.chapter, kind: kind)
    }

    private static func kind(of role: Role?, or fallback: BankruptcyMention.Kind)
        -> BankruptcyMention.Kind
    {
        switch role {
        case .attorney: .attorney
        case .trustee: .trustee
        case .discharged: .discharged
        case .filing: fallback == .mentioned ? .filed : fallback
        case nil: fallback
        }
    }

    /// A chapter reference and/or a bankruptcy word at `index`, then any role words.
    private static func subject(_ words: [ComplianceWord], at index: Int) -> Subject? {
        var next = index
        var chapter: Int?
        var bankruptcyWord: String?
        while next < words.count {
            if chapter == nil, let (number, end) = chapterReference(words, at: next) {
                chapter = number
                next = end
            } else if bankruptcyWord == nil,
                bankruptcyWords.contains(words[next].text) || words[next].text == "bk"
            {
                bankruptcyWord = words[next].text
                next += 1
            } else {
                break
            }
        }
        guard next > index else { return nil }
        var role: Role?
        while let found = roles[words.text(at: next) ?? ""] {
            if role == nil || role == .filing { role = found }
            next += 1
        }
        return Subject(
            end: next - 1, chapter: chapter, role: role,
            isBareBK: chapter == nil && role == nil && bankruptcyWord == "bk")
    }

    /// "chapter 7", "ch. 13", "ch13", "chapter seven": the chapter and the index after it; nil
    /// when followed by "of" ("chapter 7 of the book").
    private static func chapterReference(_ words: [ComplianceWord], at index: Int) -> (Int, Int)? {
        let word = words[index].text
        var found: (Int, Int)?
        if chapterWords.contains(word), let number = chapterNumbers[words.text(at: index + 1) ?? ""]
        {
            found = (number, index + 2)
        } else if let number = chapterWords.lazy.compactMap({ prefix -> Int? in
            let rest = word.dropFirst(prefix.count)
            guard word.hasPrefix(prefix), rest.allSatisfy(\.isNumber) else { return nil }
            return chapterNumbers[String(rest)]
        }).first {
            found = (number, index + 1)
        }
        guard let found, words.text(at: found.1) != "of" else { return nil }
        return found
    }

    private static func skip(_ fillers: Set<String>, in words: [ComplianceWord], from index: Int)
        -> Int
    {
        var next = index
        while next < words.count, next - index < 4, fillers.contains(words[next].text) { next += 1 }
        return next
    }

    /// The word right after `index` when it reads as an answer: it follows on the same line
    /// after nothing or ":", "-", "?" and ends its clause ("Bankruptcy: no", "bankruptcy?
    /// none", "prior bankruptcy no", "Bankruptcy: N/A", which reads as "none").
    private static func answer(_ words: [ComplianceWord], after index: Int) -> String? {
        var next = index + 1
        guard next < words.count,
            !words[next].gap.contains(where: { $0.isNewline || ".!;,".contains($0) })
        else { return nil }
        var text = words[next].text
        if text == "n", words.text(at: next + 1) == "a", words[next + 1].gap == "/" {
            text = "none"
            next += 1
        }
        return next + 1 == words.count || words[next + 1].startsClause ? text : nil
    }

    private static func isNegated(_ words: [ComplianceWord], _ match: Match) -> Bool {
        if let answer = answer(words, after: match.end), answersNo.contains(answer) { return true }
        var index = match.start
        while index > 0, !words[index].startsClause, match.start - index <= 3 {
            index -= 1
            if negators.contains(words[index].text) { return true }
            if scopeEnds.contains(words[index].text) { return false }
        }
        return false
    }
}

extension Array where Element == ComplianceWord {
    fileprivate func text(at index: Int) -> String? {
        indices.contains(index) ? self[index].text : nil
    }
}
