import Foundation
import MBImpurity

/// How a network was trained (the command's options; the seed's defaults).
public struct LearnedSolverTrainingOptions: Codable, Sendable, Equatable {
    /// Adam's initial learning rate (annealed by a cosine to 1/100 of it over `epochs`).
    public var learningRate = 2e-4
    public var batchSize = 8
    /// The most epochs; early stopping usually ends training sooner.
    public var epochs = 300
    /// Early stopping: epochs without a lower validation loss before training stops; the best
    /// epoch's weights are restored.
    public var patience = 30
    /// Share of the database's samples held out for validation (never augmented).
    public var validationFraction = 0.1
    /// Seed of the split (a permutation of the sample indices), the initial weights and the batch order.
    public var seed: UInt64 = 0
    /// Add every training sample's particle–hole mirror to the training split.
    public var augment = true

    public init() {}

    enum CodingKeys: String, CodingKey {
        case learningRate = "learning_rate", batchSize = "batch_size", epochs, patience
        case validationFraction = "validation_fraction", seed, augment
    }

    public func validate() throws(LearnedSolverError) {
        guard learningRate > 0, learningRate.isFinite else {
            throw .invalidSetting(field: "learning-rate", value: "\(learningRate)", requirement: "must be positive")
        }
        guard batchSize >= 1 else { throw .invalidSetting(field: "batch-size", value: "\(batchSize)", requirement: "must be at least 1") }
        guard epochs >= 1 else { throw .invalidSetting(field: "epochs", value: "\(epochs)", requirement: "must be at least 1") }
        guard patience >= 1 else { throw .invalidSetting(field: "patience", value: "\(patience)", requirement: "must be at least 1") }
        guard validationFraction > 0, validationFraction < 1 else {
            throw .invalidSetting(field: "validation-fraction", value: "\(validationFraction)", requirement: "must lie in (0, 1)")
        }
    }
}

/// `model.json` of a learned-solver directory: what the weights in `model.safetensors` are
/// (the specification's keys `inputs`, `representation`, `transform`, `variant`, `hidden`,
/// `activation`, `points`, `legendre_coefficients`, `frequencies`, `target` at the top level),
/// the x grid, the feature normalisation (also in the weights file as buffers), the training
/// domain, the database it was trained on (path and configuration) and how it was trained.
public struct LearnedSolverModelInfo: Sendable, Equatable {
    public static let kindName = "learned-impurity-solver"
    public static let currentFormatVersion = 2

    public var specification: LearnedSolverSpecification
    /// x_k of the database grid.
    public var grid: [Double]
    /// Mean and deviation of every feature column (G values of the inputs, then the descriptors).
    public var featureMean: [Double]
    public var featureStandardDeviation: [Double]
    public var domain: LearnedSolverDomain
    public var databasePath: String
    public var databaseConfiguration: ImpurityDatabaseConfiguration
    public var training: LearnedSolverTrainingOptions
    /// Epochs run and the epoch whose weights were kept.
    public var epochsRun: Int
    public var bestEpoch: Int
    /// Validation loss (transformed space) and RMSE of G(x) (physical, `LearnedSolverValidation`) of the kept weights.
    public var validationLoss: Double
    public var validationRMSE: Double
    public var formatVersion = LearnedSolverModelInfo.currentFormatVersion
    public var kind = LearnedSolverModelInfo.kindName

    public init(specification: LearnedSolverSpecification, grid: [Double], featureMean: [Double], featureStandardDeviation: [Double],
                domain: LearnedSolverDomain, databasePath: String, databaseConfiguration: ImpurityDatabaseConfiguration,
                training: LearnedSolverTrainingOptions, epochsRun: Int, bestEpoch: Int, validationLoss: Double, validationRMSE: Double) {
        self.specification = specification
        self.grid = grid
        self.featureMean = featureMean
        self.featureStandardDeviation = featureStandardDeviation
        self.domain = domain
        self.databasePath = databasePath
        self.databaseConfiguration = databaseConfiguration
        self.training = training
        self.epochsRun = epochsRun
        self.bestEpoch = bestEpoch
        self.validationLoss = validationLoss
        self.validationRMSE = validationRMSE
    }
}

extension LearnedSolverSpecification {
    enum CodingKeys: String, CodingKey {
        case inputs, representation, transform, variant, hidden, activation, points
        case legendreCoefficients = "legendre_coefficients", frequencies, target
    }
}

extension LearnedSolverModelInfo: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, formatVersion = "format_version", grid, descriptors, featureMean = "feature_mean"
        case featureStandardDeviation = "feature_std", domain, databasePath = "database", databaseConfiguration = "database_config"
        case training, epochsRun = "epochs_run", bestEpoch = "best_epoch", validationLoss = "validation_loss"
        case validationRMSE = "validation_rmse"
    }

    public init(from decoder: Decoder) throws {
        specification = try LearnedSolverSpecification(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        grid = try c.decode([Double].self, forKey: .grid)
        featureMean = try c.decode([Double].self, forKey: .featureMean)
        featureStandardDeviation = try c.decode([Double].self, forKey: .featureStandardDeviation)
        domain = try c.decode(LearnedSolverDomain.self, forKey: .domain)
        databasePath = try c.decode(String.self, forKey: .databasePath)
        databaseConfiguration = try c.decode(ImpurityDatabaseConfiguration.self, forKey: .databaseConfiguration)
        training = try c.decode(LearnedSolverTrainingOptions.self, forKey: .training)
        epochsRun = try c.decode(Int.self, forKey: .epochsRun)
        bestEpoch = try c.decode(Int.self, forKey: .bestEpoch)
        validationLoss = try c.decode(Double.self, forKey: .validationLoss)
        validationRMSE = try c.decode(Double.self, forKey: .validationRMSE)
    }

    public func encode(to encoder: Encoder) throws {
        try specification.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(grid, forKey: .grid)
        try c.encode(LearnedSolverSpecification.descriptorNames, forKey: .descriptors)
        try c.encode(featureMean, forKey: .featureMean)
        try c.encode(featureStandardDeviation, forKey: .featureStandardDeviation)
        try c.encode(domain, forKey: .domain)
        try c.encode(databasePath, forKey: .databasePath)
        try c.encode(databaseConfiguration, forKey: .databaseConfiguration)
        try c.encode(training, forKey: .training)
        try c.encode(epochsRun, forKey: .epochsRun)
        try c.encode(bestEpoch, forKey: .bestEpoch)
        try c.encode(validationLoss, forKey: .validationLoss)
        try c.encode(validationRMSE, forKey: .validationRMSE)
    }
}

extension LearnedSolverDomain {
    enum CodingKeys: String, CodingKey {
        case u, betaD = "beta_d", bathOffset = "bath_offset", halfBandwidth = "half_bandwidth", beta
        case halfFillingChemicalPotential = "mu_is_half_u"
    }
}
