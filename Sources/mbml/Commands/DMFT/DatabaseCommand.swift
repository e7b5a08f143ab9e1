import ArgumentParser
import Foundation
import MBImpurity
import MBTensor

extension DMFTCommand {
    /// `mbml dmft database` builds a training database of random impurity problems (the default
    /// subcommand `build`); `mbml dmft database merge` joins the shards of a job array.
    struct DatabaseCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "database",
            abstract: "Build (or merge the shards of) a database of random impurity problems solved by cheap and exact solvers.",
            subcommands: [BuildDatabaseCommand.self, MergeDatabaseCommand.self],
            defaultSubcommand: BuildDatabaseCommand.self)
    }

    struct BuildDatabaseCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build an impurity database (the default of 'mbml dmft database').",
            discussion: """
                Sample k (k = 0..<N) draws from its own generator seeded by (--seed, k): U uniform in --u-range, bandwidth \
                W = 2D uniform in --w-range, β from --beta, Nb bath energies spanning exactly 2D shifted by a common offset \
                D·s (s uniform in [−0.25, 0.25]: asymmetric baths away from half filling), hoppings with Σ V² = D²/4, μ = U/2. \
                Each sample is solved by the target 'ed' (exact diagonalisation of its bath) and every --inputs solver \
                (hubbard-i, ipt on the bath's continuous Δ(iω); edK: ED after fitting Δ onto K sites). Stored per solver: \
                G(x) on P Chebyshev–Lobatto points x = 2τ/β − 1, Legendre coefficients G_l/β, n, ⟨n↑n↓⟩, seconds; G(iω) \
                and Σ(iω) on 64 frequencies for ed and ipt. Chunks of --chunk samples are written to OUTPUT.parts/ as they \
                finish; rerunning the same command resumes; when all are done they are assembled into OUTPUT (HDF5). \
                --shard i/n builds the index range [iN/n, (i+1)N/n) only; join shards with 'mbml dmft database merge'.
                """)

        @Option(help: "N, the samples of the whole database (all shards).") var samples: Int
        @Option(name: .customLong("bath-sites"), help: "Nb, bath sites of every problem (the target's bath), 1…6.") var bathSites = 4
        @Option(name: .customLong("beta"), help: "Inverse temperatures β to draw from (comma-separated).") var betas = "1,2,5,10,20,50"
        @Option(help: "Cheap solvers, comma-separated: hubbard-i, ipt, ed1…ed6.") var inputs = "hubbard-i,ipt,ed1,ed2,ed3"
        @Option(help: "The exact solver (only 'ed').") var target = "ed"
        @Option(name: .customLong("u-range"), help: "U range lo:hi.") var uRange = "1:10"
        @Option(name: .customLong("w-range"), help: "Bandwidth W = 2D range lo:hi.") var wRange = "1:10"
        @Option(help: "P, points of the G(x) grid.") var points = 51
        @Option(help: "L, Legendre coefficients per solver.") var legendre = 40
        @Option(help: "This job's shard i/n of the index range.") var shard = "0/1"
        @Option(help: "Samples per resumable chunk.") var chunk = 64
        @Option(help: "Output HDF5 file.") var output: String
        @OptionGroup var common: CommonOptions

        static func numbers(_ text: String, _ option: String) throws -> [Double] {
            try text.split(separator: ",").map { field in
                guard let value = Double(field.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw ValidationError("\(option) must be comma-separated numbers, got '\(field)' in '\(text)'")
                }
                return value
            }
        }

        static func range(_ text: String, _ option: String) throws -> ClosedRange<Double> {
            let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low.isFinite, high.isFinite, low <= high else {
                throw ValidationError("\(option) must be lo:hi with lo ≤ hi, got '\(text)'")
            }
            return low...high
        }

        func databaseConfiguration() throws -> ImpurityDatabaseConfiguration {
            guard let shard = ImpurityDatabaseConfiguration.Shard(shard) else {
                throw ValidationError("--shard must be i/n (e.g. 0/4), got '\(self.shard)'")
            }
            return ImpurityDatabaseConfiguration(
                seed: common.seed, samples: samples, bathSites: bathSites, betas: try Self.numbers(betas, "--beta"),
                inputs: inputs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, target: target,
                interactionRange: try Self.range(uRange, "--u-range"), bandwidthRange: try Self.range(wRange, "--w-range"),
                points: points, legendreCoefficients: legendre, shard: shard)
        }

        func validate() throws {
            guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
            guard chunk >= 1 else { throw ValidationError("--chunk must be at least 1, got \(chunk)") }
            do {
                try databaseConfiguration().validate()
            } catch let error as ImpurityDatabaseError {
                throw ValidationError("\(error)")
            }
        }

        func run() throws {
            // Samples run in parallel, one per worker; inside a worker everything is serial
            // (OpenBLAS and our loops on one thread), which is faster for these small problems.
            let workers = common.threads ?? ProcessInfo.processInfo.activeProcessorCount
            ComputeThreads.configure(1)
            let configuration = try databaseConfiguration()
            let builder = try ImpurityDatabaseBuilder(configuration: configuration, chunkSize: chunk, workers: workers)
            let quiet = common.quiet
            let summary = try builder.build(output: output) { progress in
                guard !quiet else { return }
                let percent = 100 * Double(progress.done) / Double(max(progress.total, 1))
                var line = String(format: "%d/%d samples (%.1f%%)", progress.done, progress.total, percent)
                if progress.computed > 0 {
                    line += String(format: ", %.2f samples/s, ETA %@", progress.samplesPerSecond, Self.duration(progress.remainingSeconds))
                }
                FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
            }
            if summary.alreadyComplete {
                print("\(output) is already complete (\(summary.samples) samples); nothing to do")
                return
            }
            guard !quiet else { return }
            print(String(format: "wrote %@: %d samples (%d computed, %d chunks resumed) in %.1f s with %d worker(s): %.2f samples/s",
                         output, summary.samples, summary.computed, summary.resumedChunks, summary.seconds, workers,
                         Double(summary.computed) / max(summary.seconds, 1e-9)))
            if summary.computed > 0 {
                let perSolver = configuration.solvers.map { solver in
                    String(format: "%@ %.2f ms", solver.name, 1000 * (summary.solverSeconds[solver.name] ?? 0) / Double(summary.computed))
                }
                print("solver time per sample: " + perSolver.joined(separator: ", "))
            }
        }

        static func duration(_ seconds: Double) -> String {
            guard seconds.isFinite else { return "?" }
            let s = Int(seconds.rounded())
            return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
        }
    }

    struct MergeDatabaseCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Join the shards of one database build into one file.",
            discussion: """
                The shards must come from one run (same seed, samples, ranges, solvers and grids; only --shard differs) \
                and together hold every sample exactly once; otherwise the file and the differing field are named and \
                nothing is written. The result is the file an unsharded build writes (rows by global index).
                """)

        @Option(help: "Output HDF5 file.") var output: String
        @Argument(help: "The shard files.") var shards: [String]
        @Flag(help: "Print nothing.") var quiet = false

        func validate() throws {
            guard !shards.isEmpty else { throw ValidationError("give the shard files to merge") }
        }

        func run() throws {
            let merged = try ImpurityDatabase.mergeShards(shards, into: output)
            if !quiet { print("wrote \(output): \(merged.count) samples from \(shards.count) shard(s)") }
        }
    }
}
