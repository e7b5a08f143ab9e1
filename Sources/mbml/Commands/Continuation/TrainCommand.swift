import ArgumentParser
import Foundation
import MBContinuation
import MBIO
import MBNN

extension ContinuationCommand {
    struct TrainCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train a continuation network (cnn1d, cnn2d, attention) with loss 1, 2, 3 or the direct σ head.",
            discussion: """
                Writes DIR/model.safetensors (weights and the input normalisation), DIR/model.json (what the \
                model is), DIR/metrics.csv (per epoch: losses, validation_metric = 1 − usable fraction) and \
                DIR/run.json. Adam; early stopping on the validation loss restores the best epoch.
                """)

        @Option(help: "Dataset written by `mbml continuation generate`.") var data: String
        @Option(help: "Backbone: cnn1d, cnn2d or attention.") var model: ContinuationArchitecture
        @Option(help: "Loss: 1, 2, 3 (paper §4.1) or direct (log σ(ω) head).") var loss: ContinuationLoss = .loss1
        @Option(help: "Maximum epochs.") var epochs = 100
        @Option(name: .customLong("batch-size"), help: "Batch size.") var batchSize = 32
        @Option(name: .customLong("learning-rate"), help: "Adam learning rate.") var learningRate = 1e-3
        @Option(help: "Early-stopping patience in epochs.") var patience = 20
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
            guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
            guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
            guard patience > 0 else { throw ValidationError("--patience must be positive, got \(patience)") }
        }

        func run() throws {
            common.applyThreads()
            let dataset = try ContinuationDataset.read(from: data, splits: ["train", "validation"])
            let directory = try OutputDirectory.prepare(output, force: force)
            var options = ContinuationTrainingOptions(architecture: model, loss: loss)
            options.epochs = epochs
            options.batchSize = batchSize
            options.learningRate = learningRate
            options.patience = patience
            options.seed = common.seed
            var record = try RunRecord(configuration: options, seed: common.seed, version: ManyBodyMLVersion.string)
            let (_, history) = try record.measure("training") {
                try ContinuationTraining.train(data: dataset, dataPath: data, options: options, output: directory,
                                               progress: common.quiet ? .quiet : .automatic)
            }
            record.finish()
            try record.write(to: directory)
            if !common.quiet, let best = history.bestEpoch, let row = history.records.first(where: { $0.epoch == best }) {
                print(String(format: "best epoch %d of %d: validation loss %.4g, validation usable fraction %.3f; wrote %@/",
                             best, history.records.count, row.validationLoss ?? .nan, 1 - (row.validationMetric ?? .nan), output))
            }
        }
    }
}
