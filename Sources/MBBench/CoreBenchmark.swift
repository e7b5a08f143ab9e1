import Foundation
import MBNN
import MBTensor

/// `mbml bench core`: trains and times the reference models of `shared/perf/architectures.md`
/// exactly as the PyTorch and JAX peers do, and measures sgemm.
public struct CoreBenchmark {
    public enum Suite: String, CaseIterable, Sendable {
        case gemm, kivelson, made, mlp, flow, overhead
        /// One backbone of `kivelson` alone (subsets of `kivelson`, not part of a full run).
        case kivelsonCNN1D = "kivelson-cnn1d", kivelsonCNN2D = "kivelson-cnn2d", kivelsonAttention = "kivelson-attn"
        /// ED and IPT against QuSpin and NumPy (`scripts/peers/`), not part of a full run.
        case dmft

        /// The suites of a full run.
        public static var allCases: [Suite] { [.gemm, .kivelson, .made, .mlp, .flow, .overhead] }
        /// Every suite `--only` accepts.
        public static var selectable: [Suite] { allCases + [.kivelsonCNN1D, .kivelsonCNN2D, .kivelsonAttention, .dmft] }
    }

    public var suites: [Suite]
    /// Timed repetitions (the peers use 3 to 5); 1 for a quick smoke run.
    public var repetitions: Int
    public var seed: UInt64
    public var log: (String) -> Void

    public init(suites: [Suite] = Suite.allCases, repetitions: Int = 5, seed: UInt64 = 0, log: @escaping (String) -> Void) {
        self.suites = suites
        self.repetitions = repetitions
        self.seed = seed
        self.log = log
    }

    public func run() -> [BenchmarkRecord] {
        var records: [BenchmarkRecord] = []
        for suite in suites {
            log("bench \(suite.rawValue) …")
            let new: [BenchmarkRecord]
            switch suite {
            case .gemm: new = gemm()
            case .mlp: new = mlp()
            case .kivelson: new = KivelsonBenchmark.run(repetitions: repetitions, seed: seed)
            case .kivelsonCNN1D: new = KivelsonBenchmark.run([.cnn1d], repetitions: repetitions, seed: seed)
            case .kivelsonCNN2D: new = KivelsonBenchmark.run([.cnn2d], repetitions: repetitions, seed: seed)
            case .kivelsonAttention: new = KivelsonBenchmark.run([.attn], repetitions: repetitions, seed: seed)
            case .made: new = MADEBenchmark.run(repetitions: repetitions, seed: seed)
            case .flow: new = FlowBenchmark.run(repetitions: repetitions, seed: seed)
            case .overhead: new = OverheadBenchmark.run(repetitions: repetitions)
            case .dmft: new = DMFTBenchmark.run(repetitions: repetitions)
            }
            for r in new { log("  \(r.model) \(r.metric): \(String(format: "%.4g", r.value)) \(r.unit)") }
            records += new
        }
        return records
    }

    func gemm() -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: seed)
        return [256, 1024].map { n in
            let a: Tensor<Float> = generator.normal(shape: [n, n]), b: Tensor<Float> = generator.normal(shape: [n, n])
            var c = Tensor<Float>(zeros: [n, n])
            let rate = c.withUnsafeMutableBufferPointer { pc in
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        BenchmarkTimer.gigaflops(flops: 2 * Double(n * n * n)) {
                            Float.parallelGemm(transposeA: false, transposeB: false, m: n, n: n, k: n, alpha: 1,
                                               a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n, beta: 0,
                                       c: pc.baseAddress!, ldc: n)
                        }
                    }
                }
            }
            return BenchmarkRecord(bench: "gemm", model: "sgemm n=\(n)", metric: "matmul", unit: "GFLOP/s", value: rate.median)
        }
    }

    func mlp() -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: seed)
        let (x, y) = SyntheticData.dmft(generator: &generator)
        let model = DMFTNetwork<Float>(generator: &generator)
        let epochs = TrainingEpochs(model: model, learningRate: 2e-4)
        let summary = epochs.time(count: x.shape[0], batchSize: 8, repetitions: repetitions, generator: &generator) { m, indices in
            (m(RowGather.rows(x, indices)) - RowGather.rows(y, indices)).square().mean()
        }
        return [BenchmarkRecord(bench: "mlp", model: "mlp", metric: "train epoch (9000, b8)", unit: "s",
                                value: summary.median, params: epochs.parameters.scalarCount, all: summary.all)]
    }
}
