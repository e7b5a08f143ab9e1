import ArgumentParser
import Foundation
import MBContinuation
import MBIO
import MBTensor

extension ContinuationCommand {
    struct MaxEntCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maxent",
            abstract: "The MaxEnt baseline (Bryan's algorithm) on a dataset split, scored like `evaluate`.",
            discussion: """
                Each example and temperature is continued separately on the physical kernel with relative errors \
                --relative-error · |Λ|, a Lorentzian default model (fitted to the data, or of width 2 normalised by \
                the sum rule), and α chosen by the \
                χ² kink (or --alpha classic). The real-frequency grid is non-uniform up to ω = 12 000 so the 1/ω² \
                tails are inside it. Writes OUT/metrics.json (same keys as evaluate, plus MaxEnt diagnostics and \
                runtime), OUT/predictions.h5, OUT/report.html and OUT/run.json.
                """)

        enum AlphaRule: String, ExpressibleByArgument, CaseIterable { case chi2Kink = "chi2-kink", classic }
        enum DefaultModelChoice: String, ExpressibleByArgument, CaseIterable { case fitted, lorentzian }

        @Option(help: "Dataset file.") var data: String
        @Option(help: "Split: train, validation or test.") var split: DatasetSplit = .test
        @Option(help: "Continue only the first N examples of the split.") var limit: Int?
        @Option(name: .customLong("relative-error"), help: "Relative error of Λ (default: the dataset's noise, at least 1e-4).")
        var relativeError: Double?
        @Option(help: "α selection: chi2-kink or classic.") var alpha: AlphaRule = .chi2Kink
        @Option(name: .customLong("default-model"),
                help: "fitted (a one-Drude Lorentzian fitted to the data) or lorentzian (width 2, sum-rule weight).")
        var defaultModel: DefaultModelChoice = .fitted
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be ≥ 1, got \(limit)") }
            if let relativeError, !(relativeError > 0 && relativeError.isFinite) {
                throw ValidationError("--relative-error must be a positive number, got \(relativeError)")
            }
        }

        func run() throws {
            common.applyThreads()
            let dataset = try ContinuationDataset.read(from: data, splits: [split.rawValue])
            guard var examples = dataset.splits[split.rawValue], examples.count > 0 else {
                throw ContinuationDataError.missing(path: data, field: "\(split.rawValue) (a non-empty split)")
            }
            if let limit { examples = examples.prefix(limit) }
            if dataset.kernel != ContinuationKernelKind.physical.rawValue {
                print("warning: \(data) was made with the '\(dataset.kernel)' kernel; MaxEnt inverts the physical kernel")
            }
            let directory = try OutputDirectory.prepare(output, force: force)
            let error = relativeError ?? max(dataset.noise, 1e-4)
            let baseline = MaxEntBaseline(solver: MaxEnt(defaultModel: defaultModel == .fitted ? .fittedLorentzian : .lorentzian(width: 2),
                                                        alphaSelection: alpha == .classic ? .classic : .chi2Kink), relativeError: error)
            var record = try RunRecord(configuration: ["data": data, "split": split.rawValue, "relative_error": "\(error)", "alpha": alpha.rawValue,
                                                       "default_model": defaultModel.rawValue],
                                       seed: nil, version: ManyBodyMLVersion.string)
            let quiet = common.quiet
            let start = ContinuousClock.now
            let (prediction, diagnostics) = try record.measure("maxent") {
                try baseline.run(examples, temperatures: dataset.temperatures, reducedTime: dataset.reducedTime) { done, total in
                    if !quiet && (done % 10 == 0 || done == total) { print("maxent: \(done)/\(total) examples") }
                }
            }
            var metrics = ContinuationScoring.score(method: "MaxEnt (\(alpha.rawValue), \(defaultModel.rawValue) default model, relative error \(error))", examples: examples,
                                                    temperatures: dataset.temperatures, prediction: prediction,
                                                    seconds: ContinuationScoring.seconds(since: start))
            metrics.maxent = diagnostics
            try AtomicFile.write(try metrics.jsonData(), to: directory.path(for: "metrics.json"))
            try ContinuationScoring.writePredictions(prediction, to: directory.path(for: "predictions.h5"))
            try AtomicFile.write(
                text: ContinuationReport.html(title: "MaxEnt on \(data) (\(split.rawValue))", metrics: metrics, examples: examples,
                                              temperatures: dataset.temperatures, prediction: prediction, trainingLog: nil),
                to: directory.path(for: "report.html"))
            record.finish()
            try record.write(to: directory)
            if !quiet {
                if !diagnostics.failures.isEmpty { print("\(diagnostics.failures.count) of \(diagnostics.solves) solves failed; see metrics.json") }
                print(String(format: "%d solves in %.1f s (%.1f ms each on %d threads)", diagnostics.solves, metrics.seconds ?? 0,
                             diagnostics.seconds_per_solve * 1000, ComputeThreads.count))
                ContinuationScoring.printSummary(metrics, directory: directory.path)
            }
        }
    }
}
