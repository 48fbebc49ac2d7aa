/// What a demo lead is like, as far as their stories need to know.
struct DemoPerson {
    var firstName: String
    var isWoman: Bool
    /// "husband", "wife" or "partner"; nil for someone living alone.
    var spouse: String?
    var state: String
    var employment: String
    var language: String
    var statedDebtCents: Int64
    var monthlyIncomeCents: Int64
    var debts: [DemoDebt]

    var her: String { isWoman ? "her" : "his" }
    var she: String { isWoman ? "she" : "he" }
}

/// The words of demo leads and agents: hardship stories, agent notes and task titles.
enum DemoStories {
    private enum Hardship: CaseIterable {
        case jobLoss, reducedHours, medicalBills, divorce, deathInFamily, disability
        case naturalDisaster, militaryDeployment, familyEvent
    }

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    /// One to three sentences in the lead's words: what happened, often how they are coping, and
    /// sometimes what is not a problem ("No medical issues.").
    static func hardship(for person: DemoPerson, using random: inout SeededRandom) -> String {
        let hardship = kind(for: person, using: &random)
        var sentences = [cause(hardship, person: person, using: &random)]
        if random.chance(0.65) {
            sentences.append(consequence(person: person, using: &random))
        }
        let negations = negations(excluding: hardship, person: person)
        if random.chance(0.35), !negations.isEmpty {
            sentences.append(random.pick(negations))
        }
        return sentences.joined(separator: " ")
    }

    private static func kind(for person: DemoPerson, using random: inout SeededRandom)
        -> Hardship
    {
        switch person.employment {
        case "Unemployed": return .jobLoss
        case "Retired":
            return random.pick([.medicalBills, .deathInFamily, .reducedHours, .familyEvent])
        default:
            let weights = [22, 18, 18, 12, 7, 8, 5, 3, 7]
            return Hardship.allCases[random.weightedIndex(weights)]
        }
    }

    private static func cause(
        _ hardship: Hardship, person: DemoPerson, using random: inout SeededRandom
    ) -> String {
        let month = random.pick(months)
        let spouse = person.spouse ?? "partner"
        let relative = random.pick(["son", "daughter", "mother", "father", spouse])
        let weeks = random.int(in: 3...12)
        let options: [String]
        switch hardship {
        case .jobLoss where person.employment == "Unemployed":
            options = [
                "I was let go from \(random.pick(DemoNames.employers)) in \(month) and I am still "
                    + "looking for work.",
                "My job was eliminated in \(month) and unemployment does not cover our bills.",
            ]
        case .jobLoss:
            options = [
                "I was laid off in \(month) and went \(random.int(in: 2...7)) months without a "
                    + "paycheck.",
                "My position was eliminated in \(month), and the job I found pays about "
                    + "\(random.int(in: 2...4) * 10)% less.",
                "The plant where I worked for \(random.int(in: 4...22)) years closed, and I have "
                    + "been covering rent and groceries with my cards since.",
                "I lost my job when the company downsized last year and fell behind on everything.",
            ]
        case .reducedHours where person.employment == "Retired":
            options = [
                "I am on a fixed income now and my Social Security does not stretch as far as it "
                    + "used to."
            ]
        case .reducedHours:
            options = [
                "My hours were cut from 40 to about \(random.int(in: 22...32)) a week in \(month).",
                "Overtime dried up at work and my take-home pay dropped by almost "
                    + "$\(random.int(in: 4...12) * 100) a month.",
                "My \(spouse)'s hours were cut in half, so we are living mostly on my paycheck.",
                "I started driving for a delivery app to make up the difference, but that income "
                    + "goes up and down.",
            ]
        case .medicalBills:
            options = [
                "My \(relative) needed surgery in \(month) and insurance only covered part of it.",
                "I was in the hospital for \(random.int(in: 3...12)) days last year and the bills "
                    + "went to collections.",
                "I have been paying for my \(relative)'s cancer treatment out of pocket.",
                "I had emergency surgery and missed \(weeks) weeks of work without pay.",
            ]
        case .divorce:
            options = [
                "I went through a divorce last year and was left with most of the credit card "
                    + "debt.",
                "My \(spouse) and I separated in \(month), so I am paying the rent on one income "
                    + "now.",
                "My ex opened cards in my name during the marriage and stopped paying after we "
                    + "split.",
            ]
        case .deathInFamily:
            options = [
                "My \(random.pick(["mother", "father", "brother", "sister"])) passed away in "
                    + "\(month) and I put the funeral costs on my cards.",
                "After my \(spouse) died I lost half of our household income.",
            ]
        case .disability:
            options = [
                "A back injury at work put me on disability, which pays about 60% of what I used "
                    + "to make.",
                "I was diagnosed with \(random.pick(["MS", "diabetes", "lupus", "heart disease"])) "
                    + "and had to cut back to part-time.",
            ]
        case .naturalDisaster:
            let disaster = disaster(in: person.state)
            let season = random.pick(["spring", "fall"])
            options = [
                disaster.prefix(1).uppercased() + disaster.dropFirst() + " damaged our home last "
                    + season + " and the repairs cost more than insurance paid.",
                "We had to leave the house for \(weeks) weeks after \(disaster) and paid for a "
                    + "motel on my cards.",
            ]
        case .militaryDeployment:
            options = [
                "My \(spouse) was deployed for nine months and we fell behind while the pay was "
                    + "sorted out.",
                "I was deployed overseas and my family could not keep up with the payments alone.",
            ]
        case .familyEvent:
            options = [
                "We had a baby in \(month) and I took \(weeks) weeks of unpaid leave.",
                "My mother moved in with us after her stroke and I pay for most of her care.",
                "We took in my sister's two kids this year and our expenses doubled.",
            ]
        }
        return random.pick(options)
    }

