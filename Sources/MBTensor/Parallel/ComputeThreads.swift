import CLinearAlgebra
import Dispatch
import Synchronization

/// The process's thread budget, shared by OpenBLAS and our own data-parallel loops.
///
/// `mbml --threads N` calls `configure(N)` once at start. Results of our parallel loops depend
/// only on the thread count (work is split into the same chunks), so a run repeats bit for
/// bit with the same seed and thread count.
public enum ComputeThreads {
    private static let budget = Atomic<Int>(0)

    /// Sets the budget (default: all cores) for OpenBLAS and for `parallelFor`.
    public static func configure(_ threads: Int? = nil) {
        let n = max(1, threads ?? Int(openblas_get_num_procs()))
        budget.store(n, ordering: .relaxed)
        openblas_set_num_threads(Int32(n))
    }

    /// The configured budget (all cores if `configure` was never called).
    public static var count: Int {
        let n = budget.load(ordering: .relaxed)
        return n > 0 ? n : max(1, Int(openblas_get_num_procs()))
    }

    /// Runs `body` over `0..<n` split into at most `count` contiguous chunks of at least
    /// `minimumChunk` items. Chunk boundaries depend only on `n`, `minimumChunk` and `count`.
    public static func parallelFor(_ n: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = max(1, min(count, n / max(minimumChunk, 1)))
        if chunks == 1 {
            body(0..<n)
            return
        }
        withoutActuallyEscaping(body) { body in
            // Each chunk touches disjoint data by contract, so sharing the closure is safe.
            let shared = UncheckedSendable(value: body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                shared.value((n * c / chunks)..<(n * (c + 1) / chunks))
            }
        }
    }
}

/// Wraps a value whose concurrent use the caller guarantees to be safe.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(value: Value) { self.value = value }
}
