import Dispatch

/// Fork-join helpers over Dispatch. Work is split by index, results land by index,
/// so the outcome never depends on which thread ran what.
enum Parallel {
    /// A results buffer written at distinct indices from several threads.
    private final class Slots<Element>: @unchecked Sendable {
        // SAFETY: each index is written by exactly one iteration; read only after the join.
        let base: UnsafeMutablePointer<Element?>
        let count: Int
        init(count: Int) {
            self.count = count
            base = .allocate(capacity: max(count, 1))
            base.initialize(repeating: nil, count: count)
        }
        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }
        func take() -> [Element] { (0..<count).map { base[$0]! } }
    }

    private struct UncheckedSendable<Value>: @unchecked Sendable {
        // SAFETY: wraps the inputs and the body of one fork-join; both are only read while the
        // workers run, and `concurrentPerform` returns only after every worker has finished.
        // The real invariant is the callers': a `map` transform touches only its input and
        // values it creates; a `forEachSlice` body touches only its slice and the state of its
        // own worker index (one `CallProcessor` per worker).
        let value: Value
    }

    static func map<Input, Output>(_ inputs: [Input], workers: Int, _ transform: (Input) -> Output) -> [Output] {
        let slots = Slots<Output>(count: inputs.count)
        let shared = UncheckedSendable(value: inputs)
        withoutActuallyEscaping(transform) { transform in
            let function = UncheckedSendable(value: transform)
            DispatchQueue.concurrentPerform(iterations: max(1, min(workers, inputs.count))) { worker in
                var index = worker
                while index < shared.value.count {
                    let output = function.value(shared.value[index])
                    slots.base[index] = output
                    index += workers
                }
            }
        }
        return slots.take()
    }

    /// Runs `body(worker, slice)` for `workers` contiguous slices of `items`.
    static func forEachSlice<Item>(of items: [Item], workers: Int, _ body: (Int, ArraySlice<Item>) -> Void) {
        guard !items.isEmpty else { return }
        let shared = UncheckedSendable(value: items)
        withoutActuallyEscaping(body) { body in
            let function = UncheckedSendable(value: body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let lower = shared.value.count * worker / workers
                let upper = shared.value.count * (worker + 1) / workers
                if lower < upper { function.value(worker, shared.value[lower..<upper]) }
            }
        }
    }
}