    private static func disaster(in state: String) -> String {
        switch state {
        case "FL", "LA", "TX", "NC", "SC", "AL", "MS", "GA": return "a hurricane"
        case "CA", "OR", "WA", "CO", "NM", "AZ", "NV", "UT": return "a wildfire"
        case "OK", "KS", "MO", "AR", "TN", "KY", "IL", "IN", "OH", "MN", "WI": return "a tornado"
        default: return "a flood"
        }
    }

    private static func consequence(person: DemoPerson, using random: inout SeededRandom)
        -> String
    {
        let share = min(
            60, Int(person.statedDebtCents * 25 / 1_000 * 100 / person.monthlyIncomeCents))
        return random.pick([
            "The minimum payments now take about \(max(10, share))% of my take-home pay.",
            "I have not missed a payment yet but I am using one card to pay another.",
            "I am current on rent but behind on \(accounts(min(person.debts.count, 3))).",
            "I want to avoid bankruptcy if I can.",
            "The creditors call me several times a day.",
            "I have been paying only the minimums for over a year and the balances are not going "
                + "down.",
        ])
    }

    private static func negations(excluding hardship: Hardship, person: DemoPerson) -> [String] {
        var negations = ["No lawsuits so far.", "No bankruptcy in the past."]
        if hardship != .medicalBills && hardship != .disability {
            negations.append("No medical issues.")
        }
        if person.spouse == nil { negations.append("No other income in the household.") }
        if person.debts.contains(where: { $0.accountType == "mortgage" }) {
            negations.append("Not behind on the mortgage.")
        } else if !person.debts.contains(where: { $0.accountType == "auto" }) {
            negations.append("No car payment.")
        }
        return negations
    }

    /// A note on a call attempt before the lead was reached.
    static func attemptNote(for person: DemoPerson, using random: inout SeededRandom) -> String {
        random.pick([
            "Left voicemail, will try after 6pm \(person.her) time.",
            "No answer, sent intro text.",
            "Called twice, straight to voicemail. Emailed the savings estimate.",
            "Line busy, will try again tomorrow morning.",
            "Voicemail box full, sent a text with my direct line.",
        ])
    }

