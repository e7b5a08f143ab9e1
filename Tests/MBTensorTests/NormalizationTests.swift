import Foundation
import Testing
@testable import MBTensor

@Suite("Softmax, layer norm, attention")
struct NormalizationTests {
    /// Softmax along `axis` by explicit loops over a [outer, n, inner] view.
    func naiveSoftmax(_ x: Tensor<Double>, axis: Int, logarithmic: Bool) -> Tensor<Double> {
        let outer = x.shape[..<axis].reduce(1, *), n = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        let v = x.scalars
        var out = v
        for o in 0..<outer { for j in 0..<inner {
            let idx = (0..<n).map { (o * n + $0) * inner + j }
            let m = idx.map { v[$0] }.max()!
            let s = idx.map { Foundation.exp(v[$0] - m) }.reduce(0, +)
            for i in idx { out[i] = logarithmic ? v[i] - m - Foundation.log(s) : Foundation.exp(v[i] - m) / s }
        } }
        return Tensor(shape: x.shape, scalars: out)
    }

    @Test func softmaxValues() {
        let x = sampleTensor([3, 4, 5], in: -5...5)
        for axis in 0..<3 {
            #expect(largestAbsoluteDifference(x.softmax(alongAxis: axis), naiveSoftmax(x, axis: axis, logarithmic: false)) < 1e-15)
            #expect(largestAbsoluteDifference(x.logSoftmax(alongAxis: axis), naiveSoftmax(x, axis: axis, logarithmic: true)) < 1e-14)
        }
        // Large logits do not overflow; exact two-class value.
        let big = Tensor<Float>([1000, 1001]).softmax()
        let e = Foundation.exp(1.0)
        #expect(Swift.abs(Double(big.scalars[0]) - 1 / (1 + e)) < 1e-7 && Swift.abs(Double(big.scalars[1]) - e / (1 + e)) < 1e-7)
        let xf = Tensor<Float>(converting: x)
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: xf.logSoftmax(alongAxis: 1)), naiveSoftmax(x, axis: 1, logarithmic: true)) < 1e-5)
    }

    @Test func softmaxGradients() {
        let x = sampleTensor([3, 4, 5], in: -2...2)
        for axis in [0, 1, -1] {
            expectGradient([x]) { $0[0].softmax(alongAxis: axis) }
            expectGradient([x]) { $0[0].logSoftmax(alongAxis: axis) }
        }
        let y = sampleTensor([2, 5], in: -2...2)
        expectSecondDerivative([y]) { ($0[0].softmax() * $0[0]).sum() }
        expectSecondDerivative([y]) { $0[0].logSoftmax(alongAxis: 0).square().sum() }
    }

    @Test func layerNormValues() {
        let x = sampleTensor([2, 3, 6], in: -3...3)
        let gain = sampleTensor([6], seed: 2), bias = sampleTensor([6], seed: 3)
        let y = x.layerNormalized(gain: gain, bias: bias, epsilon: 1e-5)
        var expected: [Double] = []
        let v = x.scalars
        for r in 0..<6 {
            let row = Array(v[(r * 6)..<(r * 6 + 6)])
            let mean = row.reduce(0, +) / 6
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
            for (i, value) in row.enumerated() {
                expected.append((value - mean) / (variance + 1e-5).squareRoot() * gain.scalars[i] + bias.scalars[i])
            }
        }
        #expect(largestAbsoluteDifference(y, Tensor(shape: x.shape, scalars: expected)) < 1e-14)
        let plain = x.layerNormalized()
        #expect(Swift.abs(plain.mean(alongAxes: [-1]).scalars.map(Swift.abs).max()!) < 1e-15)
        let yf = Tensor<Float>(converting: x).layerNormalized(gain: Tensor(converting: gain), bias: Tensor(converting: bias))
        #expect(largestAbsoluteDifference(Tensor<Double>(converting: yf), y) < 1e-5)
    }

    @Test func layerNormGradients() {
        let x = sampleTensor([3, 2, 5], in: -2...2)
        let gain = sampleTensor([5], seed: 2, in: 0.5...1.5), bias = sampleTensor([5], seed: 3)
        expectGradient([x, gain, bias]) { $0[0].layerNormalized(gain: $0[1], bias: $0[2], epsilon: 1e-3) }
        expectGradient([x]) { $0[0].layerNormalized(epsilon: 1e-3) }
        expectGradient([x, gain]) { $0[0].layerNormalized(gain: $0[1]) }
        expectSecondDerivative([x, gain, bias]) { $0[0].layerNormalized(gain: $0[1], bias: $0[2], epsilon: 1e-3).tanh().sum() }
    }

    @Test func fusedAndCompositePullbacksAgree() {
        // First-order gradients use the fused kernels; inside an enclosing differentiation the
        // rules run as tensor operations. The two must give the same numbers.
        let x = sampleTensor([4, 7], in: -2...2), w = sampleTensor([4, 7], seed: 5)
        let gain = sampleTensor([7], seed: 2)
        let fs: [(Tensor<Double>) -> Tensor<Double>] = [
            { ($0.softmax(alongAxis: 0) * w).sum() }, { ($0.logSoftmax() * w).sum() },
            { ($0.layerNormalized(gain: gain) * w).sum() },
        ]
        for f in fs {
            let fused = gradient(at: x, of: f)
            #expect(!fused.isTracked)
            // Inside an enclosing differentiation of x the inner gradient is built as a graph.
            let composite = valueAndGradient(at: x) { xv -> Tensor<Double> in
                let g = gradient(at: xv, of: f)
                #expect(g.isTracked)
                return (g * w).sum()
            }.value
            #expect(Swift.abs(composite.scalar - (fused * w).sum().scalar) < 1e-12)
        }
    }

    @Test func attentionMatchesExplicitFormula() {
        let q = sampleTensor([2, 2, 3, 4]), k = sampleTensor([2, 2, 5, 4], seed: 2), v = sampleTensor([2, 2, 5, 3], seed: 3)
        var maskValues = [Double](repeating: 0, count: 15)
        for t in 0..<3 { for s in 0..<5 where s > t + 1 { maskValues[t * 5 + s] = -.infinity } }
        let mask = Tensor<Double>(shape: [3, 5], scalars: maskValues)
        let y = scaledDotProductAttention(q, k, v, mask: mask)
        #expect(y.shape == [2, 2, 3, 3])
        for b in 0..<2 { for h in 0..<2 { for t in 0..<3 {
            var weights = (0..<5).map { s -> Double in
                let dot = (0..<4).reduce(0.0) { $0 + q[b, h, t, $1] * k[b, h, s, $1] }
                return dot / 2 + maskValues[t * 5 + s]
            }
            let m = weights.max()!
            weights = weights.map { Foundation.exp($0 - m) }
            let total = weights.reduce(0, +)
            for e in 0..<3 {
                let expected = (0..<5).reduce(0.0) { $0 + weights[$1] / total * v[b, h, $1, e] }
                #expect(Swift.abs(y[b, h, t, e] - expected) < 1e-14)
            }
        } } }
        expectGradient([q, k, v]) { scaledDotProductAttention($0[0], $0[1], $0[2], mask: mask) }
        expectGradient([q, k, v]) { scaledDotProductAttention($0[0], $0[1], $0[2]) }
        expectSecondDerivative([q, k]) { scaledDotProductAttention($0[0], $0[1], v).square().sum() }
    }
}
