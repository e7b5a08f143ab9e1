import ArgumentParser
import Foundation
import MBContinuation
import MBIO

extension ContinuationCommand {
    struct GenerateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Generate a dataset of Λ(τ) at 10 temperatures with three-Drude σ(ω) labels (HDF5).",
            discussion: """
                Each example: σ(ω, T) = Σ_k α_k γ_k/(ω² + γ_k²), γ_k(T) = γ0_k + γ1_k T², α uniform on the simplex; \
                Λ at T = 0.1…1.0 and x = τT = (k + ½)/200. Datasets: easy (all terms 'easy at all T'), mixed \
                (one distribution per example for all terms), element-mixed (easy / hard at high T / hard at low T), \
                hard (all 'hard at all T'); the ranges are in the README. Kernels: physical (the bosonic \
                integral, exact) or paper (the paper's series (4)–(6) as printed, --lambda-precision terms).
                """)

        @Option(help: "Distribution of the Drude widths: \(ContinuationDatasetKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var dataset: ContinuationDatasetKind
        @Option(help: "How Λ is computed from σ: physical or paper.")
        var kernel: ContinuationKernelKind = .physical
        @Option(help: "Training examples.") var train = 2000
        @Option(help: "Validation examples.") var validation = 200
        @Option(help: "Test examples.") var test = 200
        @Option(name: .customLong("lambda-precision"), help: "Terms of the paper kernel's series (6).") var lambdaPrecision = 1000
        @Option(help: "Relative Gaussian noise on Λ: Λ(1 + noise·η), η ~ N(0, 1).") var noise = 0.0
        @Option(help: "Output HDF5 file.") var output: String
        @Flag(help: "Replace an existing output file.") var force = false
        @OptionGroup var common: CommonOptions

        func validate() throws {
            for (name, value) in [("--train", train), ("--validation", validation), ("--test", test)] where value < 0 {
                throw ValidationError("\(name) must be ≥ 0, got \(value)")
            }
            guard train + validation + test > 0 else { throw ValidationError("--train, --validation and --test are all 0: nothing to generate") }
            guard lambdaPrecision >= 1 else { throw ValidationError("--lambda-precision must be ≥ 1, got \(lambdaPrecision)") }
            guard noise.isFinite, noise >= 0 else { throw ValidationError("--noise must be a finite number ≥ 0, got \(noise)") }
        }

        func run() throws {
            common.applyThreads()
            if FileManager.default.fileExists(atPath: output) && !force {
                throw ValidationError("\(output) exists; pass --force to replace it")
            }
            var configuration = ContinuationDataset.Configuration(dataset: dataset, kernel: kernel)
            configuration.train = train
            configuration.validation = validation
            configuration.test = test
            configuration.lambdaPrecision = lambdaPrecision
            configuration.noise = noise
            configuration.seed = common.seed
            var record = try RunRecord(configuration: configuration, seed: common.seed, version: ManyBodyMLVersion.string)
            let data = record.measure("generation") { ContinuationDataset.generate(configuration) }
            try data.write(to: output)
            record.finish()
            try record.write(toFile: RunRecordPath.beside(output))
            if !common.quiet {
                print(String(format: "wrote %@: %d train, %d validation, %d test examples (%@ kernel, %@) in %.2f s; run record %@",
                             output, train, validation, test, kernel.rawValue, dataset.rawValue,
                             record.durations["generation"] ?? 0, RunRecordPath.beside(output)))
            }
        }
    }
}

/// Where a command that writes a single file puts its run record: `FILE.run.json`.
enum RunRecordPath {
    static func beside(_ file: String) -> String {
        let base = (file as NSString).deletingPathExtension
        return base + ".run.json"
    }
}