    /// A note written when the lead moved to `status`, or nil when agents rarely write one.
    static func note(
        on status: String, reason: String?, for person: DemoPerson,
        using random: inout SeededRandom
    ) -> String? {
        let first = person.firstName
        let enrolled = person.debts.filter(\.isEnrolled)
        let enrolledDollars = enrolled.reduce(0) { $0 + $1.balanceCents } / 100
        switch status {
        case "contacted":
            var options = [
                "Went over program basics, \(person.she) asked how it affects \(person.her) credit "
                    + "score.",
                "Good call, \(first) is behind on \(accounts(min(person.debts.count, 3))) and "
                    + "getting collection calls at work.",
                "Interested but worried about creditors suing during the program.",
            ]
            if let spouse = person.spouse {
                options.append(
                    "Spoke with \(first), wants to review the budget with \(person.her) "
                        + "\(spouse) first.")
                options.append("Spoke with \(spouse), \(first) works until 5, call back tonight.")
            }
            if person.language == "es" {
                options.append("\(first) prefers Spanish, transferred to a bilingual agent.")
            }
            return random.pick(options)
        case "qualified":
            let qualifying = person.debts.filter { !$0.isSecured }
            let dollars = qualifying.reduce(0) { $0 + $1.balanceCents } / 100
            let deposit = max(150, dollars * 3 / 200) / 10 * 10
            return random.pick([
                "Soft pull done: \(accounts(qualifying.count)) to enroll, $\(grouped(dollars)) "
                    + "in total.",
                "Budget done: about $\(grouped(deposit))/mo available for deposits.",
                "Sent program estimate: \(random.pick([36, 42, 48])) months at "
                    + "$\(grouped(deposit))/mo.",
            ])
        case "enrolled":
            return random.pick([
                "Agreement signed by e-sign, first deposit set for the "
                    + "\(random.pick(["1st", "5th", "15th", "20th"])).",
                "Welcome call done, \(accounts(enrolled.count)) ($\(grouped(enrolledDollars))) "
                    + "enrolled. Explained what to expect from creditors.",
            ])
        case "settled":
            let creditor = enrolled.first?.creditor ?? "the first creditor"
            return "Settlement reached with \(creditor) at \(random.int(in: 38...55))% of the "
                + "balance, client approved."
        case "not_interested":
            return random.pick([
                "Says \(person.she) will try to pay the cards down on \(person.her) own.",
                "Went with a consolidation loan from \(person.her) credit union.",
                nil,
            ])
        case "unreachable":
            return "\(random.int(in: 6...9)) attempts over two weeks, no answer, voicemail full."
        case "do_not_contact", "unqualified", "cancelled":
            return reason.map { "Closed: " + $0.prefix(1).lowercased() + $0.dropFirst() + "." }
        default:
            return nil
        }
    }

    /// The reason a lead closed with `status`, for the statuses that carry one.
    static func reason(
        for status: String, person: DemoPerson, using random: inout SeededRandom
    ) -> String? {
        switch status {
        case "unqualified":
            if person.statedDebtCents < 750_000 {
                return "Unsecured debt below the $7,500 program minimum"
            }
            return random.pick([
                "Income too low to fund monthly deposits",
                "Already in a Chapter 13 bankruptcy plan",
                "Wants a consolidation loan, not a settlement program",
                "Accounts are current; referred to credit counseling",
            ])
        case "do_not_contact":
            return random.pick([
                "Asked to stop all calls and texts",
                "Replied STOP to a text",
                "Attorney representation letter received",
            ])
        case "cancelled":
            return random.pick([
                "Missed two monthly deposits",
                "Chose Chapter 7 bankruptcy instead",
                "Sued by a creditor and withdrew from the program",
                "Spouse disagreed with the program",
            ])
        case "not_interested":
            return random.chance(0.5) ? "Will try to pay the debts on their own" : nil
        default:
            return nil
        }
    }

    /// Follow-up tasks that fit an open lead in `status`.
    static func taskTitles(for status: String, person: DemoPerson) -> [String] {
        let first = person.firstName
        switch status {
        case "new":
            return ["First call to \(first)", "Call \(first) about the free consultation"]
        case "contacted":
            return [
                "Call back \(first) after 6pm", "Email budget worksheet to \(first)",
                "Follow up on budget review with \(first)",
            ]
        case "qualified":
            return [
                "Send enrollment agreement to \(first)", "Review credit report with \(first)",
                "Collect hardship letter from \(first)",
            ]
        default:
            let creditor = person.debts.first(where: \.isEnrolled)?.creditor ?? "each creditor"
            return ["Confirm first deposit cleared", "Collect latest statement for \(creditor)"]
        }
    }

    private static func accounts(_ count: Int) -> String {
        count == 1 ? "one account" : "\(count) accounts"
    }

    /// Dollars with thousands separators: 22,400.
    private static func grouped(_ dollars: Int64) -> String {
        let digits = String(dollars)
        var text = ""
        for (position, digit) in digits.enumerated() {
            if position > 0 && (digits.count - position) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
