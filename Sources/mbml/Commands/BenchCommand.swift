import ArgumentParser
import Foundation
import MBBench
import MBTensor

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Performance benchmarks (run a release build: swift run -c release mbml bench …).",
        subcommands: [BenchCoreCommand.self])
}

struct BenchCoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Train and time the reference models of the peer benchmarks; print one JSON object.",
        discussion: """
            Rows use the keys of the `summary` rows of the peer benchmarks' results.json (bench, model, \
            metric, unit, value), so they can be set beside PyTorch and JAX run on the same machine; \
            scripts/bench-vs-peers runs both, alternately, and prints the table with the ratios.
            """)

    @Option(help: "Comma-separated suites: \(CoreBenchmark.Suite.selectable.map(\.rawValue).joined(separator: ", ")).")
    var only: String?

    @Option(help: "Timed repetitions per figure (median reported).")
    var repetitions = 5

    @Option(help: "Threads for OpenBLAS and our own loops.")
    var threads = 2

    @Option(help: "Seed for the synthetic data and initial weights.")
    var seed: UInt64 = 0

    @Option(help: "Also write the JSON to this file.")
    var output: String?

    @Flag(help: "Replace an existing --output file.")
    var force = false

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1, got \(repetitions)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        _ = try selectedSuites()
        if let output, !force, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("--output \(output) exists; pass --force to replace it")
        }
    }

    func selectedSuites() throws -> [CoreBenchmark.Suite] {
        guard let only else { return CoreBenchmark.Suite.allCases }
        return try only.split(separator: ",").map { name in
            guard let suite = CoreBenchmark.Suite(rawValue: String(name).trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--only: unknown suite '\(name)'; expected some of \(CoreBenchmark.Suite.selectable.map(\.rawValue).joined(separator: ", "))")
            }
            return suite
        }
    }

    func run() throws {
        ComputeThreads.configure(threads)
        let bench = CoreBenchmark(suites: try selectedSuites(), repetitions: repetitions, seed: seed) { line in
            FileHandle.standardError.write((line + "\n").data(using: .utf8)!)
        }
        let records = bench.run()
        struct Report: Encodable {
            let framework = "ManyBodyML"
            let version = ManyBodyMLVersion.string
            let threads: Int
            let openblasCoretype = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
            let summary: [BenchmarkRecord]
            enum CodingKeys: String, CodingKey { case framework, version, threads, openblasCoretype = "openblas_coretype", summary }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Report(threads: threads, summary: records))
        print(String(decoding: data, as: UTF8.self))
        if let output { try data.write(to: URL(fileURLWithPath: output), options: .atomic) }
    }
}
