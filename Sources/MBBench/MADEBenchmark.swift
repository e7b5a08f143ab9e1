import MBNN
import MBTensor

/// MADE 256-512-256 and the VAN PixelCNN on 16×16 Ising configurations: seconds per epoch
/// (10k, batch 100, Adam 1e-3, the VAN negative log-likelihood) and sampling throughput
/// (batch 1000, 256 full forward passes, no caching), as `shared/perf/*_made.py`.
enum MADEBenchmark {
    static let side = 16
    static let epsilon: Float = 1e-7

    /// −mean_b Σᵢ [mᵢ log(x̂ᵢ + ε) + (1 − mᵢ) log(1 − x̂ᵢ + ε)], m = (s + 1)/2.
    static func negativeLogLikelihood(_ xHat: Tensor<Float>, spins: Tensor<Float>) -> Tensor<Float> {
        let m = spins.affine(scale: 0.5, shift: 0.5)
        let perSite = m * (xHat + epsilon).log() + (1 - m) * (1 + epsilon - xHat).log()
        return -perSite.sum() / Float(spins.shape[0])
    }

    static func run(repetitions: Int, seed: UInt64) -> [BenchmarkRecord] {
        var generator = RandomGenerator(seed: seed)
        let spins = SyntheticData.isingConfigurations(count: 10_000, side: side, generator: &generator)
        let made = MADE<Float>(siteCount: side * side, hiddenSizes: [512], generator: &generator)
        let pixel = PixelCNN<Float>(side: side, generator: &generator)
        return model("made", made, spins: spins, forward: { made($0) }, repetitions: repetitions, generator: &generator)
            + model("pixelcnn", pixel, spins: spins.reshaped(to: [-1, 1, side, side]), forward: { pixel($0) },
                    repetitions: repetitions, generator: &generator)
    }

    static func model<M: Module>(
        _ name: String, _ module: M, spins: Tensor<Float>, forward: @escaping (Tensor<Float>) -> Tensor<Float>,
        repetitions: Int, generator: inout RandomGenerator
    ) -> [BenchmarkRecord] {
        let epochs = TrainingEpochs(model: module, learningRate: 1e-3)
        let train = epochs.time(count: spins.shape[0], batchSize: 100, repetitions: repetitions, generator: &generator) { _, indices in
            let sb = RowGather.rows(spins, indices)
            return negativeLogLikelihood(forward(sb), spins: sb)
        }
        var rng = generator.split()
        // Sampling: s = 0, then for each site a full forward pass and s_i = ±1 with P(+1) = x̂_i.
        let sampleBatch = 1000, sites = side * side
        let sampleShape = spins.rank == 2 ? [sampleBatch, sites] : [sampleBatch, 1, side, side]
        // Timed once, as the peers do (tens of seconds for them).
        let sampling = BenchmarkTimer.time(warmup: 0, repeat: 1) {
            var s = Tensor<Float>(zeros: sampleShape)
            for i in 0..<sites {
                let xHat = forward(s)
                xHat.withUnsafeBufferPointer { p in
                    s.withUnsafeMutableBufferPointer { q in
                        for b in 0..<sampleBatch {
                            q[b * sites + i] = Float(rng.nextUnit()) < p[b * sites + i] ? 1 : -1
                        }
                    }
                }
            }
        }
        return [
            BenchmarkRecord(bench: "made", model: name, metric: "train epoch (10k, b100)", unit: "s",
                            value: train.median, params: epochs.parameters.scalarCount, all: train.all),
            BenchmarkRecord(bench: "made", model: name, metric: "sampling (b1000, 256 steps)", unit: "samples/s",
                            value: Double(sampleBatch) / sampling.median),
        ]
    }
}
