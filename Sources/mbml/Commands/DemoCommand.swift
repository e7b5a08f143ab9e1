import ArgumentParser
import Foundation
import MBContinuation
import MBImpurity
import MBIO
import MBNN
import MBTensor

/// The analytic-continuation pipeline, small: generate, train, evaluate, report.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the analytic-continuation pipeline end to end on built-in defaults (a few minutes).",
        discussion: """
            Generates an element-mixed dataset with the physical kernel (8000 train, 200 validation, 200 test \
            examples), trains the 1D CNN with the direct σ(ω) head, scores it on the test split and writes an \
            HTML report. Output in --output: data.h5, model/ (weights, model.json, metrics.csv), \
            evaluation/ (metrics.json, predictions.h5, report.html), then sweeps U through the Mott transition with \
            IPT-DMFT on the Bethe lattice (β = 50) into dmft-sweep/ (sweep.csv, sweep.svg, summary.json); run.json. \
            A previous demo output there is replaced.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Training epochs.") var epochs = 40
    @Option(help: "Training examples.") var train = 8000
    @Option(help: "Output folder.") var output = "mbml-demo"
    @Flag(help: "Write into --output even if it holds files of something else.") var force = false

    struct Configuration: Encodable {
        let dataset: ContinuationDataset.Configuration
        let training: ContinuationTrainingOptions
    }

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
        guard train >= 10 else { throw ValidationError("--train must be at least 10, got \(train)") }
    }

    func run() throws {
        common.applyThreads()
        let directory = try OutputDirectory.prepare(output, force: force || Self.holdsPreviousDemo(output))
        var dataConfiguration = ContinuationDataset.Configuration(dataset: .elementMixed, kernel: .physical)
        dataConfiguration.train = train
        dataConfiguration.seed = common.seed
        var options = ContinuationTrainingOptions(architecture: .cnn1d, loss: .direct)
        options.epochs = epochs
        options.patience = epochs
        options.seed = common.seed
        var record = try RunRecord(configuration: Configuration(dataset: dataConfiguration, training: options),
                                   seed: common.seed, version: ManyBodyMLVersion.string)
        func say(_ text: String) { if !common.quiet { print(text) } }

        say("1/4 generating \(train) + 200 + 200 element-mixed examples (Λ at 10 temperatures × 200 τ, physical kernel)")
        let data = record.measure("generation") { ContinuationDataset.generate(dataConfiguration) }
        let dataPath = directory.path(for: "data.h5")
        try data.write(to: dataPath)

        say("2/4 training the 1D CNN with the direct log σ(ω) head for \(epochs) epochs")
        let modelDirectory = try OutputDirectory.prepare(directory.path(for: "model"), force: true)
        let (model, _) = try record.measure("training") {
            try ContinuationTraining.train(data: data, dataPath: dataPath, options: options, output: modelDirectory,
                                           progress: common.quiet ? .quiet : .automatic)
        }

        say("3/4 scoring on the test split")
        let test = data.splits["test"]!
        let evaluation = try OutputDirectory.prepare(directory.path(for: "evaluation"), force: true)
        let start = ContinuousClock.now
        let prediction = model.predict(test.lambda, temperatures: data.temperatures, frequencies: ContinuationGrids.frequencies)
        let metrics = ContinuationScoring.score(method: "cnn1d, loss direct", examples: test, temperatures: data.temperatures,
                                                prediction: prediction, seconds: ContinuationScoring.seconds(since: start))
        try AtomicFile.write(try metrics.jsonData(), to: evaluation.path(for: "metrics.json"))
        try ContinuationScoring.writePredictions(prediction, to: evaluation.path(for: "predictions.h5"))
        let reportPath = evaluation.path(for: "report.html")
        try AtomicFile.write(
            text: ContinuationReport.html(title: "mbml demo: cnn1d, direct head, element-mixed (physical kernel)", metrics: metrics,
                                          examples: test, temperatures: data.temperatures, prediction: prediction,
                                          trainingLog: try? String(contentsOfFile: modelDirectory.path(for: "metrics.csv"), encoding: .utf8)),
            to: reportPath)
        if !common.quiet { ContinuationScoring.printSummary(metrics, directory: evaluation.path) }

        say("4/4 DMFT: an IPT sweep through the Mott transition on the Bethe lattice (β = 50, U = 2.0 … 3.4, up and down)")
        let sweepDirectory = try OutputDirectory.prepare(directory.path(for: "dmft-sweep"), force: true)
        let dmftOptions = try DMFTOptions.parse(["--beta", "50", "--frequencies", "1024"])
        let us = (0...14).map { 2.0 + 0.1 * Double($0) }
        let (uc1, uc2) = try record.measure("dmft sweep") {
            try DMFTCommand.SweepCommand.perform(options: dmftOptions, solver: IterativePerturbationTheory(), values: us, direction: .both, directory: sweepDirectory, quiet: true)
        }
        record.finish()
        try record.write(to: directory)
        if !common.quiet {
            print(String(format: "Mott transition (IPT, β = 50): coexistence of metal and insulator from Uc1 = %@ to Uc2 = %@; plot %@",
                         uc1.map { String(format: "%.1f", $0) } ?? "–", uc2.map { String(format: "%.1f", $0) } ?? "–",
                         sweepDirectory.path(for: "sweep.svg")))
            print(String(format: "total %.0f s. Open the report: %@", record.wallTimeSeconds ?? 0, reportPath))
        }
    }

    /// A folder written by an earlier `mbml demo` (its run.json names the demo command).
    static func holdsPreviousDemo(_ path: String) -> Bool {
        guard let record = try? RunRecord.read(from: (path as NSString).appendingPathComponent(RunRecord.fileName)) else {
            return false
        }
        return record.commandLine.dropFirst().first == "demo"
    }
}
