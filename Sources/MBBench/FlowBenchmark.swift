import MBNN
import MBTensor

/// RealNVP: seconds per epoch (10k samples, batch 256, Adam 1e-3) and log-probability
/// throughput (batch 1000), as `shared/perf/*_flow.py`.
enum FlowBenchmark {
    static func run(repetitions: Int, seed: UInt64) -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: seed)
        let x = SyntheticData.gaussianMixture(count: 10_000, dimensions: 32, generator: &generator)
        let model = RealNVP<Float>(generator: &generator)
        let parameters = ParameterSet<Float>(model)
        let optimizer = Adam<Float>(learningRate: 1e-3)
        let n = x.shape[0], batch = 256
        let train = BenchmarkTimer.time(warmup: 1, repeat: repetitions) {
            let order = generator.permutation(n)
            for start in stride(from: 0, to: n, by: batch) {
                let xb = gatherRows(x, order[start..<min(start + batch, n)])
                let (_, grads) = valueAndGradient(of: model, parameters: parameters) { m in -m.logProbability(xb).mean() }
                optimizer.update(parameters, with: grads)
            }
        }
        let batches = stride(from: 0, to: n, by: 1000).map { x.sliced(alongAxis: 0, $0..<min($0 + 1000, n)) }
        var sink: Float = 0
        let evaluate = BenchmarkTimer.time(warmup: 1, repeat: repetitions) {
            for b in batches { sink += model.logProbability(b).withUnsafeBufferPointer { $0[0] } }
        }
        precondition(!sink.isNaN || sink.isNaN)
        return [
            BenchmarkRecord(bench: "flow", model: "realnvp", metric: "train epoch (10k, b256)", unit: "s",
                            value: train.median, params: parameters.scalarCount, all: train.all),
            BenchmarkRecord(bench: "flow", model: "realnvp", metric: "log-prob eval (b1000)", unit: "samples/s",
                            value: Double(n) / evaluate.median, all: evaluate.all.map { Double(n) / $0 }),
        ]
    }
}
