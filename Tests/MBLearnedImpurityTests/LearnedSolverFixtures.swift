import Foundation
import MBImpurity
import MBLearnedImpurity
import MBTensor

/// Small databases solved in memory (debug build: a few seconds), shared by the tests.
enum Fixtures {
    /// 3 bath sites, β ∈ {2, 5}, D ∈ [0.8, 1.2], U ∈ [1, 4]: contains the Bethe-lattice problem
    /// (D = 1) at β = 4, U ≲ 4, so the DMFT test can use a model trained on it.
    static let configuration = ImpurityDatabaseConfiguration(
        seed: 21, samples: 72, bathSites: 3, betas: [2, 5], inputs: ["hubbard-i", "ipt"], interactionRange: 1...4,
        bandwidthRange: 1.6...2.4, points: 25, legendreCoefficients: 16, storedFrequencies: 32)

    static let database: ImpurityDatabase = {
        let solver = ImpuritySampleSolver(configuration: configuration)
        let records = (0..<configuration.samples).map { index in
            // The sampled problems are valid by construction; a failure here is a bug in the solvers.
            try! solver.solve(ImpuritySampleParameters.sample(index: index, configuration: configuration))
        }
        return ImpurityDatabase(configuration: configuration, records: records)
    }()

    static let specification = LearnedSolverSpecification(inputs: ["ipt", "hubbard-i"], hidden: [24, 24]).with(configuration: configuration)

    static var trainingOptions: LearnedSolverTrainingOptions {
        var options = LearnedSolverTrainingOptions()
        options.learningRate = 3e-3
        options.epochs = 60
        options.patience = 60
        options.validationFraction = 0.25
        options.seed = 4
        return options
    }

    /// A network trained on `database` (a few hundred Adam steps).
    static let trained: LearnedSolverTrainingResult = {
        try! LearnedSolverTraining.train(database: database, databasePath: "(memory)", specification: specification,
                                         options: trainingOptions, progress: .quiet)
    }()

    static func temporaryDirectory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("mbml-learned-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
