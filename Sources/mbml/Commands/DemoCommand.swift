import ArgumentParser
import Foundation
import MBIO
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
            batch 32, early stopping on the validation loss (patience 40, best weights restored). \
            Writes the weights (model.safetensors, checkpointed every 50 epochs), the per-epoch \
            metrics (metrics.csv) and run.json into --output; a previous demo output there is replaced.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Maximum training epochs (early stopping may end sooner).")
    var epochs = 400

    @Option(help: "Folder for model.safetensors, metrics.csv and run.json.")
    var output = "mbml-demo"

    @Flag(help: "Write into --output even if it holds files of something else.")
    var force = false

    struct Configuration: Encodable {
        let epochs: Int, batchSize: Int, samples: Int, noise: Double, hidden: [Int]
    }

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
    }

    func run() throws {
        common.applyThreads()
        let directory = try OutputDirectory.prepare(output, force: force || Self.holdsPreviousDemo(output))
        var record = try RunRecord(configuration: Configuration(epochs: epochs, batchSize: 32, samples: 512, noise: 0.05, hidden: [32, 32]),
                               seed: common.seed, version: ManyBodyMLVersion.string)
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
        settings.metricsPath = directory.path(for: "metrics.csv")
        settings.checkpointInterval = 50
        let trainer = Trainer<Sequential<Float>, TensorDataset<Float>, Adam<Float>>(
            model: model, optimizer: Adam(learningRate: 1e-2), configuration: settings) { model, batch in
            meanSquaredError(model(batch.inputs), batch.targets)
        }
        let weightsPath = directory.path(for: "model.safetensors")
        trainer.checkpoint = { epoch, model in
            try Checkpoint.save(model, to: weightsPath, metadata: ["epoch": "\(epoch)", "model": "demo 1-32-32-1 tanh"])
        }

        let start = ContinuousClock.now
        let history = try record.measure("training") {
            try trainer.fit(training: training, validation: validation, generator: &generator)
        }
        // The trainer restored the best weights after its last checkpoint: save those.
        try Checkpoint.save(model, to: weightsPath, metadata: ["epoch": "\(history.bestEpoch ?? history.records.count)",
                                                               "model": "demo 1-32-32-1 tanh"])
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
        record.finish()
        try record.write(to: directory)
        print("wrote \(directory.path)/: model.safetensors (weights), metrics.csv (per epoch), run.json")
    }

    /// A folder written by an earlier `mbml demo` (its run.json names the demo command).
    static func holdsPreviousDemo(_ path: String) -> Bool {
        guard let record = try? RunRecord.read(from: (path as NSString).appendingPathComponent(RunRecord.fileName)) else {
            return false
        }
        return record.commandLine.dropFirst().first == "demo"
    }
}
