import Foundation
import MBImpurity
import MBIO
import MBNN

/// The hyperparameter grid of a training run: every combination of hidden-layer widths,
/// learning rate and transform is trained (one value each: no search).
public struct LearnedSolverGrid: Sendable, Equatable {
    public var hidden: [[Int]]
    public var learningRates: [Double]
    public var transforms: [GreensFunctionTransform]

    public init(hidden: [[Int]], learningRates: [Double], transforms: [GreensFunctionTransform]) {
        self.hidden = hidden
        self.learningRates = learningRates
        self.transforms = transforms
    }

    /// The grid points in the order hidden, learning rate, transform (the last varying fastest).
    public var points: [(hidden: [Int], learningRate: Double, transform: GreensFunctionTransform)] {
        hidden.flatMap { h in learningRates.flatMap { lr in transforms.map { (h, lr, $0) } } }
    }

    public var isSearch: Bool { points.count > 1 }
}

/// `mbml dmft train-solver` as a library call: one network per input combination (or, with a
/// grid, one per combination and grid point, the one with the lowest validation RMSE of G kept)
/// and the files of the output directory.
///
/// Layout with one combination: DIR/model.safetensors, model.json, metrics.csv, validation.csv.
/// With several, each combination's model in DIR/<inputs joined by '+'>/ (same files) and
/// DIR/validation.csv gathering all of them. A grid search trains point k of a combination in
/// <combination dir>/grid/k/ (model and metrics) and writes DIR/grid.csv (`inputs, point, hidden,
/// learning_rate, transform, epochs_run, best_epoch, validation_loss, rmse_ml, seconds`); the best
/// point's model is saved again as the combination's model. The grid is ranked by the physical
/// validation RMSE, not the loss, because the loss of different transforms lives in different spaces.
public enum LearnedSolverTrainingPlan {
    public struct Summary {
        /// The kept model of each combination, in the order given.
        public var results: [LearnedSolverTrainingResult]
        public var validation: [LearnedSolverValidation.Line]
        /// Rows of grid.csv (empty without a search).
        public var grid: CSVTable?
        /// The directory of each kept model.
        public var directories: [String]
    }

    /// The folder name of a combination.
    public static func folderName(_ inputs: [String]) -> String { inputs.joined(separator: "+") }

    /// Validates every combination and grid point against the database (and the held-out one)
    /// before the first, long, training: settings, the fields the networks need.
    public static func check(database: ImpurityDatabase, databasePath: String, heldOut validation: (database: ImpurityDatabase, path: String)?,
                             combinations: [[String]], base: LearnedSolverSpecification, grid: LearnedSolverGrid,
                             options: LearnedSolverTrainingOptions) throws {
        precondition(!combinations.isEmpty && !grid.points.isEmpty, "a training plan needs a combination and a grid point")
        for inputs in combinations {
            for point in grid.points {
                var s = base.with(configuration: database.configuration)
                s.inputs = inputs
                s.hidden = point.hidden
                s.transform = point.transform
                try s.validate()
                try s.checkFields(of: database, path: databasePath)
                if let validation {
                    try LearnedSolverTraining.checkValidationDatabase(validation.database, path: validation.path, against: database)
                    try s.checkFields(of: validation.database, path: validation.path)
                }
                var o = options
                o.learningRate = point.learningRate
                try o.validate()
            }
        }
    }

    public static func run(database: ImpurityDatabase, databasePath: String, heldOut validation: (database: ImpurityDatabase, path: String)? = nil,
                           combinations: [[String]],
                           base: LearnedSolverSpecification, grid: LearnedSolverGrid, options: LearnedSolverTrainingOptions,
                           directory: OutputDirectory, force: Bool, progress: ProgressMode,
                           log: (String) -> Void = { _ in }) throws -> Summary {
        try check(database: database, databasePath: databasePath, heldOut: validation, combinations: combinations, base: base,
                  grid: grid, options: options)
        let cheap = (validation?.database ?? database).configuration.inputs
        var results: [LearnedSolverTrainingResult] = []
        var lines: [LearnedSolverValidation.Line] = []
        var directories: [String] = []
        var gridTable = grid.isSearch
            ? CSVTable(header: ["inputs", "point", "hidden", "learning_rate", "transform", "epochs_run", "best_epoch", "validation_loss",
                                "rmse_ml", "seconds"]) : nil
        for inputs in combinations {
            let home = combinations.count == 1 ? directory
                : try OutputDirectory.prepare(directory.path(for: folderName(inputs)), force: force)
            var best: (result: LearnedSolverTrainingResult, metrics: String)?
            for (k, point) in grid.points.enumerated() {
                var specification = base
                specification.inputs = inputs
                specification.hidden = point.hidden
                specification.transform = point.transform
                var o = options
                o.learningRate = point.learningRate
                let place = grid.isSearch ? try OutputDirectory.prepare(home.path(for: "grid/\(k)"), force: force) : home
                let description = "inputs \(inputs.joined(separator: ",")), hidden \(point.hidden.map(String.init).joined(separator: ",")), learning rate \(point.learningRate), transform \(point.transform.rawValue)"
                log("training: " + description)
                let metrics = place.path(for: "metrics.csv")
                let result = try LearnedSolverTraining.train(database: database, databasePath: databasePath, heldOut: validation,
                                                             specification: specification,
                                                             options: o, metricsPath: metrics, progress: progress)
                try result.model.save(to: place)
                log(String(format: "  %d epochs (best %d), validation RMSE of G %.3e, %.1f s", result.history.records.count,
                           result.model.info.bestEpoch, result.validationRMSE, result.seconds))
                gridTable?.append([inputs.joined(separator: ","), String(k), point.hidden.map(String.init).joined(separator: ","),
                                   String(point.learningRate), point.transform.rawValue, String(result.history.records.count),
                                   String(result.model.info.bestEpoch), String(result.model.info.validationLoss),
                                   String(result.validationRMSE), String(result.seconds)])
                if !(result.validationRMSE >= best?.result.validationRMSE ?? .infinity) { best = (result, metrics) }
            }
            let kept = best!
            if grid.isSearch {
                try kept.result.model.save(to: home)
                try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: kept.metrics)), to: home.path(for: "metrics.csv"))
            }
            let combinationLines = LearnedSolverValidation.lines(inputs: inputs, errors: kept.result.errors, cheapSolvers: cheap)
            if combinations.count > 1 {
                try LearnedSolverValidation.table(combinationLines, cheapSolvers: cheap).write(to: home.path(for: "validation.csv"))
            }
            results.append(kept.result)
            lines += combinationLines
            directories.append(home.path)
        }
        try LearnedSolverValidation.table(lines, cheapSolvers: cheap).write(to: directory.path(for: "validation.csv"))
        if let gridTable { try gridTable.write(to: directory.path(for: "grid.csv")) }
        return Summary(results: results, validation: lines, grid: gridTable, directories: directories)
    }
}
