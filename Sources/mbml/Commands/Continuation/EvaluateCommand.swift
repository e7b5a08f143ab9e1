import ArgumentParser
import Foundation
import MBContinuation
import MBIO
import MBTensor

extension ContinuationCommand {
    struct EvaluateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Score a trained model on a dataset split: metrics.json, predictions.h5 and report.html.",
            discussion: """
                usable_fraction is the share of examples whose σ/σ̂ stays in [0.8, 1.2] at all 10 temperatures \
                on ω ∈ [0, 10] (201 points); σ is recomputed from the labels on that grid.
                """)

        @Option(help: "Model directory written by `mbml continuation train`.") var model: String
        @Option(help: "Dataset file.") var data: String
        @Option(help: "Split to score: train, validation or test.") var split: DatasetSplit = .test
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func run() throws {
            common.applyThreads()
            let (network, info) = try ContinuationModelDirectory.load(model)
            let dataset = try ContinuationDataset.read(from: data, splits: [split.rawValue])
            guard let examples = dataset.splits[split.rawValue], examples.count > 0 else {
                throw ContinuationDataError.missing(path: data, field: "\(split.rawValue) (a non-empty split)")
            }
            try ContinuationScoring.checkCompatible(info, dataset, modelPath: model, dataPath: data)
            let directory = try OutputDirectory.prepare(output, force: force)
            var record = try RunRecord(configuration: ["model": model, "data": data, "split": split.rawValue], seed: nil,
                                       version: ManyBodyMLVersion.string)
            let start = ContinuousClock.now
            let prediction = network.predict(examples.lambda, temperatures: dataset.temperatures, frequencies: ContinuationGrids.frequencies)
            let seconds = ContinuationScoring.seconds(since: start)
            record.recordDuration("prediction", seconds: seconds)
            let metrics = ContinuationScoring.score(
                method: "\(info.architecture.rawValue), loss \(info.loss.rawValue)", examples: examples,
                temperatures: dataset.temperatures, prediction: prediction, seconds: seconds)
            try AtomicFile.write(try metrics.jsonData(), to: directory.path(for: "metrics.json"))
            try ContinuationScoring.writePredictions(prediction, to: directory.path(for: "predictions.h5"))
            let curves = try? String(contentsOfFile: (model as NSString).appendingPathComponent("metrics.csv"), encoding: .utf8)
            try AtomicFile.write(
                text: ContinuationReport.html(title: "\(info.architecture.rawValue), loss \(info.loss.rawValue) on \(data) (\(split.rawValue))",
                                              metrics: metrics, examples: examples, temperatures: dataset.temperatures,
                                              prediction: prediction, trainingLog: curves),
                to: directory.path(for: "report.html"))
            record.finish()
            try record.write(to: directory)
            if !common.quiet { ContinuationScoring.printSummary(metrics, directory: directory.path) }
        }
    }
}
