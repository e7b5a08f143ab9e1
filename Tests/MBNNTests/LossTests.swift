import Foundation
import MBTensor
import Testing
@testable import MBNN

@Suite("Losses")
struct LossTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(a - b) <= tolerance * max(1, abs(b)), "\(a) vs \(b)", sourceLocation: sourceLocation)
    }

    func gradientCheck(_ inputs: [Tensor<Double>], tolerance: Double = 1e-7, _ f: @escaping ([Tensor<Double>]) -> Tensor<Double>,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let error = GradientCheck.maximumError(at: inputs, of: f)
        #expect(error < tolerance, "max gradient error \(error)", sourceLocation: sourceLocation)
    }

    @Test func meanSquaredErrorValues() {
        let p = Tensor<Double>(shape: [1, 3], scalars: [1, 2, 3]), t = Tensor<Double>(shape: [1, 3], scalars: [1, 0, 0])
        close(meanSquaredError(p, t).scalar, 13.0 / 3)
        close(meanSquaredError(p, t, reduction: .sum).scalar, 13)
        #expect(meanSquaredError(p, t, reduction: .none).scalars == [0, 4, 9])
        gradientCheck([deterministicTensor([3, 4]), deterministicTensor([3, 4], seed: 2)]) { meanSquaredError($0[0], $0[1]) }
        let g = gradient(at: p) { meanSquaredError($0, t) }
        #expect(g.scalars.enumerated().allSatisfy { abs($0.element - [0, 4.0 / 3, 2][$0.offset]) < 1e-15 })
    }

    @Test func klDivergenceBatchMeanWithZeroProbabilities() {
        // Row 1: ½log(½/¼)·2 = log 2; row 2: 1·log(1/½) = log 2; batch mean = log 2.
        let p = Tensor<Double>(shape: [2, 3], scalars: [0.5, 0.5, 0, 1, 0, 0])
        let q = Tensor<Double>(shape: [2, 3], scalars: [0.25, 0.25, 0.5, 0.5, 0.25, 0.25])
        close(klDivergence(logPredicted: q.log(), target: p).scalar, log(2))
        close(klDivergence(logPredicted: q.log(), target: p, reduction: .sum).scalar, 2 * log(2))
        close(klDivergence(logPredicted: q.log(), target: p, reduction: .mean).scalar, 2 * log(2) / 6)
        // KL(p‖p) = 0 even with zeros in p.
        close(klDivergence(logPredicted: Tensor<Double>(shape: [1, 3], scalars: [0, -1, -2]),
                           target: Tensor(shape: [1, 3], scalars: [1, 0, 0])).scalar, 0)
        // Gradient in log q is −p / B; in p it is (log p + 1 − log q) / B, where the 0·log 0
        // convention leaves −log q / B at p = 0.
        let g = gradient(at: [q.log(), p]) { v in klDivergence(logPredicted: v[0], target: v[1]) }
        #expect(g[0] == -p / 2)
        close(g[1][0, 2], -log(0.5) / 2)
        close(g[1][1, 1], -log(0.25) / 2)
        close(g[1][0, 0], (log(0.5) + 1 - log(0.25)) / 2)
        // The analysis model's head loss: KL to softmax(logits), checked by finite differences.
        let logits = deterministicTensor([4, 3]), alpha = deterministicTensor([4, 3], seed: 5, in: 0.1...1)
        let target = alpha / alpha.sum(alongAxis: 1, keepingDimensions: true)
        gradientCheck([logits, target]) { v in klDivergence(logPredicted: logSoftmax(v[0], alongAxis: 1), target: v[1]) }
    }

    @Test func binaryCrossEntropyOnProbabilitiesClampsLikePyTorch() {
        let p = Tensor<Double>([0.8, 0.1, 0, 1]), t = Tensor<Double>([1, 0, 1, 1])
        let expected = (-log(0.8) - log(0.9) + 100 + 0) / 4
        close(binaryCrossEntropy(probabilities: p, targets: t).scalar, expected)
        let g = gradient(at: p) { binaryCrossEntropy(probabilities: $0, targets: t) }
        // PyTorch: (p − t) / max(p(1 − p), 1e-12) / n.
        close(g[0], (0.8 - 1) / (0.8 * 0.2) / 4)
        close(g[2], -1 / 1e-12 / 4)
        #expect(g[3] == 0)
        #expect(!g.hasNonFinite)
        let inside = deterministicTensor([3, 4], in: 0.05...0.95), targets = deterministicTensor([3, 4], seed: 4, in: 0...1)
        gradientCheck([inside, targets]) { v in binaryCrossEntropy(probabilities: v[0], targets: v[1]) }
        // The custom pullback is written with tensor ops: second derivative ∂²ℓ/∂p² = t/p² + (1−t)/(1−p)².
        let second = GradientCheck.maximumError(at: [inside]) { v in
            gradient(at: v[0]) { binaryCrossEntropy(probabilities: $0, targets: targets, reduction: .sum) }
        }
        #expect(second < 1e-6)
    }

    @Test func binaryCrossEntropyWithEpsilonIsVANFormula() {
        let p = Tensor<Double>([0.8, 0, 1]), t = Tensor<Double>([1, 1, 0])
        let eps = 1e-7
        let expected = -(log(0.8 + eps) + log(0 + eps) + log(1 - 1 + eps)) / 3
        close(binaryCrossEntropy(probabilities: p, targets: t, epsilon: eps).scalar, expected)
        gradientCheck([deterministicTensor([5], in: 0.1...0.9), deterministicTensor([5], seed: 3, in: 0...1)]) { v in
            binaryCrossEntropy(probabilities: v[0], targets: v[1], epsilon: 1e-7)
        }
    }

    @Test func binaryCrossEntropyOnLogitsIsStable() {
        let x = Tensor<Double>([0, 2, -3, 100, -100, 800]), t = Tensor<Double>([1, 0, 1, 0, 1, 1])
        let expected: [Double] = [log(2), log(1 + exp(2)), log(1 + exp(-3)) + 3, 100, 100, 0]
        let terms = binaryCrossEntropy(logits: x, targets: t, reduction: .none)
        for (a, b) in zip(terms.scalars, expected) { close(a, b, 1e-12) }
        // Same as the probability form where that is accurate.
        let z = deterministicTensor([3, 4], in: -4...4), targets = deterministicTensor([3, 4], seed: 2, in: 0...1)
        close(binaryCrossEntropy(logits: z, targets: targets).scalar,
              binaryCrossEntropy(probabilities: z.sigmoid(), targets: targets).scalar, 1e-12)
        let g = gradient(at: x) { binaryCrossEntropy(logits: $0, targets: t, reduction: .sum) }
        for (a, b) in zip(g.scalars, (x.sigmoid() - t).scalars) { close(a, b, 1e-14) }
        gradientCheck([z, targets]) { v in binaryCrossEntropy(logits: v[0], targets: v[1]) }
    }

    @Test func crossEntropyFromLogitsWithLabels() {
        let logits = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0])
        let row1 = log(exp(1.0) + exp(2.0) + exp(3.0)) - 3, row2 = log(3.0)
        close(crossEntropy(logits: logits, labels: [2, 0]).scalar, (row1 + row2) / 2)
        close(crossEntropy(logits: logits, labels: [2, 0], reduction: .sum).scalar, row1 + row2)
        // Large logits do not overflow.
        close(crossEntropy(logits: Tensor(shape: [1, 2], scalars: [1000, 0]), labels: [1]).scalar, 1000)
        // Gradient softmax − onehot, over the batch.
        let g = gradient(at: logits) { crossEntropy(logits: $0, labels: [2, 0]) }
        let softmax = logits.exp() / logits.exp().sum(alongAxis: 1, keepingDimensions: true)
        let oneHot = Tensor<Double>(shape: [2, 3], scalars: [0, 0, 1, 1, 0, 0])
        #expect(largestDifference(g, (softmax - oneHot) / 2) < 1e-15)
        gradientCheck([deterministicTensor([4, 5])]) { v in crossEntropy(logits: v[0], labels: [0, 4, 2, 2]) }
    }

    @Test func crossEntropyWithSpatialAxesAndSoftTargets() {
        // [batch 2, classes 3, length 2]: element (b, l) uses logits[b, :, l].
        let logits = deterministicTensor([2, 3, 2], in: -2...2)
        let labels = [0, 2, 1, 1]
        var expected = 0.0
        for b in 0..<2 {
            for l in 0..<2 {
                let row = (0..<3).map { logits[b, $0, l] }
                expected += log(row.map { exp($0) }.reduce(0, +)) - row[labels[b * 2 + l]]
            }
        }
        close(crossEntropy(logits: logits, labels: labels).scalar, expected / 4)
        #expect(crossEntropy(logits: logits, labels: labels, reduction: .none).shape == [2, 2])
        gradientCheck([logits]) { v in crossEntropy(logits: v[0], labels: labels) }
        // Soft targets that are one-hot agree with labels.
        let flat = deterministicTensor([3, 4])
        let oneHot = Tensor<Double>(shape: [3, 4], scalars: [0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0])
        close(crossEntropy(logits: flat, targetProbabilities: oneHot).scalar, crossEntropy(logits: flat, labels: [1, 3, 0]).scalar)
        let soft = deterministicTensor([3, 4], seed: 6, in: 0.1...1)
        gradientCheck([flat, soft]) { v in crossEntropy(logits: v[0], targetProbabilities: v[1]) }
    }

    @Test func negativeLogLikelihoodPicksLabels() {
        let logp = Tensor<Double>(shape: [2, 3], scalars: [-1, -2, -3, -0.5, -0.25, -4])
        close(negativeLogLikelihood(logProbabilities: logp, labels: [1, 2]).scalar, (2 + 4) / 2)
        #expect(negativeLogLikelihood(logProbabilities: logp, labels: [0, 1], reduction: .none).scalars == [1, 0.25])
        gradientCheck([deterministicTensor([3, 4])]) { v in negativeLogLikelihood(logProbabilities: v[0], labels: [3, 0, 1]) }
    }
}
