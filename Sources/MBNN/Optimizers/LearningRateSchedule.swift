import Foundation

/// A learning rate as a plain function of a counter t = 0, 1, 2, …: optimizer steps or
/// epochs, as the caller counts (the `Trainer`'s `ScheduleInterval` says which).
public protocol LearningRateSchedule: Sendable {
    func value(atStep step: Int) -> Double
}

/// lr(t) = value.
public struct ConstantLearningRate: LearningRateSchedule {
    public let value: Double
    public init(_ value: Double) { self.value = value }
    public func value(atStep step: Int) -> Double { value }
}

/// lr(t) = initial · γ^⌊t / stepSize⌋ (PyTorch `StepLR`).
public struct StepDecay: LearningRateSchedule {
    public let initial: Double, stepSize: Int, factor: Double
    public init(initial: Double, stepSize: Int, factor: Double = 0.1) {
        precondition(stepSize > 0, "step decay needs a positive step size, got \(stepSize)")
        self.initial = initial
        self.stepSize = stepSize
        self.factor = factor
    }
    public func value(atStep step: Int) -> Double { initial * pow(factor, Double(max(step, 0) / stepSize)) }
}

/// lr(t) = initial · γ^t (PyTorch `ExponentialLR`).
public struct ExponentialDecay: LearningRateSchedule {
    public let initial: Double, factor: Double
    public init(initial: Double, factor: Double) {
        self.initial = initial
        self.factor = factor
    }
    public func value(atStep step: Int) -> Double { initial * pow(factor, Double(max(step, 0))) }
}

/// lr(t) = min + (initial − min)·(1 + cos(π t / period)) / 2 for t ≤ period, then min
/// (PyTorch `CosineAnnealingLR`'s closed form, held at the minimum after one half-period).
public struct CosineAnnealing: LearningRateSchedule {
    public let initial: Double, period: Int, minimum: Double
    public init(initial: Double, period: Int, minimum: Double = 0) {
        precondition(period > 0, "cosine annealing needs a positive period, got \(period)")
        self.initial = initial
        self.period = period
        self.minimum = minimum
    }
    public func value(atStep step: Int) -> Double {
        let t = Double(min(max(step, 0), period)) / Double(period)
        return minimum + (initial - minimum) * (1 + cos(Double.pi * t)) / 2
    }
}

/// Linear warm-up then cosine decay: lr(t) = peak·(t + 1)/warmup for t < warmup (reaching
/// the peak at t = warmup − 1), then min + (peak − min)·(1 + cos(π s))/2 with
/// s = (t − warmup)/(total − warmup) ∈ [0, 1], held at min after `total` steps.
public struct WarmupCosine: LearningRateSchedule {
    public let peak: Double, warmupSteps: Int, totalSteps: Int, minimum: Double
    public init(peak: Double, warmupSteps: Int, totalSteps: Int, minimum: Double = 0) {
        precondition(warmupSteps >= 0 && totalSteps > warmupSteps,
                     "warm-up needs 0 ≤ warmupSteps < totalSteps, got \(warmupSteps) and \(totalSteps)")
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimum = minimum
    }
    public func value(atStep step: Int) -> Double {
        let t = max(step, 0)
        if t < warmupSteps { return peak * Double(t + 1) / Double(warmupSteps) }
        let s = Double(min(t, totalSteps) - warmupSteps) / Double(totalSteps - warmupSteps)
        return minimum + (peak - minimum) * (1 + cos(Double.pi * s)) / 2
    }
}
