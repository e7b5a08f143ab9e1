import MBContinuation
import MBNN
import MBTensor

/// The three analytic-continuation backbones with both heads: seconds per epoch (2000
/// examples, batch 32, Adam 1e-3, loss KL(α‖softmax) batch-mean + MSE(γ)) and inference
/// throughput at batch 32 and 250, as `shared/perf/*_kivelson.py`.
enum KivelsonBenchmark {
    enum Backbone: String, CaseIterable { case cnn1d, cnn2d, attn }

    static func run(_ backbones: [Backbone] = Backbone.allCases, repetitions: Int, seed: UInt64) -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: seed)
        let (x, alpha, gamma) = SyntheticData.continuation(count: 2000, generator: &generator)
        var records: [BenchmarkRecord] = []
        for backbone in backbones {
            switch backbone {
            case .cnn1d:
                let net = ContinuationNetwork(backbone: ConvolutionalBackbone1D(generator: &generator), generator: &generator)
                records += measure("cnn1d", net, x, alpha, gamma, repetitions, &generator)
            case .cnn2d:
                let net = ContinuationNetwork(backbone: ConvolutionalBackbone2D(generator: &generator), generator: &generator)
                records += measure("cnn2d", net, x, alpha, gamma, repetitions, &generator)
            case .attn:
                let net = ContinuationNetwork(backbone: AttentionBackbone(generator: &generator), generator: &generator)
                records += measure("attn", net, x, alpha, gamma, repetitions, &generator)
            }
        }
        return records
    }

    static func measure<B>(
        _ name: String, _ model: ContinuationNetwork<B>, _ x: Tensor<Float>, _ alpha: Tensor<Float>, _ gamma: Tensor<Float>,
        _ repetitions: Int, _ generator: inout RandomGenerator
    ) -> [BenchmarkRecord] {
        let n = x.shape[0]
        let epochs = TrainingEpochs(model: model, learningRate: 1e-3)
        let train = epochs.time(count: n, batchSize: 32, repetitions: repetitions, generator: &generator) { m, indices in
            let (logits, g) = m(RowGather.rows(x, indices))
            return klDivergence(logPredicted: logits.logSoftmax(alongAxis: 1), target: RowGather.rows(alpha, indices))
                + meanSquaredError(g, RowGather.rows(gamma, indices))
        }
        var records = [BenchmarkRecord(bench: "kivelson", model: name, metric: "train epoch (2000 ex, b32)", unit: "s",
                                       value: train.median, params: epochs.parameters.scalarCount, all: train.all)]
        for inferenceBatch in [32, 250] {
            let batches = stride(from: 0, to: n, by: inferenceBatch).map { x.sliced(alongAxis: 0, $0..<min($0 + inferenceBatch, n)) }
            var sink: Float = 0
            let timing = BenchmarkTimer.time(warmup: 1, repeat: repetitions) {
                for b in batches {
                    let (logits, g) = model(b)
                    sink += logits.softmax(alongAxis: 1).withUnsafeBufferPointer { $0[0] } + g.withUnsafeBufferPointer { $0[0] }
                }
            }
            if sink.isNaN { print("non-finite inference output") }
            records.append(BenchmarkRecord(bench: "kivelson", model: name, metric: "inference b\(inferenceBatch)",
                                           unit: "examples/s", value: Double(n) / timing.median,
                                           all: timing.all.map { Double(n) / $0 }))
        }
        return records
    }
}
