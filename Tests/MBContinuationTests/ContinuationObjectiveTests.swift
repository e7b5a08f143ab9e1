import Foundation
import MBIO
import MBNN
import MBTensor
import Testing
@testable import MBContinuation

@Suite("Continuation losses, metrics and training")
struct ContinuationObjectiveTests {
    @Test("σ(0) from (α, γ) matches equation (8); its gradient passes a finite-difference check")
    func sigmaAtZero() throws {
        let c = DrudeComponents(alpha: [0.2, 0.3, 0.5], gamma0: [1, 0.02, 0.3], gamma1: [2, 3, 0.1])
        let alpha = Tensor<Double>(shape: [1, 3], scalars: c.alpha)
        let gamma = Tensor<Double>(shape: [1, 6], scalars: [1, 2, 0.02, 3, 0.3, 0.1])
        let temperatures = ContinuationGrids.temperatures
        let values = ContinuationObjective.sigmaAtZero(alpha: alpha, gamma: gamma, temperatures: temperatures).scalars
        for (t, T) in temperatures.enumerated() { #expect(abs(values[t] - c.sigmaAtZero(temperature: T)) < 1e-12 * values[t]) }
        let error = GradientCheck.maximumError(at: [alpha, gamma]) { xs in
            ContinuationObjective.sigmaAtZero(alpha: xs[0], gamma: xs[1], temperatures: temperatures).square().sum()
        }
        #expect(error < 1e-6)
    }

    @Test("loss 1 is KL + MSE; losses 2 and 3 mix in the σ(0) MSE with weights 0.1 and 0.5")
    func lossWeights() {
        let split = smallDataset(train: 4).splits["train"]!
        let targets = ContinuationObjective.targets(split, temperatures: ContinuationGrids.temperatures)
        let logits = Tensor<Float>(shape: [4, 3], scalars: (0..<12).map { Float($0 % 5) * 0.3 })
        let gamma = Tensor<Float>(shape: [4, 6], scalars: (0..<24).map { 0.5 + Float($0 % 7) })
        let output = ContinuationModel.Output(alphaLogits: logits, gamma: gamma)
        let alpha = targets.sliced(alongAxis: 1, 0..<3)
        let kl = klDivergence(logPredicted: logits.logSoftmax(), target: alpha).scalar
        let mse = meanSquaredError(gamma, targets.sliced(alongAxis: 1, 3..<9)).scalar
        let sigma0 = ContinuationObjective.sigmaAtZero(alpha: logits.softmax(), gamma: gamma, temperatures: ContinuationGrids.temperatures)
        let sigmaTerm = meanSquaredError(sigma0, targets.sliced(alongAxis: 1, 9..<19)).scalar
        func loss(_ kind: ContinuationLoss) -> Float {
            ContinuationObjective.loss(output, targets: targets, kind: kind, temperatures: ContinuationGrids.temperatures).scalar
        }
        #expect(abs(loss(.loss1) - (kl + mse)) < 1e-5 * (kl + mse))
        #expect(abs(loss(.loss2) - (0.9 * (kl + mse) + 0.1 * sigmaTerm)) < 1e-4 * loss(.loss2))
        #expect(abs(loss(.loss3) - (0.5 * (kl + mse) + 0.5 * sigmaTerm)) < 1e-4 * loss(.loss3))
    }

    @Test("metrics: exact predictions are all usable; 10 % off is usable, 30 % off is not; MAEs")
    func metrics() {
        let split = smallDataset(train: 4).splits["test"]!
        let truth = ContinuationScoring.trueSigma(split, temperatures: ContinuationGrids.temperatures)
        let exact = ContinuationMetrics(method: "exact", truth: truth, predicted: truth, trueLabels: split.labels, predictedLabels: split.labels)
        #expect(exact.usable_fraction == 1 && exact.sigma0_relative_error_median == 0 && exact.alpha_mae == 0 && exact.gamma_mae == 0)
        var scaled = truth.scalars
        for i in scaled.indices where i % 3 == 0 { scaled[i] *= 1.1 }
        let tenPercent = ContinuationMetrics(method: "", truth: truth, predicted: Tensor(shape: truth.shape, scalars: scaled),
                                             trueLabels: nil, predictedLabels: nil)
        #expect(tenPercent.usable_fraction == 1 && tenPercent.alpha_mae == nil)
        var off = truth.scalars
        off[5 * 2010 + 1000] *= 1.3
        let one = ContinuationMetrics(method: "", truth: truth, predicted: Tensor(shape: truth.shape, scalars: off),
                                      trueLabels: nil, predictedLabels: nil)
        #expect(one.usable_fraction == 0.9 && one.representativeExamples.worst == 5)
        var shifted = split.labels.scalars
        shifted[1] += 0.6
        let labels = ContinuationMetrics(method: "", truth: truth, predicted: truth, trueLabels: split.labels,
                                         predictedLabels: Tensor(shape: [10, 3, 3], scalars: shifted))
        #expect(abs(labels.gamma_mae! - 0.6 / 60) < 1e-12 && labels.alpha_mae == 0)
    }

    @Test("the direct head learns: validation loss falls below a tenth of the first epoch's; the model reloads")
    func training() throws {
        let data = smallDataset(.easy, train: 200)
        let directory = try OutputDirectory.prepare(temporaryPath("train-\(UInt32.random(in: 0...UInt32.max))"), force: false)
        var options = ContinuationTrainingOptions(architecture: .cnn1d, loss: .direct)
        options.epochs = 8
        let (model, history) = try ContinuationTraining.train(data: data, dataPath: "memory", options: options, output: directory, progress: .quiet)
        let first = history.records.first!.validationLoss!, best = history.records.compactMap(\.validationLoss).min()!
        #expect(best < first / 10, "validation loss \(first) → \(best)")
        let (loaded, info) = try ContinuationModelDirectory.load(directory.path)
        #expect(info.architecture == .cnn1d && info.loss == .direct)
        let lambda = data.splits["test"]!.lambda
        let a = model.predict(lambda, temperatures: data.temperatures, frequencies: ContinuationGrids.frequencies).sigma.scalars
        let b = loaded.predict(lambda, temperatures: data.temperatures, frequencies: ContinuationGrids.frequencies).sigma.scalars
        #expect(a == b)
    }
}

@Suite("Continuation models")
struct ContinuationModelTests {
    @Test("parameter counts equal the peer benchmarks' definitions (shared/perf/architectures.md §1)")
    func parameterCounts() {
        var generator = RandomGenerator(seed: 0)
        let expected: [(ContinuationArchitecture, Int)] = [(.cnn1d, 1_673_449), (.cnn2d, 8_199_369), (.attention, 99_529)]
        for (architecture, count) in expected {
            let model = ContinuationModel(architecture: architecture, loss: .loss1, generator: &generator)
            #expect(model.parameterCount(of: Float.self) == count, "\(architecture)")
            let direct = ContinuationModel(architecture: architecture, loss: .direct, generator: &generator)
            #expect(direct.parameterCount(of: Float.self) == count - 2313 + 256 * 2010 + 2010, "\(architecture) direct")
        }
    }
}
