import CKernels
import CLinearAlgebra
import Dispatch
import Synchronization

/// The process's thread budget, shared by OpenBLAS and our own data-parallel loops.
///
/// Matrix products run OpenBLAS single-threaded and are split over the budget by our own
/// workers (`parallelGemm`), so no OpenBLAS thread spins between calls while our loops run;
/// LAPACK routines get the whole budget as OpenBLAS threads (`withBLASThreads`).
/// `mbml --threads N` calls `configure(N)` once at start. Results of our parallel loops depend
/// only on the thread count (work is split into the same chunks), so a run repeats bit for
/// bit with the same seed and thread count.
public enum ComputeThreads {
    private static let budget = Atomic<Int>(0)

    /// Sets the budget (default: all cores) for OpenBLAS and for `parallelFor`.
    ///
    /// It also keeps freed tensor memory in the process: glibc otherwise returns every large
    /// block to the kernel (mmap/munmap) and faults it in afresh on the next allocation, which
    /// doubled the peers' times on the convolutional models (shared/perf/README.md, "Allocator").
    public static func configure(_ threads: Int? = nil) {
        let n = max(1, threads ?? Int(openblas_get_num_procs()))
        budget.store(n, ordering: .relaxed)
        openblas_set_num_threads(1)
        mb_keep_freed_memory()
    }

    /// The configured budget (configures all cores on first use if `configure` was never called).
    public static var count: Int {
        let n = budget.load(ordering: .relaxed)
        if n > 0 { return n }
        configure()
        return budget.load(ordering: .relaxed)
    }

    /// Problems smaller than this (multiply-adds, ~ n³ for a factorisation of order n) keep
    /// OpenBLAS on one thread: threading them gains little, and changing OpenBLAS's global thread
    /// count while other threads run products would make those products' rounding depend on timing.
    public static let blasThreadsMinimumWork = 1 << 27

    /// Runs `body` with OpenBLAS using the whole budget (for LAPACK factorisations, whose
    /// parallelism lives inside OpenBLAS) when `work` reaches `blasThreadsMinimumWork`, then
    /// returns OpenBLAS to one thread.
    public static func withBLASThreads<R>(work: Int = .max, _ body: () throws -> R) rethrows -> R {
        let threads = count
        guard threads > 1, work >= blasThreadsMinimumWork else { return try body() }
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        return try body()
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
