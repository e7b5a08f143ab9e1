import ArgumentParser
import Foundation
import MBContinuation
import MBIO
import MBTensor

extension ContinuationCommand {
    struct PredictCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "predict",
            abstract: "σ(ω) with an uncertainty band from your Λ(τ), with one model or an ensemble.",
            discussion: """
                Input: CSV with header T,tau,lambda[,error] (τ in [0, 1/T], increasing per T; all 10 \
                temperatures 0.1…1.0; other τ grids are interpolated in τT) or HDF5 in the dataset layout. \
                Output: OUT/sigma.csv (example,T,omega,sigma,sigma_std), OUT/sigma.h5, OUT/sigma.svg (first \
                example), OUT/run.json. The band is the spread over the models and, when errors are given, over \
                --noise-samples noisy copies of Λ.
                """)

        @Option(help: "Model directories, comma-separated (an ensemble).") var model: String
        @Option(help: "Λ(τ): .csv (T,tau,lambda[,error]) or .h5 (dataset layout).") var input: String
        @Option(help: "HDF5 split to read when the file has no root 'lambda'.") var split: DatasetSplit = .test
        @Option(name: .customLong("noise-samples"), help: "Noisy copies of Λ per model when errors are given.") var noiseSamples = 32
        @Option(help: "Output directory.") var output: String
        @Flag(help: "Write into a non-empty output directory.") var force = false
        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard noiseSamples >= 0 else { throw ValidationError("--noise-samples must be ≥ 0, got \(noiseSamples)") }
            guard !model.split(separator: ",").isEmpty else { throw ValidationError("--model needs at least one model directory") }
        }

        func run() throws {
            common.applyThreads()
            let paths = model.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let ensemble = try ContinuationEnsemble(paths: paths)
            let data = try UserLambda.read(input, temperatures: ensemble.info.temperatures, reducedTime: ensemble.info.reduced_time, split: split.rawValue)
            let directory = try OutputDirectory.prepare(output, force: force)
            var record = try RunRecord(configuration: ["model": model, "input": input, "noise_samples": "\(noiseSamples)"],
                                       seed: common.seed, version: ManyBodyMLVersion.string)
            var generator = RandomGenerator(seed: common.seed)
            let (mean, deviation, draws) = record.measure("prediction") { ensemble.predict(data, noiseSamples: noiseSamples, generator: &generator) }
            let temperatures = ensemble.info.temperatures, omegas = ContinuationGrids.frequencies
            var csv = CSVTable(header: ["example", "T", "omega", "sigma", "sigma_std"])
            let m = mean.scalars, s = deviation.scalars
            for e in 0..<mean.shape[0] {
                for (t, T) in temperatures.enumerated() {
                    for (j, omega) in omegas.enumerated() {
                        let i = (e * temperatures.count + t) * omegas.count + j
                        csv.append([String(e), String(T), String(omega), String(m[i]), String(s[i])])
                    }
                }
            }
            try csv.write(to: directory.path(for: "sigma.csv"))
            try HDF5File.writeAtomically(to: directory.path(for: "sigma.h5")) { file in
                try file.write(temperatures, at: "temperatures")
                try file.write(omegas, at: "frequencies")
                try file.write(mean, at: "sigma")
                try file.write(deviation, at: "sigma_std")
            }
            let plot = ContinuationEnsemble.plot(mean: mean, standardDeviation: deviation, index: 0, temperatures: temperatures,
                                                 title: "σ(ω) from \(input) (\(paths.count) model\(paths.count == 1 ? "" : "s"), band ±1 std)")
            try AtomicFile.write(text: plot.svg(), to: directory.path(for: "sigma.svg"))
            record.finish()
            try record.write(to: directory)
            if !common.quiet {
                if data.interpolated { print("note: Λ was interpolated in τT onto the model's 200-point grid") }
                if paths.count == 1 && data.errors == nil { print("note: one model and no errors given: the band is zero; pass several models for an ensemble band") }
                print("σ(ω) for \(mean.shape[0]) input(s) from \(draws) prediction(s) each; wrote \(directory.path)/: sigma.csv, sigma.h5, sigma.svg, run.json")
            }
        }
    }
}
