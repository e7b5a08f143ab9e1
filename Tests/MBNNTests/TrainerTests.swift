import Foundation
import MBTensor
import Testing
@testable import MBNN

/// A single trainable offset: prediction = b for every example.
final class Offset: Module {
    @Parameter var b: Tensor<Double>
    init(_ value: Double) { b = Tensor(shape: [1, 1], scalars: [value]) }
}

/// A tensor dataset that records the index lists it is asked for.
final class RecordingDataset: Dataset {
    let inner: TensorDataset<Float>
    var requests: [[Int]] = []
    init(_ inner: TensorDataset<Float>) { self.inner = inner }
    var count: Int { inner.count }
    func batch(indices: [Int]) -> TensorBatch<Float> {
        requests.append(indices)
        return inner.batch(indices: indices)
    }
}

@Suite("Trainer")
struct TrainerTests {
    func regressionData(count: Int, seed: UInt64) -> TensorDataset<Float> {
        var generator = RandomGenerator(seed: seed)
        let x: Tensor<Float> = generator.uniform(shape: [count, 3], in: -1...1)
        let w = Tensor<Float>(shape: [3, 2], scalars: [1, -2, 0.5, 1, -1, 0.25])
        return TensorDataset(inputs: x, targets: x.matmul(w).tanh())
    }

    func network(seed: UInt64) -> Sequential<Float> {
        var generator = RandomGenerator(seed: seed)
        return Sequential(Linear(inputDimensions: 3, outputDimensions: 8, generator: &generator), Tanh(),
                          Linear(inputDimensions: 8, outputDimensions: 2, generator: &generator))
    }

    func quiet(epochs: Int, batchSize: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration(epochs: epochs, batchSize: batchSize)
        configuration.progress = .quiet
        return configuration
    }

    func train(seed: UInt64, data: TensorDataset<Float>) throws -> [Tensor<Float>] {
        let model = network(seed: 1)
        var configuration = quiet(epochs: 3, batchSize: 16)
        configuration.gradientClipping = .globalNorm(5)
        configuration.schedule = CosineAnnealing(initial: 1e-2, period: 40)
        let trainer = Trainer<Sequential<Float>, TensorDataset<Float>, Adam<Float>>(
            model: model, optimizer: Adam(learningRate: 1e-2), configuration: configuration) { m, batch, context in
            // Dropout draws from the context's generator, so it is part of the reproduced stream.
            let hidden = Dropout(rate: 0.1)(m(batch.inputs), training: context.isTraining, generator: &context.generator)
            return meanSquaredError(hidden, batch.targets)
        }
        var generator = RandomGenerator(seed: seed)
        _ = try trainer.fit(training: data, generator: &generator)
        return trainer.parameters.values
    }

    @Test func sameSeedGivesBitIdenticalWeights() throws {
        let data = regressionData(count: 200, seed: 5)
        let first = try train(seed: 42, data: data)
        let second = try train(seed: 42, data: data)
        #expect(first == second)
        let other = try train(seed: 43, data: data)
        #expect(first != other)
        #expect(first != network(seed: 1).namedParameters(of: Float.self).map(\.parameter.wrappedValue))
    }

    @Test func epochsArePermutationsWithShortLastBatch() throws {
        let data = RecordingDataset(regressionData(count: 23, seed: 1))
        let trainer = Trainer<Sequential<Float>, RecordingDataset, SGD<Float>>(
            model: network(seed: 2), optimizer: SGD(learningRate: 0.01), configuration: quiet(epochs: 3, batchSize: 5)) { m, b in
            meanSquaredError(m(b.inputs), b.targets)
        }
        var generator = RandomGenerator(seed: 9)
        let history = try trainer.fit(training: data, generator: &generator)
        #expect(data.requests.count == 15)
        #expect(trainer.optimizer.step == 15)
        var epochs: [[Int]] = []
        for e in 0..<3 {
            let batches = data.requests[(5 * e)..<(5 * e + 5)]
            #expect(batches.map(\.count) == [5, 5, 5, 5, 3])
            let order = batches.flatMap { $0 }
            #expect(order.sorted() == Array(0..<23))
            epochs.append(order)
        }
        #expect(epochs[0] != epochs[1] && epochs[1] != epochs[2])
        // The permutations are the generator's, drawn once per epoch.
        var replay = RandomGenerator(seed: 9)
        _ = replay.split()
        #expect(epochs == (0..<3).map { _ in replay.permutation(23) })
        // The epoch loss is the example-weighted mean of the batch losses.
        #expect(history.records.count == 3 && history.records.allSatisfy { $0.trainingLoss.isFinite })
    }

