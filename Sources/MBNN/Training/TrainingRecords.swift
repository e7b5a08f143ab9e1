/// The outcome of one epoch.
public struct EpochRecord: Sendable, Equatable {
    /// 1-based epoch number.
    public let epoch: Int
    /// Mean training loss over the epoch's examples (batch losses weighted by batch size,
    /// skipped steps left out); NaN if every step was skipped.
    public let trainingLoss: Double
    public let validationLoss: Double?
    public let validationMetric: Double?
    /// Learning rate of the epoch's last step.
    public let learningRate: Double
    /// Wall-clock seconds of the epoch, validation included.
    public let seconds: Double
    /// Steps skipped by the non-finite guard.
    public let skippedSteps: Int
}

/// What `Trainer.fit` did.
public struct TrainingHistory: Sendable {
    public internal(set) var records: [EpochRecord] = []
    /// Epoch with the best monitored value (when early stopping is on).
    public internal(set) var bestEpoch: Int?
    public internal(set) var bestValue: Double?
    public internal(set) var stoppedEarly = false
    /// True when the parameters of `bestEpoch` were put back at the end.
    public internal(set) var restoredBestWeights = false
}

/// A training run that cannot continue.
public enum TrainingError: Error, CustomStringConvertible {
    /// Too many consecutive steps had a non-finite loss or gradient.
    case nonFinite(epoch: Int, step: Int, consecutiveSkips: Int, detail: String)
    case emptyDataset(name: String)
    case metricsLog(path: String, reason: String)
    case optimizerState(OptimizerStateError)

    public var description: String {
        switch self {
        case .nonFinite(let epoch, let step, let skips, let detail):
            "training stopped at epoch \(epoch), step \(step): \(skips) consecutive steps with non-finite values (\(detail)); "
                + "lower the learning rate, clip gradients, or check the data for NaN/∞"
        case .emptyDataset(let name):
            "the \(name) set is empty"
        case .metricsLog(let path, let reason):
            "cannot write the metrics log '\(path)': \(reason)"
        case .optimizerState(let error):
            "optimizer state does not fit the model: \(error)"
        }
    }
}
