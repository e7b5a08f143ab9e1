import Foundation
import MBTensor

/// What the loss closure learns about the step it is called for.
public struct TrainingContext {
    /// True for optimizer steps, false when evaluating the validation set (turn dropout off).
    public let isTraining: Bool
    /// 1-based epoch.
    public let epoch: Int
    /// For stochastic layers (dropout) during training; split from `fit`'s generator, so a
    /// run repeats bit for bit from its seed.
    public var generator: RandomGenerator
}

/// The training loop: epochs of shuffled batches, loss and gradient, clipping, the
/// optimizer step, learning-rate schedules, validation, early stopping, a guard against
/// NaN/∞, progress, a metrics log and periodic checkpoints.
///
/// Each epoch draws a fresh permutation from the generator given to `fit` and processes
/// it in batches of `batchSize` (the last one short). With the same seed, data, thread count
/// and configuration a run is bit-identical.
///
///     let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-3),
///                           configuration: configuration) { model, batch in
///         meanSquaredError(model(batch.inputs), batch.targets)
///     }
///     let history = try trainer.fit(training: train, validation: valid, generator: &generator)
public final class Trainer<Model: Module, Data: Dataset, Opt: Optimizer> {
    public typealias Scalar = Opt.Scalar
    public typealias LossFunction = (Model, Data.Batch, inout TrainingContext) throws -> Tensor<Scalar>

    public let model: Model
    public let parameters: ParameterSet<Scalar>
    public let optimizer: Opt
    public var configuration: TrainingConfiguration
    let loss: LossFunction
    /// A validation metric per batch (lower is better if monitored), averaged over the
    /// validation set with batch-size weights.
    public var validationMetric: ((Model, Data.Batch) throws -> Double)?
    /// Called with the model every `configuration.checkpointInterval` epochs.
    public var checkpoint: ((Int, Model) throws -> Void)?
    /// Called after each epoch with its record (after the metrics log is written).
    public var onEpochEnd: ((EpochRecord) throws -> Void)?

    public init(model: Model, parameters: ParameterSet<Scalar>? = nil, optimizer: Opt, configuration: TrainingConfiguration,
                loss: @escaping LossFunction) {
        self.model = model
        self.parameters = parameters ?? ParameterSet(model)
        self.optimizer = optimizer
        self.configuration = configuration
        self.loss = loss
    }

    /// A loss that needs neither randomness nor the training flag.
    public convenience init(model: Model, parameters: ParameterSet<Scalar>? = nil, optimizer: Opt,
                            configuration: TrainingConfiguration, loss: @escaping (Model, Data.Batch) throws -> Tensor<Scalar>) {
        self.init(model: model, parameters: parameters, optimizer: optimizer, configuration: configuration) { m, b, _ in
            try loss(m, b)
        }
    }

