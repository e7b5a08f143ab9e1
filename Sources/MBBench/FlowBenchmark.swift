import MBNN
import MBTensor

/// RealNVP: seconds per epoch (10k samples, batch 256, Adam 1e-3) and log-probability
/// throughput (batch 1000), as `shared/perf/*_flow.py`.
enum FlowBenchmark {
    static func run(repetitions: Int, seed: UInt64) -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: seed)
        let x = SyntheticData.gaussianMixture(count: 10_000, dimensions: 32, generator: &generator)
        let model = RealNVP<Float>(generator: &generator)
        let n = x.shape[0]
        let epochs = TrainingEpochs(model: model, learningRate: 1e-3)
        let train = epochs.time(count: n, batchSize: 256, repetitions: repetitions, generator: &generator) { m, indices in
            -m.logProbability(RowGather.rows(x, indices)).mean()
        }
        let batches = stride(from: 0, to: n, by: 1000).map { x.sliced(alongAxis: 0, $0..<min($0 + 1000, n)) }
        var sink: Float = 0
        let evaluate = BenchmarkTimer.time(warmup: 1, repeat: repetitions) {
            for b in batches { sink += model.logProbability(b).withUnsafeBufferPointer { $0[0] } }
        }
        precondition(!sink.isNaN || sink.isNaN)
        return [
            BenchmarkRecord(bench: "flow", model: "realnvp", metric: "train epoch (10k, b256)", unit: "s",
                            value: train.median, params: epochs.parameters.scalarCount, all: train.all),
            BenchmarkRecord(bench: "flow", model: "realnvp", metric: "log-prob eval (b1000)", unit: "samples/s",
                            value: Double(n) / evaluate.median, all: evaluate.all.map { Double(n) / $0 }),
        ]
    }
}
