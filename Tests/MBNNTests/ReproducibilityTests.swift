import MBTensor
import Testing
@testable import MBNN

/// A model whose training step takes every parallel path: convolution batches on workers,
/// products large enough to be split over the thread budget, Adam in parallel chunks.
final class ParallelPathsModel: Module {
    let conv: Conv1d<Float>, pool = MaxPool1d<Float>(kernelSize: 2), dense: Linear<Float>, head: Linear<Float>

    init(generator: inout RandomGenerator) {
        conv = Conv1d(inputChannels: 4, outputChannels: 32, kernelSize: 5, padding: 2, generator: &generator)
        dense = Linear(inputDimensions: 32 * 64, outputDimensions: 512, generator: &generator)
        head = Linear(inputDimensions: 512, outputDimensions: 3, generator: &generator)
    }

    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
        let h = pool(conv(x).relu())
        return head(dense(h.reshaped(to: [x.shape[0], -1])).tanh())
    }
}

@Suite("Reproducibility")
struct ReproducibilityTests {
    func trainedWeights(seed: UInt64) throws -> [Tensor<Float>] {
        var generator = RandomGenerator(seed: seed)
        let inputs: Tensor<Float> = generator.normal(shape: [96, 4, 128])
        let targets: Tensor<Float> = generator.normal(shape: [96, 3])
        let model = ParallelPathsModel(generator: &generator)
        var settings = TrainingConfiguration(epochs: 2, batchSize: 32)
        settings.progress = .quiet
        let trainer = Trainer<ParallelPathsModel, TensorDataset<Float>, Adam<Float>>(
            model: model, optimizer: Adam(learningRate: 1e-3), configuration: settings) { model, batch in
            meanSquaredError(model(batch.inputs), batch.targets)
        }
        _ = try trainer.fit(training: TensorDataset(inputs: inputs, targets: targets), validation: nil, generator: &generator)
        return ParameterSet<Float>(model).values
    }

    @Test func trainingRepeatsBitForBitWithTheThreadBudget() throws {
        #expect(ComputeThreads.count >= 1)
        let first = try trainedWeights(seed: 42), second = try trainedWeights(seed: 42)
        #expect(first.count == 6)
        for (a, b) in zip(first, second) { #expect(a == b) }
        let other = try trainedWeights(seed: 43)
        #expect(zip(first, other).contains { $0 != $1 })
    }
}
