import Foundation
import MBIO
import MBNN
import MBTensor

/// Options of `mbml continuation train`.
public struct ContinuationTrainingOptions: Codable, Sendable {
    public var architecture: ContinuationArchitecture
    public var loss: ContinuationLoss
    public var epochs = 100
    public var batchSize = 32
    public var learningRate = 1e-3
    /// Early stopping: epochs without a lower validation loss before training stops (the best
    /// epoch's weights are kept).
    public var patience = 20
    public var seed: UInt64 = 0

    public init(architecture: ContinuationArchitecture, loss: ContinuationLoss) {
        self.architecture = architecture
        self.loss = loss
    }
}

/// Trains a continuation model on a dataset's train split with validation on its validation
/// split: Adam with the learning rate annealed by a cosine from `learningRate` to 1/100 of it
/// over `epochs`, shuffled batches, validation loss and usable fraction per epoch, early stopping
/// with the best weights restored, a per-epoch metrics CSV.
public enum ContinuationTraining {
    public static func train(data: ContinuationDataset, dataPath: String, options: ContinuationTrainingOptions,
                             output: OutputDirectory, progress: ProgressMode) throws -> (model: ContinuationModel, history: TrainingHistory) {
        guard let train = data.splits["train"], train.count > 0 else {
            throw ContinuationDataError.missing(path: dataPath, field: "train (a non-empty training split)")
        }
        guard let validation = data.splits["validation"], validation.count > 0 else {
            throw ContinuationDataError.missing(path: dataPath, field: "validation (a non-empty validation split)")
        }
        try checkStandardGrids(data, source: dataPath)
        var generator = RandomGenerator(seed: options.seed)
        let model = ContinuationModel(architecture: options.architecture, loss: options.loss,
                                      temperatures: data.temperatures.count, times: data.reducedTime.count,
                                      frequencies: ContinuationGrids.frequencies.count, generator: &generator)
        model.setNormalization(from: train.lambda)
        let temperatures = data.temperatures
        func dataset(_ split: ContinuationSplit) -> TensorDataset<Float> {
            TensorDataset(inputs: Tensor<Float>(converting: split.lambda), targets: ContinuationObjective.targets(split, temperatures: temperatures))
        }
        var settings = TrainingConfiguration(epochs: options.epochs, batchSize: options.batchSize)
        settings.validationBatchSize = 250
        settings.schedule = CosineAnnealing(initial: options.learningRate, period: options.epochs, minimum: options.learningRate / 100)
        settings.scheduleInterval = .epoch
        settings.earlyStopping = EarlyStopping(patience: options.patience)
        settings.monitor = .validationLoss
        settings.progress = progress
        settings.metricsPath = output.path(for: "metrics.csv")
        let kind = options.loss
        let trainer = Trainer<ContinuationModel, TensorDataset<Float>, Adam<Float>>(
            model: model, optimizer: Adam(learningRate: options.learningRate), configuration: settings) { model, batch in
            ContinuationObjective.loss(model(batch.inputs), targets: batch.targets, kind: kind, temperatures: temperatures)
        }
        trainer.validationMetric = { model, batch in
            1 - usableFraction(model(batch.inputs), targets: batch.targets, temperatures: temperatures)
        }
        let history = try trainer.fit(training: dataset(train), validation: dataset(validation), generator: &generator)
        try ContinuationModelDirectory.save(
            model, info: ContinuationModelInfo(architecture: options.architecture, loss: options.loss, data: data, dataPath: dataPath),
            to: output)
        return (model, history)
    }

    /// The model grids are the study's: 10 temperatures 0.1…1 and 200 reduced times.
    static func checkStandardGrids(_ data: ContinuationDataset, source: String) throws {
        func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-9 } }
        guard close(data.temperatures, ContinuationGrids.temperatures) else {
            throw ContinuationDataError.badGrid(path: source, field: "temperatures", problem: "must be 0.1, 0.2, …, 1.0, got \(data.temperatures)")
        }
        guard close(data.reducedTime, ContinuationGrids.reducedTime) else {
            throw ContinuationDataError.badGrid(path: source, field: "reduced_time", problem: "must be x_k = (k + ½)/200, k = 0…199")
        }
        guard close(data.frequencies, ContinuationGrids.frequencies) else {
            throw ContinuationDataError.badGrid(path: source, field: "frequencies", problem: "must be ω = 0, 0.05, …, 10 (201 points)")
        }
    }

    /// log σ̂ [batch, T, M] on the standard frequency grid from either head.
    static func predictedLogSigma(_ output: ContinuationModel.Output, temperatures: [Double]) -> Tensor<Float> {
        if let logSigma = output.logSigma { return logSigma }
        let alpha = output.alphaLogits!.softmax(), pairs = output.gamma!.reshaped(to: [alpha.shape[0], 3, 2])
        let squares = Tensor<Float>(shape: [1, 1, temperatures.count], scalars: temperatures.map { Float($0 * $0) })
        let widths = (pairs.sliced(alongAxis: 2, 0..<1) + pairs.sliced(alongAxis: 2, 1..<2) * squares).expandingShape(at: 3)
        let omegas = ContinuationGrids.frequencies
        let omegaSquared = Tensor<Float>(shape: [1, 1, 1, omegas.count], scalars: omegas.map { Float($0 * $0) })
        let terms = alpha.reshaped(to: [alpha.shape[0], 3, 1, 1]) * widths / (omegaSquared + widths * widths)
        return terms.sum(alongAxes: [1]).log()
    }

    /// Share of the batch with σ/σ̂ ∈ [0.8, 1.2] everywhere.
    static func usableFraction(_ output: ContinuationModel.Output, targets: Tensor<Float>, temperatures: [Double]) -> Double {
        let predicted = predictedLogSigma(output, temperatures: temperatures)
        let nT = temperatures.count
        let truth = targets.sliced(alongAxis: 1, (9 + nT)..<targets.shape[1]).reshaped(to: predicted.shape)
        let ratio = (truth - predicted).scalars
        let perExample = ratio.count / predicted.shape[0]
        let low = Float(log(0.8)), high = Float(log(1.2))
        var usable = 0
        for e in 0..<predicted.shape[0] {
            if ratio[(e * perExample)..<((e + 1) * perExample)].allSatisfy({ $0 >= low && $0 <= high }) { usable += 1 }
        }
        return Double(usable) / Double(predicted.shape[0])
    }
}
