import ReliefCore
import Testing

@Suite("Work on every core")
struct EveryCoreTests {
    struct Refused: Error {}

    @Test("results keep the input order, small and large")
    func order() async throws {
        for count in [0, 1, 1_999, 2_000, 10_001] {
            let input = Array(0..<count)
            #expect(try await input.mapOnEveryCore { $0 * 2 } == input.map { $0 * 2 })
            let slices = try await input.mapSlicesOnEveryCore { Array($0) }
            #expect(slices.flatMap { $0 } == input)
            #expect(slices.count <= max(1, count))
        }
    }

    @Test("an error in any slice is thrown")
    func errors() async {
        await #expect(throws: Refused.self) {
            _ = try await Array(0..<5_000).mapOnEveryCore { value in
                if value == 4_321 { throw Refused() }
                return value
            }
        }
    }
}
