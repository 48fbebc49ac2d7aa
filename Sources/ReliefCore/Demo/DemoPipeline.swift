/// The pipeline of demo leads: the mix of statuses they end in, the path each took through the
/// allowed moves, and how long each move typically takes.
enum DemoPipeline {
    /// Final statuses with their share in basis points.
    static let mix: [(status: String, basisPoints: Int)] = [
        ("new", 3_500), ("contacted", 2_000), ("qualified", 1_200), ("enrolled", 1_000),
        ("settled", 300), ("not_interested", 800), ("unqualified", 500), ("unreachable", 500),
        ("do_not_contact", 100), ("cancelled", 100),
    ]

    /// `count` final statuses in the proportions of ``mix`` (largest remainders), in random order.
    static func finalStatuses(count: Int, using random: inout SeededRandom) -> [String] {
        var counts = mix.map { count * $0.basisPoints / 10_000 }
        let byRemainder = mix.indices.sorted { lhs, rhs in
            let (left, right) = (
                count * mix[lhs].basisPoints % 10_000, count * mix[rhs].basisPoints % 10_000
            )
            return left != right ? left > right : lhs < rhs
        }
        for index in byRemainder.prefix(count - counts.reduce(0, +)) { counts[index] += 1 }
        let statuses = zip(mix, counts).flatMap { Array(repeating: $0.status, count: $1) }
        return random.shuffled(statuses)
    }

    /// The statuses a lead went through from "new" to `final`, both included.
    static func path(to final: String, using random: inout SeededRandom) -> [String] {
        func upTo(_ last: String) -> [String] {
            switch last {
            case "new": return ["new"]
            case "contacted": return ["new", "contacted"]
            case "qualified":
                return random.chance(0.15)
                    ? ["new", "qualified"] : ["new", "contacted", "qualified"]
            default: return upTo("qualified") + ["enrolled"]
            }
        }
        let from: String
        switch final {
        case "new", "contacted", "qualified", "enrolled": return upTo(final)
        case "settled", "cancelled": from = "enrolled"
        case "not_interested":
            from = ["new", "contacted", "qualified"][random.weightedIndex([3, 5, 2])]
        case "unqualified":
            from = ["new", "contacted", "qualified"][random.weightedIndex([2, 5, 3])]
        case "unreachable": from = random.chance(0.7) ? "new" : "contacted"
        default:
            from =
                ["new", "contacted", "qualified", "enrolled"][random.weightedIndex([3, 4, 2, 1])]
        }
        return upTo(from) + [final]
    }

    /// The fewest days since creation a lead needs to have reached `final` believably.
    static func minimumAgeDays(for final: String) -> Int {
        switch final {
        case "settled": return 60
        case "cancelled": return 30
        case "enrolled": return 7
        case "unreachable": return 6
        default: return 0
        }
    }

    /// Typical hours between reaching `previous` and moving to `status`.
    static func delayHours(
        from previous: String, to status: String, using random: inout SeededRandom
    )
        -> Double
    {
        let roll = random.unit()
        switch (previous, status) {
        case ("new", "contacted"): return 0.1 + 36 * roll * roll * roll
        case ("new", "qualified"): return 0.2 + 24 * roll * roll
        case (_, "qualified"): return 2 + 200 * roll * roll
        case (_, "enrolled"): return 24 + 300 * roll
        case (_, "settled"): return 24 * (35 + 45 * roll)
        case (_, "cancelled"): return 24 * (10 + 50 * roll)
        case (_, "not_interested"): return 1 + 160 * roll * roll
        case (_, "unqualified"): return 0.2 + 72 * roll * roll
        case (_, "unreachable"): return 24 * (5 + 10 * roll)
        default: return 0.1 + 240 * roll * roll
        }
    }
}
