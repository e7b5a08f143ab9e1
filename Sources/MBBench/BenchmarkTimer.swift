import Foundation

/// Timing conventions of the peer benchmarks (`shared/perf/common.py`), so figures compare
/// line for line: warm-up runs, then timed repetitions, median reported.
public enum BenchmarkTimer {
    public struct Summary: Codable, Sendable {
        public let median: Double
        public let min: Double
        public let all: [Double]
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Runs `body` `warmup` times untimed, then `repeat` times timed.
    public static func time(warmup: Int = 1, repeat count: Int = 3, _ body: () -> Void) -> Summary {
        for _ in 0..<warmup { body() }
        var times: [Double] = []
        for _ in 0..<max(count, 1) {
            let t0 = now()
            body()
            times.append(now() - t0)
        }
        return summarize(times)
    }

    public static func summarize(_ times: [Double]) -> Summary {
        let sorted = times.sorted()
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        return Summary(median: median, min: sorted[0], all: times.map { ($0 * 1e6).rounded() / 1e6 })
    }

    /// GFLOP/s of `body` (which does `flops` operations), timed in ≈ 50 ms chunks for at least
    /// `minimumTime` seconds; the median chunk is reported, as `measure_gemm` does.
    public static func gigaflops(flops: Double, minimumTime: Double = 1.0, maximumRepetitions: Int = 2000,
                                 _ body: () -> Void) -> (median: Double, best: Double) {
        for _ in 0..<3 { body() }
        let t0 = now()
        body()
        let one = max(now() - t0, 1e-7)
        let inner = max(1, Int(0.05 / one))
        var chunks: [Double] = []
        let start = now()
        while now() - start < minimumTime && chunks.count * inner < maximumRepetitions {
            let c0 = now()
            for _ in 0..<inner { body() }
            chunks.append((now() - c0) / Double(inner))
        }
        chunks.sort()
        return (flops / chunks[chunks.count / 2] / 1e9, flops / chunks[0] / 1e9)
    }
}
