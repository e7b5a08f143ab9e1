import Foundation
import MBImpurity
import MBNN
import MBTensor

/// A trained network and what its training measured.
public struct LearnedSolverTrainingResult: Sendable {
    public let model: LearnedSolverModel
    public let history: TrainingHistory
    /// Per-sample errors on the validation split (network and every cheap solver).
    public let errors: [LearnedSolverValidation.SampleErrors]
    public let seconds: Double

    /// Mean network RMSE over the validation split.
    public var validationRMSE: Double { errors.reduce(0) { $0 + $1.machineLearned } / Double(max(errors.count, 1)) }
}

/// Trains one network on a database (`mbml dmft train-solver` for one input combination and one
/// point of the grid search).
///
/// Samples and split: `LearnedSolverSamples` (seeded permutation, mirrors added to the training
/// split). Loss: the mean squared error of the network's output against the target in
/// transformed space (`LearnedSolverSpecification`), over the output components and the batch.
/// Optimiser: Adam, the learning rate annealed per epoch by a cosine from `learningRate` to 1/100
/// of it over `epochs`; shuffled batches of `batchSize`; the validation loss after every epoch;
/// early stopping after `patience` epochs without improvement, the best epoch's weights restored;
/// the epoch log in `metricsPath` (MBNN's `Trainer`). The initial weights draw from
/// `RandomGenerator(seed:).split()` (the split draws from the unsplit generator), the batches
/// from the generator after that. `heldOut`: a separate held-out database (every row of
/// `database` then trains; `checkValidationDatabase` must accept it).
public enum LearnedSolverTraining {
    public static func train(database: ImpurityDatabase, databasePath: String, heldOut validation: (database: ImpurityDatabase, path: String)? = nil,
                             specification requested: LearnedSolverSpecification,
                             options: LearnedSolverTrainingOptions, metricsPath: String? = nil,
                             progress: ProgressMode = .automatic) throws -> LearnedSolverTrainingResult {
        let clock = ContinuousClock()
        let start = clock.now
        let specification = requested.with(configuration: database.configuration)
        try specification.validate()
        try options.validate()
        try specification.checkFields(of: database, path: databasePath)
        if let validation {
            try checkValidationDatabase(validation.database, path: validation.path, against: database)
            try specification.checkFields(of: validation.database, path: validation.path)
        }
        let needed = validation == nil ? 2 : 1
        guard database.count >= needed else {
            throw LearnedSolverError.invalidSetting(field: "data", value: "\(database.count) samples",
                                                    requirement: "training needs at least \(needed) sample\(needed == 1 ? "" : "s")")
        }
        let samples = LearnedSolverSamples(database: database, validationDatabase: validation?.database, specification: specification,
                                           validationFraction: options.validationFraction, seed: options.seed, augment: options.augment)
        var splitter = RandomGenerator(seed: options.seed)
        var generator = splitter.split()
        let network = LearnedSolverNetwork(specification: specification, generator: &generator)
        network.setNormalization(features: samples.trainingFeatures, targets: samples.trainingTargets)
        let training = TensorDataset(inputs: network.standardized(samples.trainingFeatures), targets: samples.trainingTargets)
        let validationSet = TensorDataset(inputs: network.standardized(samples.validationFeatures), targets: samples.validationTargets)

        var settings = TrainingConfiguration(epochs: options.epochs, batchSize: options.batchSize)
        settings.validationBatchSize = 4096
        settings.schedule = CosineAnnealing(initial: options.learningRate, period: options.epochs, minimum: options.learningRate / 100)
        settings.scheduleInterval = .epoch
        settings.earlyStopping = EarlyStopping(patience: options.patience)
        settings.monitor = .validationLoss
        settings.progress = progress
        settings.metricsPath = metricsPath
        let trainer = Trainer<LearnedSolverNetwork, TensorDataset<Double>, Adam<Double>>(
            model: network, optimizer: Adam(learningRate: options.learningRate), configuration: settings) { model, batch in
            meanSquaredError(model(batch.inputs), batch.targets)
        }
        let history = try trainer.fit(training: training, validation: validationSet, generator: &generator)
        let validationLoss = try trainer.evaluate(validationSet).loss

        let provisional = LearnedSolverModel(network: network, info: info(specification, network, samples, database, databasePath, options,
                                                                          history, validationLoss, .nan))
        let errors = LearnedSolverValidation.evaluate(models: [provisional], database: validation?.database ?? database,
                                                      rows: samples.validationRows)
        let rmse = errors.reduce(0) { $0 + $1.machineLearned } / Double(max(errors.count, 1))
        let model = LearnedSolverModel(network: network, info: info(specification, network, samples, database, databasePath, options,
                                                                    history, validationLoss, rmse))
        let elapsed = clock.now - start
        return LearnedSolverTrainingResult(model: model, history: history, errors: errors,
                                           seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// A held-out database must pose its problems like the training one: the same target and bath
    /// size, grid, Legendre order and stored frequencies (its ranges, β list and seed may differ).
    public static func checkValidationDatabase(_ held: ImpurityDatabase, path: String, against training: ImpurityDatabase) throws(LearnedSolverError) {
        let a = held.configuration, b = training.configuration
        let fields: [(String, String, String)] = [
            ("target", a.target, b.target), ("bath_sites", "\(a.bathSites)", "\(b.bathSites)"), ("points", "\(a.points)", "\(b.points)"),
            ("legendre_coefficients", "\(a.legendreCoefficients)", "\(b.legendreCoefficients)"),
            ("stored_frequencies", "\(a.storedFrequencies)", "\(b.storedFrequencies)"),
        ]
        for (field, value, expected) in fields where value != expected {
            throw .invalidSetting(field: "validation-data '\(path)' \(field)", value: value, requirement: "must equal the training database's \(expected)")
        }
        guard held.count >= 1 else {
            throw .invalidSetting(field: "validation-data '\(path)'", value: "0 samples", requirement: "needs at least 1 sample")
        }
    }

    static func info(_ specification: LearnedSolverSpecification, _ network: LearnedSolverNetwork, _ samples: LearnedSolverSamples,
                     _ database: ImpurityDatabase, _ path: String, _ options: LearnedSolverTrainingOptions, _ history: TrainingHistory,
                     _ loss: Double, _ rmse: Double) -> LearnedSolverModelInfo {
        LearnedSolverModelInfo(
            specification: specification, grid: database.representation.points, featureMean: network.featureMean.scalars,
            featureStandardDeviation: network.featureStandardDeviation.scalars,
            domain: LearnedSolverDomain(samples: samples.trainingParameters), databasePath: path,
            databaseConfiguration: database.configuration, training: options, epochsRun: history.records.count,
            bestEpoch: history.bestEpoch ?? history.records.count, validationLoss: loss, validationRMSE: rmse)
    }
}
