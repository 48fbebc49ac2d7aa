import Foundation

extension Array where Element: Sendable {
    /// The array in consecutive pieces of at most `size` elements.
    public func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }

    /// `transform` applied to consecutive slices, one per core, results in slice order. Arrays
    /// shorter than `minimumCount` are one slice, handled without starting tasks. For pure
    /// work over large batches (ten thousand gate decisions, their rows and their JSON).
    public func mapSlicesOnEveryCore<T: Sendable>(
        minimumCount: Int = 2_000,
        _ transform: @escaping @Sendable (ArraySlice<Element>) throws -> T
    ) async throws -> [T] {
        guard count >= minimumCount else { return [try transform(self[...])] }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let slices = chunked(into: Swift.max(1, (count + cores - 1) / cores))
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for (index, slice) in slices.enumerated() {
                group.addTask { (index, try transform(slice)) }
            }
            var parts: [(Int, T)] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// `transform` applied to every element, in order, in slices on every core (see
    /// ``mapSlicesOnEveryCore(minimumCount:_:)``).
    public func mapOnEveryCore<T: Sendable>(
        minimumCount: Int = 2_000, _ transform: @escaping @Sendable (Element) throws -> T
    ) async throws -> [T] {
        try await mapSlicesOnEveryCore(minimumCount: minimumCount) { try $0.map(transform) }
            .flatMap { $0 }
    }
}
