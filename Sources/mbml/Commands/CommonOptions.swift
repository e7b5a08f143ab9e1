import ArgumentParser
import MBTensor

/// Options shared by every command that computes.
struct CommonOptions: ParsableArguments {
    @Option(help: "Seed of the random generator; the same seed and thread count repeat a run bit for bit.")
    var seed: UInt64 = 0

    @Option(help: "Threads for OpenBLAS and data-parallel work together (default: all cores).")
    var threads: Int?

    @Flag(help: "Print only results, no progress.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 {
            throw ValidationError("--threads must be a positive whole number, got \(threads)")
        }
    }

    func applyThreads() { ComputeThreads.configure(threads) }
}