    /// Trains `model` in place and returns the per-epoch records.
    public func fit(training: Data, validation: Data? = nil, generator: inout RandomGenerator) throws -> TrainingHistory {
        let config = configuration
        guard training.count > 0 else { throw TrainingError.emptyDataset(name: "training") }
        if let validation, validation.count == 0 { throw TrainingError.emptyDataset(name: "validation") }
        let monitor = config.monitor ?? (validation == nil ? .trainingLoss : .validationLoss)
        precondition(monitor == .trainingLoss || validation != nil, "monitoring \(monitor) needs a validation set")
        precondition(monitor != .validationMetric || validationMetric != nil, "monitoring the validation metric needs `validationMetric`")
        do { try optimizer.prepareState(for: parameters) } catch { throw TrainingError.optimizerState(error) }

        let n = training.count, batchSize = config.batchSize
        let stepsPerEpoch = (n + batchSize - 1) / batchSize
        let firstEpoch = config.initialEpoch + 1
        let baseLearningRate = optimizer.learningRate
        var plateau = config.plateau
        var contextGenerator = generator.split()
        let progress = TrainingProgress(mode: config.progress, totalEpochs: config.epochs)
        defer { progress.finish() }

        var history = TrainingHistory()
        var best: (value: Double, epoch: Int, weights: [Tensor<Scalar>])?
        var epochsWithoutImprovement = 0
        var consecutiveSkips = 0
        var learningRate = optimizer.learningRate

        guard firstEpoch <= config.epochs else { return history }
        for epoch in firstEpoch...config.epochs {
            let epochStart = ContinuousClock.now
            let order = config.shuffle ? generator.permutation(n) : Array(0..<n)
            var lossSum = 0.0, lossCount = 0, skipped = 0
            for step in 0..<stepsPerEpoch {
                let indices = Array(order[(step * batchSize)..<min(n, (step + 1) * batchSize)])
                let batch = training.batch(indices: indices)

                let counter = config.scheduleInterval == .step ? optimizer.step : epoch - 1
                let scheduled = config.schedule?.value(atStep: counter) ?? baseLearningRate
                learningRate = plateau?.learningRate(base: scheduled) ?? scheduled
                optimizer.learningRate = learningRate

                var context = TrainingContext(isTraining: true, epoch: epoch, generator: contextGenerator)
                var (value, gradients) = try valueAndGradient(of: model, parameters: parameters) { m in
                    try loss(m, batch, &context)
                }
                contextGenerator = context.generator
                precondition(value.count == 1, "the loss must be a single number, got shape \(value.shape)")
                let lossValue = Double(value.scalar)
                if let clipping = config.gradientClipping { clipping.apply(to: &gradients) }
                if let problem = lossValue.isFinite ? nonFiniteGradient(gradients) : "loss \(lossValue)" {
                    skipped += 1
                    consecutiveSkips += 1
                    if consecutiveSkips > config.nonFiniteGuard.maximumConsecutiveSkips {
                        throw TrainingError.nonFinite(epoch: epoch, step: step + 1, consecutiveSkips: consecutiveSkips,
                                                      detail: problem)
                    }
                } else {
                    consecutiveSkips = 0
                    optimizer.update(parameters, with: gradients)
                    lossSum += lossValue * Double(indices.count)
                    lossCount += indices.count
                }
                progress.stepDone(epoch: epoch, step: step + 1, stepsPerEpoch: stepsPerEpoch,
                                  remainingSteps: (config.epochs - epoch + 1) * stepsPerEpoch - step - 1,
                                  examples: indices.count, runningLoss: lossCount > 0 ? lossSum / Double(lossCount) : .nan)
            }

            let trainingLoss = lossCount > 0 ? lossSum / Double(lossCount) : .nan
            var validationLoss: Double?, metric: Double?
            if let validation {
                (validationLoss, metric) = try evaluate(validation, epoch: epoch, generator: contextGenerator)
            }
            let record = EpochRecord(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validationLoss,
                                     validationMetric: metric, learningRate: learningRate,
                                     seconds: Self.seconds(ContinuousClock.now - epochStart), skippedSteps: skipped)
            history.records.append(record)

            let monitored: Double = switch monitor {
            case .trainingLoss: trainingLoss
            case .validationLoss: validationLoss ?? .nan
            case .validationMetric: metric ?? .nan
            }
            plateau?.record(monitored)
            var note: String?
            var stop = false
            if let stopping = config.earlyStopping {
                if monitored.isFinite && monitored < (best?.value ?? .infinity) - stopping.minimumDelta {
                    best = (monitored, epoch, stopping.restoreBestWeights ? parameters.values : [])
                    epochsWithoutImprovement = 0
                    note = "best"
                } else {
                    epochsWithoutImprovement += 1
                    stop = epochsWithoutImprovement >= stopping.patience
                }
            }
            progress.epochDone(record, remainingSteps: (config.epochs - epoch) * stepsPerEpoch, note: note)
            if let path = config.metricsPath { try MetricsCSV.write(history.records, to: path) }
            try onEpochEnd?(record)
            let isLast = stop || epoch == config.epochs
            if config.checkpointInterval > 0, let checkpoint,
               (epoch - config.initialEpoch) % config.checkpointInterval == 0 || isLast {
                try checkpoint(epoch, model)
            }
            if stop {
                history.stoppedEarly = true
                progress.message("early stopping at epoch \(epoch): no improvement for \(epochsWithoutImprovement) epochs")
                break
            }
        }

        if let best {
            history.bestEpoch = best.epoch
            history.bestValue = best.value
            if config.earlyStopping?.restoreBestWeights == true, best.epoch != history.records.last?.epoch {
                for (box, value) in zip(parameters.boxes, best.weights) { box.wrappedValue = value }
                history.restoredBestWeights = true
                progress.message("restored the parameters of epoch \(best.epoch) (monitored value \(String(format: "%.6g", best.value)))")
            }
        }
        return history
    }

    /// Mean loss (and metric) over `data` in batches, weighted by batch size, without gradients.
    public func evaluate(_ data: Data, epoch: Int = 0, generator: RandomGenerator = RandomGenerator(seed: 0)) throws
        -> (loss: Double, metric: Double?) {
        let n = data.count, batchSize = configuration.validationBatchSize ?? configuration.batchSize
        var lossSum = 0.0, metricSum = 0.0
        for start in stride(from: 0, to: n, by: batchSize) {
            let indices = Array(start..<min(n, start + batchSize))
            let batch = data.batch(indices: indices)
            var context = TrainingContext(isTraining: false, epoch: epoch, generator: generator)
            lossSum += Double(try loss(model, batch, &context).scalar) * Double(indices.count)
            if let validationMetric { metricSum += try validationMetric(model, batch) * Double(indices.count) }
        }
        return (lossSum / Double(n), validationMetric == nil ? nil : metricSum / Double(n))
    }

    /// A description of the first non-finite gradient, or nil.
    func nonFiniteGradient(_ gradients: Gradients<Scalar>) -> String? {
        for (path, g) in zip(gradients.paths, gradients.values) where g.hasNonFinite {
            return "gradient of '\(path)'"
        }
        return nil
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
