import MBContinuation
import MBNN
import MBTensor

/// The three analytic-continuation models of `mbml continuation train` with the paper's two
/// heads (loss 1): seconds per epoch (2000 examples, batch 32, Adam 1e-3, loss KL(α‖softmax)
/// batch-mean + MSE(γ)) and inference
/// throughput at batch 32 and 250, as `shared/perf/*_kivelson.py`.
enum KivelsonBenchmark {
    enum Backbone: String, CaseIterable { case cnn1d, cnn2d, attn }

    static func run(_ backbones: [Backbone] = Backbone.allCases, repetitions: Int, seed: UInt64) -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: seed)
        let (x, alpha, gamma) = SyntheticData.continuation(count: 2000, generator: &generator)
        var records: [BenchmarkRecord] = []
        for backbone in backbones {
            let architecture: ContinuationArchitecture = switch backbone {
            case .cnn1d: .cnn1d
            case .cnn2d: .cnn2d
            case .attn: .attention
            }
            let model = ContinuationModel(architecture: architecture, loss: .loss1, generator: &generator)
            records += measure(backbone.rawValue, model, x, alpha, gamma, repetitions, &generator)
        }
        return records
    }

    static func measure(
        _ name: String, _ model: ContinuationModel, _ x: Tensor<Float>, _ alpha: Tensor<Float>, _ gamma: Tensor<Float>,
        _ repetitions: Int, _ generator: inout RandomGenerator
    ) -> [BenchmarkRecord] {
        let n = x.shape[0]
        let epochs = TrainingEpochs(model: model, learningRate: 1e-3)
        let train = epochs.time(count: n, batchSize: 32, repetitions: repetitions, generator: &generator) { m, indices in
            let output = m(RowGather.rows(x, indices))
            return klDivergence(logPredicted: output.alphaLogits!.logSoftmax(alongAxis: 1), target: RowGather.rows(alpha, indices))
                + meanSquaredError(output.gamma!, RowGather.rows(gamma, indices))
        }
        var records = [BenchmarkRecord(bench: "kivelson", model: name, metric: "train epoch (2000 ex, b32)", unit: "s",
                                       value: train.median, params: epochs.parameters.scalarCount, all: train.all)]
        for inferenceBatch in [32, 250] {
            let batches = stride(from: 0, to: n, by: inferenceBatch).map { x.sliced(alongAxis: 0, $0..<min($0 + inferenceBatch, n)) }
            var sink: Float = 0
            let timing = BenchmarkTimer.time(warmup: 1, repeat: repetitions) {
                for b in batches {
                    let output = model(b)
                    let logits = output.alphaLogits!, g = output.gamma!
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
