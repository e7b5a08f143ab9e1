import ArgumentParser
import MBContinuation

struct ContinuationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "continuation",
        abstract: "Analytic continuation Λ(τ) → σ(ω) with deep networks (and a MaxEnt baseline).",
        subcommands: [GenerateCommand.self, TrainCommand.self, EvaluateCommand.self, MaxEntCommand.self, PredictCommand.self])
}

extension ContinuationDatasetKind: ExpressibleByArgument {}
extension ContinuationKernelKind: ExpressibleByArgument {}
extension ContinuationArchitecture: ExpressibleByArgument {}
extension ContinuationLoss: ExpressibleByArgument {}

/// A split of a dataset file.
enum DatasetSplit: String, ExpressibleByArgument, CaseIterable { case train, validation, test }
