/// An element that knows whether it comes out of a `BinaryHeap` before another.
protocol HeapOrdered {
    func before(_ other: Self) -> Bool
}

/// A binary heap: `pop` returns the element that comes `before` all others (the merge queues of the tokenizers).
struct BinaryHeap<Element: HeapOrdered> {
    private var heap: [Element] = []

    mutating func push(_ element: Element) {
        heap.append(element)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].before(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < heap.count && heap[left].before(heap[best]) { best = left }
                if right < heap.count && heap[right].before(heap[best]) { best = right }
                guard best != parent else { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return first
    }
}
