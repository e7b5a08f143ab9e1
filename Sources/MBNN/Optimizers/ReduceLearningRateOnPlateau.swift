/// Reduces the learning rate when a monitored quantity (lower is better) stops improving,
/// as PyTorch's `ReduceLROnPlateau` in mode "min": after more than `patience` consecutive
/// records without improvement the scale is multiplied by `factor`, then `cooldown` records
/// pass before bad records count again.
///
/// It keeps a multiplier `scale` (starting at 1) that the `Trainer` applies on top of its
/// schedule; `learningRate(base:)` applies it with the floor `minimumLearningRate`.
public struct ReduceLearningRateOnPlateau: Sendable, Equatable {
    public let factor: Double, patience: Int, threshold: Double, relativeThreshold: Bool, cooldown: Int
    public let minimumLearningRate: Double
    public private(set) var scale = 1.0
    public private(set) var best = Double.infinity
    public private(set) var badRecords = 0
    public private(set) var cooldownRemaining = 0

    /// Improvement means value < best·(1 − threshold) (relative) or value < best − threshold.
    public init(factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4, relativeThreshold: Bool = true,
                cooldown: Int = 0, minimumLearningRate: Double = 0) {
        precondition(factor > 0 && factor < 1, "plateau factor must lie in (0, 1), got \(factor)")
        precondition(patience >= 0 && cooldown >= 0, "patience and cooldown must be ≥ 0")
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.relativeThreshold = relativeThreshold
        self.cooldown = cooldown
        self.minimumLearningRate = minimumLearningRate
    }

    /// Records one value of the monitored quantity; returns true when the scale was reduced.
    @discardableResult
    public mutating func record(_ value: Double) -> Bool {
        let improved = relativeThreshold ? value < best * (1 - threshold) : value < best - threshold
        if improved {
            best = value
            badRecords = 0
        } else {
            badRecords += 1
        }
        if cooldownRemaining > 0 {
            cooldownRemaining -= 1
            badRecords = 0
        }
        guard badRecords > patience else { return false }
        scale *= factor
        cooldownRemaining = cooldown
        badRecords = 0
        return true
    }

    /// max(base·scale, minimumLearningRate).
    public func learningRate(base: Double) -> Double { max(base * scale, minimumLearningRate) }
}
