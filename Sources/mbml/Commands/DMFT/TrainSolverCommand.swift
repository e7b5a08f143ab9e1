import ArgumentParser
import Foundation
import MBImpurity
import MBIO
import MBLearnedImpurity
import MBNN
import MBTensor

extension GreensFunctionTransform: ExpressibleByArgument {}
extension LearnedSolverRepresentation: ExpressibleByArgument {}
extension LearnedSolverVariant: ExpressibleByArgument {}
extension LearnedSolverActivation: ExpressibleByArgument {}

extension DMFTCommand {
    /// `mbml dmft train-solver`: networks that correct cheap impurity solvers towards ED.
    struct TrainSolverCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-solver",
            abstract: "Train networks that turn cheap impurity solvers' G into the exact one (the learned solver for --solver ml).",
            discussion: """
                Features: T(G_s) of every --inputs solver s (order as given; --representation tau: G on the database's \
                x grid, legendre: its g_l) and the descriptors u = U/D, log βD (standardised by the training split). \
                Target: T(G_ed). The network predicts T(G_first input) + correction (--variant correction) or \
                Σ_ed − Σ_IPT on the 64 stored frequencies (--variant sigma; G by Dyson). MSE in transformed space, Adam \
                with a cosine-annealed learning rate, early stopping on the validation loss (best weights kept). Split: \
                --validation-fraction of the samples by a permutation seeded by --seed, or all of --data against all of \
                --validation-data; --augment adds every training \
                sample's particle–hole mirror. Several input combinations are separated by ';' (one network each, in \
                DIR/<inputs joined by +>/); --hidden (';'), --learning-rate and --transform (',') with several values \
                make a grid search (DIR/grid.csv; the best by validation RMSE of G is kept). Writes model.safetensors, \
                model.json, metrics.csv, validation.csv (RMSE of G per β against ed, next to every cheap solver's) \
                and run.json.
                """)

        @Option(help: "The impurity database (HDF5, from 'mbml dmft database').") var data: String
        @Option(help: "Input solvers, comma-separated; several combinations separated by ';'.") var inputs = "hubbard-i,ipt"
        @Option(help: "tau (G on the x grid) or legendre (g_l).") var representation: LearnedSolverRepresentation = .tau
        @Option(help: "identity, tanh or negative-tanh; several comma-separated for a grid search.") var transform = "identity"
        @Option(help: "correction (learn the correction to the first input's G) or sigma (learn Σ − Σ_IPT).") var variant: LearnedSolverVariant = .correction
        @Option(help: "Hidden-layer widths, comma-separated; several architectures separated by ';'.") var hidden = "51,51"
        @Option(help: "tanh or relu.") var activation: LearnedSolverActivation = .tanh
        @Option(name: .customLong("learning-rate"), help: "Adam's initial learning rate; several comma-separated for a grid search.") var learningRate = "2e-4"
        @Option(name: .customLong("batch-size"), help: "Samples per step.") var batchSize = 8
        @Option(help: "Most epochs (cosine schedule length).") var epochs = 300
        @Option(help: "Early stopping: epochs without a better validation loss.") var patience = 30
        @Option(name: .customLong("validation-fraction"), help: "Share of the samples held out for validation.") var validationFraction = 0.1
        @Option(name: .customLong("max-samples"), help: "Use only the first N samples of the database.") var maxSamples: Int?
        @Option(name: .customLong("validation-data"),
                help: "A separate held-out database (e.g. another --seed): all of --data trains, all of it validates (--validation-fraction is then unused).")
        var validationData: String?
        @Flag(inversion: .prefixedNo, help: "Add each training sample's particle–hole mirror.") var augment = true
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func combinations() throws -> [[String]] {
            let list = inputs.split(separator: ";").map { combination in
                combination.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            guard !list.isEmpty, list.allSatisfy({ !$0.isEmpty }) else {
                throw ValidationError("--inputs must list solvers (e.g. hubbard-i,ipt; combinations separated by ';'), got '\(inputs)'")
            }
            return list
        }

        func grid() throws -> LearnedSolverGrid {
            let widths = try hidden.split(separator: ";").map { architecture in
                try architecture.split(separator: ",").map { field -> Int in
                    guard let width = Int(field.trimmingCharacters(in: .whitespaces)), width >= 1 else {
                        throw ValidationError("--hidden must be positive widths like 51,51 (architectures separated by ';'), got '\(hidden)'")
                    }
                    return width
                }
            }
            let rates = try learningRate.split(separator: ",").map { field -> Double in
                guard let rate = Double(field.trimmingCharacters(in: .whitespaces)), rate > 0, rate.isFinite else {
                    throw ValidationError("--learning-rate must be positive numbers, got '\(learningRate)'")
                }
                return rate
            }
            let transforms = try transform.split(separator: ",").map { field -> GreensFunctionTransform in
                guard let t = GreensFunctionTransform(rawValue: field.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--transform must be identity, tanh or negative-tanh (comma-separated), got '\(transform)'")
                }
                return t
            }
            guard !widths.isEmpty, !rates.isEmpty, !transforms.isEmpty else { throw ValidationError("empty --hidden, --learning-rate or --transform") }
            return LearnedSolverGrid(hidden: widths, learningRates: rates, transforms: transforms)
        }

        func trainingOptions() -> LearnedSolverTrainingOptions {
            var options = LearnedSolverTrainingOptions()
            options.batchSize = batchSize
            options.epochs = epochs
            options.patience = patience
            options.validationFraction = validationFraction
            options.seed = common.seed
            options.augment = augment
            return options
        }

        func validate() throws {
            _ = try combinations()
            _ = try grid()
            if let maxSamples, maxSamples < 2 { throw ValidationError("--max-samples must be at least 2, got \(maxSamples)") }
            do { try trainingOptions().validate() } catch { throw ValidationError("\(error)") }
        }

        func run() throws {
            common.applyThreads()
            var database = try ImpurityDatabase(contentsOf: data)
            if let maxSamples, maxSamples < database.count {
                database = ImpurityDatabase(configuration: database.configuration, records: (0..<maxSamples).map { database[$0] })
            }
            let validation = try validationData.map { (database: try ImpurityDatabase(contentsOf: $0), path: $0) }
            let combinations = try combinations(), grid = try grid(), options = trainingOptions()
            let base = LearnedSolverSpecification(inputs: combinations[0], representation: representation, variant: variant,
                                                  activation: activation)
            try LearnedSolverTrainingPlan.check(database: database, databasePath: data, heldOut: validation, combinations: combinations,
                                                base: base, grid: grid, options: options)
            let directory = try OutputDirectory.prepare(output, force: force)
            struct Configuration: Encodable {
                let data: String, inputs: String, representation: String, transform: String, variant: String, hidden: String
                let activation: String, learning_rate: String, batch_size: Int, epochs: Int, patience: Int
                let validation_fraction: Double, validation_data: String?, augment: Bool, samples: Int
            }
            var record = try RunRecord(configuration: Configuration(
                data: data, inputs: inputs, representation: representation.rawValue, transform: transform, variant: variant.rawValue,
                hidden: hidden, activation: activation.rawValue, learning_rate: learningRate, batch_size: batchSize, epochs: epochs,
                patience: patience, validation_fraction: validationFraction, validation_data: validationData, augment: augment,
                samples: database.count),
                seed: common.seed, version: ManyBodyMLVersion.string)
            let quiet = common.quiet
            let summary = try record.measure("training") {
                try LearnedSolverTrainingPlan.run(database: database, databasePath: data, heldOut: validation,
                                                  combinations: combinations, base: base,
                                                  grid: grid, options: options, directory: directory, force: force,
                                                  progress: quiet ? .quiet : .automatic) { line in
                    if !quiet { print(line) }
                }
            }
            record.finish()
            try record.write(to: directory)
            guard !quiet else { return }
            func padded(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
            print("validation RMSE of G(x) against ed (mean over samples), per β:")
            print(padded("inputs", 34) + padded("beta", 6) + padded("samples", 9) + padded("ml", 11) + padded("best input", 11) + "ratio")
            for line in summary.validation {
                print(padded(line.inputs.joined(separator: ","), 34) + padded(line.beta, 6) + padded(String(line.samples), 9)
                      + padded(String(format: "%.3e", line.machineLearned), 11) + padded(String(format: "%.3e", line.solvers[line.bestInput]!), 11)
                      + String(format: "%.2f", line.ratioInputs) + " (\(line.bestInput))")
            }
            let files = "model.safetensors, model.json, metrics.csv" + (combinations.count > 1 ? " in " + summary.directories.joined(separator: ", ") : "")
            print("wrote \(directory.path)/: \(files), validation.csv\(grid.isSearch ? ", grid.csv" : ""), run.json")
        }
    }
}