    @Test func earlyStoppingRestoresBestWeights() throws {
        // Training pulls b from 0 towards 1 (b ← b + 0.2(1 − b)); validation wants 0.3:
        // b = 0.2, 0.36, 0.488, 0.590 gives validation losses 0.01, 0.0036, 0.035, 0.084.
        let training = TensorDataset<Double>(inputs: Tensor(zeros: [4, 1]), targets: Tensor(ones: [4, 1]))
        let validation = TensorDataset<Double>(inputs: Tensor(zeros: [2, 1]), targets: Tensor(repeating: 0.3, shape: [2, 1]))
        var configuration = quiet(epochs: 50, batchSize: 4)
        configuration.earlyStopping = EarlyStopping(patience: 2)
        let model = Offset(0)
        let trainer = Trainer<Offset, TensorDataset<Double>, SGD<Double>>(
            model: model, optimizer: SGD(learningRate: 0.1), configuration: configuration) { m, b in
            meanSquaredError(m.b.broadcast(to: b.targets.shape), b.targets)
        }
        var snapshots: [Double] = []
        trainer.onEpochEnd = { _ in snapshots.append(model.b.scalar) }
        var generator = RandomGenerator(seed: 0)
        let history = try trainer.fit(training: training, validation: validation, generator: &generator)
        #expect(history.records.count == 4)
        #expect(history.stoppedEarly && history.restoredBestWeights)
        #expect(history.bestEpoch == 2)
        let losses = history.records.map { $0.validationLoss! }
        #expect(losses.firstIndex(of: losses.min()!) == 1)
        #expect(abs(snapshots[1] - 0.36) < 1e-15)
        #expect(model.b.scalar == snapshots[1])
        #expect(snapshots[3] != snapshots[1])
    }

    func poisoned(rows: [Int]) -> TensorDataset<Double> {
        var x = deterministicTensor([6, 2])
        x.withUnsafeMutableBufferPointer { p in for r in rows { p[2 * r] = .nan } }
        return TensorDataset(inputs: x, targets: deterministicTensor([6, 1], seed: 3))
    }

    func linearTrainer(maximumSkips: Int) -> Trainer<Linear<Double>, TensorDataset<Double>, Adam<Double>> {
        var generator = RandomGenerator(seed: 1)
        var configuration = quiet(epochs: 2, batchSize: 1)
        configuration.shuffle = false
        configuration.nonFiniteGuard = NonFiniteGuard(maximumConsecutiveSkips: maximumSkips)
        return Trainer(model: Linear<Double>(inputDimensions: 2, outputDimensions: 1, generator: &generator),
                       optimizer: Adam(learningRate: 0.01), configuration: configuration) { m, b in
            meanSquaredError(m(b.inputs), b.targets)
        }
    }

