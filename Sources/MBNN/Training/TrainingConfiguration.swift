/// What a `Trainer` does, as plain values.
public struct TrainingConfiguration: Sendable {
    /// Last epoch to run (1-based); training runs epochs `initialEpoch + 1 ... epochs`.
    public var epochs: Int
    /// Examples per optimizer step; the last batch of an epoch is short when the batch size
    /// does not divide the data set (no drop-last, as PyTorch's default).
    public var batchSize: Int
    /// Epochs already done (when resuming from a checkpoint): shifts epoch numbers and
    /// epoch-based schedules.
    public var initialEpoch = 0
    /// A fresh random permutation of the training set each epoch (else data order).
    public var shuffle = true
    /// Examples per batch when evaluating the validation set (default: `batchSize`).
    public var validationBatchSize: Int?
    public var gradientClipping: GradientClipping?
    /// Learning rate as a function of the optimizer's step count or of the epoch; without
    /// one, the optimizer's learning rate at the start of `fit` is kept.
    public var schedule: (any LearningRateSchedule)?
    public var scheduleInterval = ScheduleInterval.step
    /// Multiplies the learning rate by its factor when the monitored quantity stalls.
    public var plateau: ReduceLearningRateOnPlateau?
    public var earlyStopping: EarlyStopping?
    /// The quantity early stopping and the plateau rule watch (lower is better). Default:
    /// the validation loss when there is a validation set, else the training loss.
    public var monitor: MonitoredQuantity?
    public var nonFiniteGuard = NonFiniteGuard()
    public var progress = ProgressMode.automatic
    /// A CSV file rewritten (atomically) after each epoch with one row per epoch.
    public var metricsPath: String?
    /// Calls the trainer's checkpoint closure every this many epochs (and after the last
    /// epoch run); 0 disables it.
    public var checkpointInterval = 0

    public init(epochs: Int, batchSize: Int) {
        precondition(epochs >= 0, "epochs must be ≥ 0, got \(epochs)")
        precondition(batchSize > 0, "batch size must be positive, got \(batchSize)")
        self.epochs = epochs
        self.batchSize = batchSize
    }
}

/// Whether a schedule's counter is the optimizer step or the epoch (0-based).
public enum ScheduleInterval: Sendable {
    case step, epoch
}

/// The per-epoch quantity watched by early stopping and the plateau rule; lower is better.
public enum MonitoredQuantity: Sendable, Equatable {
    case trainingLoss, validationLoss, validationMetric
}

/// Stop when the monitored quantity has not improved by more than `minimumDelta` for
/// `patience` consecutive epochs; optionally put back the parameters of the best epoch
/// at the end of training (whether it stopped early or not).
public struct EarlyStopping: Sendable, Equatable {
    public var patience: Int
    public var minimumDelta: Double
    public var restoreBestWeights: Bool

    public init(patience: Int, minimumDelta: Double = 0, restoreBestWeights: Bool = true) {
        precondition(patience >= 1, "early-stopping patience must be ≥ 1, got \(patience)")
        precondition(minimumDelta >= 0, "early-stopping minimum delta must be ≥ 0, got \(minimumDelta)")
        self.patience = patience
        self.minimumDelta = minimumDelta
        self.restoreBestWeights = restoreBestWeights
    }
}

/// What to do with a step whose loss or gradients contain NaN or ±∞: the step is skipped
/// (parameters and optimizer state untouched); more than `maximumConsecutiveSkips` skipped
/// steps in a row stop training with `TrainingError.nonFinite`. With 0 the first one stops it.
public struct NonFiniteGuard: Sendable, Equatable {
    public var maximumConsecutiveSkips: Int
    public init(maximumConsecutiveSkips: Int = 10) {
        precondition(maximumConsecutiveSkips >= 0, "maximumConsecutiveSkips must be ≥ 0")
        self.maximumConsecutiveSkips = maximumConsecutiveSkips
    }
}

/// How training reports progress (on standard error).
public enum ProgressMode: Sendable {
    /// One updating line on a terminal, plain lines per epoch otherwise.
    case automatic
    /// Plain lines per epoch, also on a terminal.
    case lines
    /// Nothing.
    case quiet
}
