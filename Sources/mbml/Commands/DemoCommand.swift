import ArgumentParser
import Foundation
import MBNN
import MBTensor

/// Until a physics issue gives it real content, the demo trains a small network end to end
/// with the library's training driver and shows what it learned.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small network end to end on built-in data and print what it learned.",
        discussion: """
            Fits y = sin(x) on [−π, π] from 512 noisy samples (σ = 0.05) with a 1-32-32-1 tanh \
            network: 80/20 train/validation split, Adam with cosine-annealed learning rate, \
            batch 32, early stopping on the validation loss (patience 40, best weights restored).
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Maximum training epochs (early stopping may end sooner).")
    var epochs = 400

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
    }

    func run() throws {
        common.applyThreads()
        var generator = RandomGenerator(seed: common.seed)
        let count = 512, noise = 0.05
        let xs: Tensor<Float> = generator.uniform(shape: [count, 1], in: -Double.pi...Double.pi)
        let ys = xs.sin() + generator.normal(shape: [count, 1], standardDeviation: noise)
        let (training, validation) = TensorDataset(inputs: xs, targets: ys).split(validationFraction: 0.2, generator: &generator)

        let model = Sequential<Float>(
            Linear(inputDimensions: 1, outputDimensions: 32, generator: &generator), Tanh(),
            Linear(inputDimensions: 32, outputDimensions: 32, generator: &generator), Tanh(),
            Linear(inputDimensions: 32, outputDimensions: 1, generator: &generator))
        var settings = TrainingConfiguration(epochs: epochs, batchSize: 32)
        settings.schedule = CosineAnnealing(initial: 1e-2, period: epochs, minimum: 1e-4)
        settings.scheduleInterval = .epoch
        settings.earlyStopping = EarlyStopping(patience: 40, minimumDelta: 1e-6)
        settings.progress = common.quiet ? .quiet : .automatic
        let trainer = Trainer<Sequential<Float>, TensorDataset<Float>, Adam<Float>>(
            model: model, optimizer: Adam(learningRate: 1e-2), configuration: settings) { model, batch in
            meanSquaredError(model(batch.inputs), batch.targets)
        }

        let start = ContinuousClock.now
        let history = try trainer.fit(training: training, validation: validation, generator: &generator)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

        let validationLoss = try trainer.evaluate(validation).loss
        let grid = Tensor<Float>(shape: [201, 1], scalars: (0...200).map { Float(-Double.pi + Double($0) * Double.pi / 100) })
        let rms = Double(meanSquaredError(model(grid), grid.sin()).scalar).squareRoot()
        print(String(format: "trained %d parameters on %d examples for %d epochs in %.2f s%@",
                     trainer.parameters.scalarCount, training.count, history.records.count, seconds,
                     history.stoppedEarly ? " (stopped early)" : ""))
        if let best = history.bestEpoch {
            print(String(format: "best epoch %d: validation MSE %.2e (noise floor σ² = %.2e)", best, validationLoss, noise * noise))
        }
        print(String(format: "RMS error against sin(x) on [−π, π]: %.4f", rms))
        print("      x     sin(x)   network     error")
        let probe = Tensor<Float>(shape: [9, 1], scalars: (0..<9).map { Float(-Double.pi + Double($0) * Double.pi / 4) })
        let prediction = model(probe)
        for i in 0..<9 {
            let truth = sinf(probe[i, 0])
            print(String(format: "%7.3f  %8.4f  %8.4f  %+8.4f", probe[i, 0], truth, prediction[i, 0], prediction[i, 0] - truth))
        }
    }
}
