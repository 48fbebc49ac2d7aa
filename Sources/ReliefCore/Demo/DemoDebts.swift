/// The debts of demo leads: creditors by account type, balances that add up to what the lead said
/// they owe, and payments and delinquency typical of each type.
enum DemoDebts {
    /// Unsecured account types with their weight: cards first, as in real settlement programs.
    private static let unsecuredTypes: [(type: String, weight: Int)] = [
        ("credit_card", 62), ("personal_loan", 12), ("medical", 8), ("collection", 8),
        ("private_student_loan", 4), ("installment_loan", 4), ("federal_student_loan", 1),
        ("tax", 1),
    ]

    private static let unsecuredWeights = unsecuredTypes.map(\.weight)

    /// Unsecured types a settlement program cannot take.
    private static let notEnrollable: Set<String> = ["federal_student_loan", "tax"]

    private static let creditors: [String: [String]] = [
        "credit_card": [
            "Chase", "Capital One", "Citi", "Discover", "Synchrony Bank (Amazon)",
            "Synchrony Bank (Lowe's)", "Bank of America", "Wells Fargo", "Barclays",
            "American Express", "Navy Federal Credit Union", "PenFed Credit Union",
            "Credit One Bank", "Comenity Bank (Ulta)", "U.S. Bank", "Merrick Bank",
        ],
        "personal_loan": ["LendingClub", "Upgrade", "Prosper", "SoFi", "Best Egg", "Avant"],
        "installment_loan": ["OneMain Financial", "Mariner Finance", "Regional Finance"],
        "medical": [
            "HCA Healthcare", "AdventHealth", "Banner Health", "Atrium Health", "Ascension",
            "CommonSpirit Health", "Baptist Health", "Memorial Hermann",
        ],
        "collection": [
            "Midland Credit Management", "Portfolio Recovery Associates", "LVNV Funding",
            "Jefferson Capital Systems", "Cavalry SPV",
        ],
        "private_student_loan": ["Sallie Mae", "Navient", "College Ave", "Discover Student Loans"],
        "federal_student_loan": ["MOHELA", "Nelnet", "Aidvantage", "EdFinancial"],
        "tax": ["Internal Revenue Service"],
        "auto": [
            "Ally Financial", "Toyota Financial Services", "Ford Credit",
            "Capital One Auto Finance",
            "Santander Consumer USA",
        ],
        "mortgage": ["Rocket Mortgage", "Mr. Cooper", "Wells Fargo Home Mortgage", "PennyMac"],
    ]

    /// One to seven debts: unsecured ones summing to within 10% of `statedCents` (the first a
    /// credit card), then perhaps a car loan and a mortgage. The enrollable unsecured debts are
    /// marked enrolled when `enrolled` is true. Some medical bills are from `hospital`.
    static func debts(
        statedCents: Int64, enrolled: Bool, hospital: String?, using random: inout SeededRandom
    ) -> [DemoDebt] {
        let dollars = statedCents / 100
        let count = min(6, max(1, Int(dollars / 9_000) + random.int(in: 0...2)))
        let shares = (0..<count).map { _ in 30 + random.int(in: 0...70) }
        let totalShare = Int64(shares.reduce(0, +))
        let totalCents = statedCents * Int64(random.int(in: 900...1_100)) / 1_000
        var debts: [DemoDebt] = []
        for (position, share) in shares.enumerated() {
            let type =
                position == 0
                ? "credit_card"
                : unsecuredTypes[random.weightedIndex(unsecuredWeights)].type
            let balance = totalCents * Int64(share) / totalShare
            debts.append(
                debt(
                    type: type, balanceCents: balance, hospital: hospital,
                    enrolled: enrolled && !notEnrollable.contains(type), using: &random))
        }
        if random.chance(0.22) {
            let balance = Int64(random.int(in: 6_000...38_000)) * 100 + cents(&random)
            debts.append(
                debt(type: "auto", balanceCents: balance, hospital: hospital, using: &random))
        }
        if random.chance(0.12) && debts.count < 7 {
            let balance = Int64(random.int(in: 60_000...420_000)) * 100 + cents(&random)
            debts.append(
                debt(type: "mortgage", balanceCents: balance, hospital: hospital, using: &random))
        }
        return debts
    }

    private static func debt(
        type: String, balanceCents: Int64, hospital: String?, enrolled: Bool = false,
        using random: inout SeededRandom
    ) -> DemoDebt {
        let creditor: String
        if type == "medical", let hospital, random.chance(0.35) {
            creditor = hospital
        } else {
            creditor = random.pick(creditors[type]!)
        }
        let isSecured = type == "auto" || type == "mortgage"
        var delinquent = random.chance(0.35) ? 0 : random.int(in: 1...9)
        if type == "collection" || type == "medical" {
            delinquent = random.int(in: 4...9)
        } else if isSecured {
            delinquent = random.chance(0.85) ? 0 : 1
        }
        return DemoDebt(
            creditor: creditor, accountType: type, balanceCents: balanceCents,
            monthlyPaymentCents: payment(type: type, balanceCents: balanceCents, using: &random),
            monthsDelinquent: delinquent, isSecured: isSecured,
            accountLast4: random.digits(4),
            isEnrolled: enrolled)
    }

    /// A monthly payment typical of the type: 2-3% of the balance for cards, an amortized payment
    /// for loans, little or nothing for collections and medical bills.
    private static func payment(type: String, balanceCents: Int64, using random: inout SeededRandom)
        -> Int64
    {
        func percent(_ range: ClosedRange<Int>) -> Int64 {
            balanceCents * Int64(random.int(in: range)) / 10_000
        }
        switch type {
        case "credit_card": return max(2_500, percent(200...300))
        case "personal_loan", "installment_loan": return percent(250...380)
        case "private_student_loan", "tax": return percent(80...150)
        case "federal_student_loan": return random.chance(0.4) ? 0 : percent(50...100)
        case "medical": return random.chance(0.6) ? 0 : Int64(random.int(in: 25...100)) * 100
        case "auto": return Int64(random.int(in: 280...760)) * 100 + cents(&random)
        case "mortgage": return percent(55...75)
        default: return 0
        }
    }

    private static func cents(_ random: inout SeededRandom) -> Int64 {
        Int64(random.int(in: 0...99))
    }
}
