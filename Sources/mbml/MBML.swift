import ArgumentParser
import MBTensor

@main
struct MBML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mbml",
        abstract: "ManyBodyML: neural networks for the inverse problems of quantum many-body physics.",
        version: ManyBodyMLVersion.string,
        subcommands: [DemoCommand.self, ContinuationCommand.self, DMFTCommand.self, BenchCommand.self])
}

enum ManyBodyMLVersion {
    static let string = "0.1.0"
}
