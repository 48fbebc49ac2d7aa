/// The first `count` elements of `elements` in the order `areInIncreasingOrder` (a strict weak
/// ordering), the same as `elements.sorted(by:).prefix(count)` with equal elements in input
/// order, in O(n log count) time and O(count) memory.
///
/// The best elements so far sit in a max-heap whose root is the worst of them; a new element
/// enters only by replacing that root. Ties are ordered by input offset, as a stable sort would.
func firstElements<Elements: Sequence>(
    _ count: Int,
    of elements: Elements,
    by areInIncreasingOrder: (Elements.Element, Elements.Element) -> Bool
) -> [Elements.Element] {
    guard count > 0 else { return [] }
    typealias Entry = (offset: Int, element: Elements.Element)
    func precedes(_ left: Entry, _ right: Entry) -> Bool {
        if areInIncreasingOrder(left.element, right.element) { return true }
        if areInIncreasingOrder(right.element, left.element) { return false }
        return left.offset < right.offset
    }
    var heap: [Entry] = []
    for entry in elements.enumerated() {
        if heap.count < count {
            heap.append(entry)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[parent], heap[child]) else { break }
                heap.swapAt(parent, child)
                child = parent
            }
        } else if precedes(entry, heap[0]) {
            heap[0] = entry
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var largest = parent
                if left < heap.count, precedes(heap[largest], heap[left]) { largest = left }
                if right < heap.count, precedes(heap[largest], heap[right]) { largest = right }
                guard largest != parent else { break }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
    }
    return heap.sorted(by: precedes).map(\.element)
}