    @Test func nonFiniteGuardSkipsThenStops() throws {
        var generator = RandomGenerator(seed: 0)
        // One poisoned example, one skip allowed: every epoch skips exactly that step.
        let tolerant = linearTrainer(maximumSkips: 1)
        let history = try tolerant.fit(training: poisoned(rows: [2]), generator: &generator)
        #expect(history.records.map(\.skippedSteps) == [1, 1])
        #expect(tolerant.optimizer.step == 10)
        #expect(!tolerant.parameters.values.contains { $0.hasNonFinite })
        // Zero tolerance stops at the poisoned step with a typed error.
        do {
            _ = try linearTrainer(maximumSkips: 0).fit(training: poisoned(rows: [2]), generator: &generator)
            Issue.record("expected a non-finite error")
        } catch let TrainingError.nonFinite(epoch, step, skips, detail) {
            #expect(epoch == 1 && step == 3 && skips == 1 && detail.contains("loss"))
        }
        // Two in a row exceed one allowed skip.
        #expect(throws: TrainingError.self) {
            _ = try linearTrainer(maximumSkips: 1).fit(training: poisoned(rows: [3, 4]), generator: &generator)
        }
    }

    @Test func nonFiniteGradientWithFiniteLossIsCaught() throws {
        // √(0·b) is 0, but its gradient is ∞·0 = NaN.
        var configuration = quiet(epochs: 1, batchSize: 2)
        configuration.nonFiniteGuard = NonFiniteGuard(maximumConsecutiveSkips: 0)
        let trainer = Trainer<Offset, TensorDataset<Double>, SGD<Double>>(
            model: Offset(1), optimizer: SGD(learningRate: 0.1), configuration: configuration) { m, _ in
            (m.b * 0).sqrt().sum()
        }
        var generator = RandomGenerator(seed: 0)
        do {
            _ = try trainer.fit(training: TensorDataset(inputs: Tensor(zeros: [2, 1]), targets: Tensor(zeros: [2, 1])),
                                generator: &generator)
            Issue.record("expected a non-finite error")
        } catch let error as TrainingError {
            #expect(error.description.contains("gradient of 'b'"))
        }
        #expect(trainer.model.b.scalar == 1)
    }

    @Test func metricsLogCheckpointsAndSchedule() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mbnn-trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("metrics.csv").path
        let data = regressionData(count: 30, seed: 2)
        var split = RandomGenerator(seed: 3)
        let (training, validation) = data.split(validationFraction: 0.2, generator: &split)
        #expect(training.count == 24 && validation.count == 6)
        var configuration = quiet(epochs: 5, batchSize: 8)
        configuration.metricsPath = path
        configuration.checkpointInterval = 2
        configuration.validationBatchSize = 4  // batches of 4 and 2: the weighted mean is the plain mean
        configuration.schedule = StepDecay(initial: 0.1, stepSize: 2, factor: 0.5)
        configuration.scheduleInterval = .epoch
        let trainer = Trainer<Sequential<Float>, TensorDataset<Float>, SGD<Float>>(
            model: network(seed: 3), optimizer: SGD(learningRate: 1), configuration: configuration) { m, b in
            meanSquaredError(m(b.inputs), b.targets)
        }
        trainer.validationMetric = { m, b in Double((m(b.inputs) - b.targets).abs().mean().scalar) }
        var checkpoints: [Int] = []
        trainer.checkpoint = { epoch, model in
            #expect(model === trainer.model)
            checkpoints.append(epoch)
        }
        var generator = RandomGenerator(seed: 4)
        let history = try trainer.fit(training: training, validation: validation, generator: &generator)
        #expect(checkpoints == [2, 4, 5])
        #expect(history.records.map(\.learningRate) == [0.1, 0.1, 0.05, 0.05, 0.025])
        // Validation loss is the mean of the loss over the validation set.
        let model = trainer.model
        let direct = Double(meanSquaredError(model(validation.inputs), validation.targets).scalar)
        #expect(abs(history.records.last!.validationLoss! - direct) < 1e-6)
        let meanAbsolute = Double((model(validation.inputs) - validation.targets).abs().mean().scalar)
        #expect(abs(history.records.last!.validationMetric! - meanAbsolute) < 1e-6)

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0] == MetricsCSV.header)
        for (line, record) in zip(lines.dropFirst(), history.records) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 7)
            #expect(Int(fields[0]) == record.epoch)
            #expect(Double(fields[1]) == record.trainingLoss)
            #expect(Double(fields[2]) == record.validationLoss)
            #expect(Double(fields[4]) == record.learningRate)
        }
    }

    @Test func stepScheduleAndPlateau() throws {
        var configuration = quiet(epochs: 2, batchSize: 10)
        configuration.schedule = ExponentialDecay(initial: 0.1, factor: 0.5)
        let trainer = Trainer<Sequential<Float>, TensorDataset<Float>, SGD<Float>>(
            model: network(seed: 3), optimizer: SGD(learningRate: 1), configuration: configuration) { m, b in
            meanSquaredError(m(b.inputs), b.targets)
        }
        var generator = RandomGenerator(seed: 4)
        let history = try trainer.fit(training: regressionData(count: 30, seed: 2), generator: &generator)
        // Three steps per epoch; an epoch reports the rate of its last step (counters 2 and 5).
        #expect(history.records.map(\.learningRate) == [0.1 * 0.25, 0.1 * pow(0.5, 5)])

        // A loss that never improves: the plateau rule halves the rate after each bad epoch.
        var flat = quiet(epochs: 4, batchSize: 4)
        flat.plateau = ReduceLearningRateOnPlateau(factor: 0.5, patience: 0)
        let constant = Trainer<Offset, TensorDataset<Double>, SGD<Double>>(
            model: Offset(0), optimizer: SGD(learningRate: 0.1), configuration: flat) { m, _ in (m.b * 0).sum() + 1 }
        let plateau = try constant.fit(training: TensorDataset(inputs: Tensor(zeros: [4, 1]), targets: Tensor(zeros: [4, 1])),
                                       generator: &generator)
        #expect(plateau.records.map(\.learningRate) == [0.1, 0.1, 0.05, 0.025])
    }

    @Test func tensorDatasetGathersRows() {
        let x = Tensor<Float>(shape: [4, 2, 2], scalars: (0..<16).map(Float.init))
        let data = TensorDataset(inputs: x, targets: Tensor<Float>(shape: [4], scalars: [10, 11, 12, 13]))
        let batch = data.batch(indices: [3, 0, 3])
        #expect(batch.inputs.shape == [3, 2, 2])
        #expect(batch.inputs.scalars == [12, 13, 14, 15, 0, 1, 2, 3, 12, 13, 14, 15])
        #expect(batch.targets.scalars == [13, 10, 13])
        #expect(batch.count == 3)
        var generator = RandomGenerator(seed: 1)
        let (training, validation) = data.split(validationFraction: 0.5, generator: &generator)
        #expect(Set(training.targets.scalars + validation.targets.scalars) == [10, 11, 12, 13])
    }

    @Test func perSampleGradientsAverageToBatchGradient() {
        var generator = RandomGenerator(seed: 8)
        let model = TinyNetwork(inputs: 3, hidden: 5, outputs: 2, generator: &generator)
        let x = deterministicTensor([6, 3]), y = deterministicTensor([6, 2], seed: 4)
        let set = ParameterSet<Double>(model)
        let perSample = perSampleGradients(of: model, parameters: set, inputs: x, targets: y) { m, xi, yi in
            meanSquaredError(m(xi), yi)
        }
        let (_, batch) = valueAndGradient(of: model, parameters: set) { m in meanSquaredError(m(x), y) }
        for k in 0..<set.count {
            let (stacked, full) = (perSample.values[k], batch.values[k])
            #expect(stacked.shape == [6] + set.values[k].shape)
            #expect(largestDifference(stacked.mean(alongAxis: 0), full) < 1e-14)
        }
        // Row 2 is the gradient of example 2 alone.
        let (_, single) = valueAndGradient(of: model, parameters: set) { m in
            meanSquaredError(m(RowGather.rows(x, [2])), RowGather.rows(y, [2]))
        }
        let w = perSample["hidden.weight"]!
        let row2 = RowGather.rows(w, [2]).reshaped(to: [5, 3])
        #expect(row2 == single["hidden.weight"]!)
        // Distinct examples give distinct gradients.
        #expect(RowGather.rows(w, [0]) != RowGather.rows(w, [1]))
    }
}
