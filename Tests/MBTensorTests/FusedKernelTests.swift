import Testing
@testable import MBTensor

/// The fused attention and single-precision layer-norm kernels against compositions
/// of the basic primitives (an additive zero mask sends `scaledDotProductAttention` down its
/// composite path of matmul and softmax).
@Suite("Fused attention and layer-norm kernels")
struct FusedKernelTests {
    func composite<S: TensorScalar>(_ q: Tensor<S>, _ k: Tensor<S>, _ v: Tensor<S>) -> Tensor<S> {
        scaledDotProductAttention(q, k, v, mask: Tensor(zeros: [q.shape[q.rank - 2], k.shape[k.rank - 2]]))
    }

    /// Odd sizes: fewer queries than a register block, keys not a multiple of the vector
    /// width, feature counts off the vector width, dᵥ ≠ d.
    let shapes: [(q: [Int], k: [Int], v: [Int])] = [
        ([2, 3, 7, 5], [2, 3, 9, 5], [2, 3, 9, 4]),
        ([1, 13, 16], [1, 13, 16], [1, 13, 16]),
        ([4, 3, 33], [4, 21, 33], [4, 21, 17]),
        ([2, 2, 40, 8], [2, 2, 40, 8], [2, 2, 40, 8]),
    ]

    @Test func fusedAttentionMatchesComposite() {
        for (i, s) in shapes.enumerated() {
            let q = sampleTensor(s.q, seed: 3 * i + 1, in: -2...2), k = sampleTensor(s.k, seed: 3 * i + 2, in: -2...2)
            let v = sampleTensor(s.v, seed: 3 * i + 3)
            let fused = scaledDotProductAttention(q, k, v)
            #expect(fused.shape == Array(s.q.dropLast()) + [s.v.last!])
            #expect(largestAbsoluteDifference(fused, composite(q, k, v)) < 1e-14)
            let (qf, kf, vf) = (Tensor<Float>(converting: q), Tensor<Float>(converting: k), Tensor<Float>(converting: v))
            #expect(largestAbsoluteDifference(Tensor<Double>(converting: scaledDotProductAttention(qf, kf, vf)), fused) < 2e-6)
        }
    }

    @Test func fusedAttentionGradientsMatchComposite() {
        for (i, s) in shapes.enumerated() {
            let q = sampleTensor(s.q, seed: 3 * i + 1, in: -2...2), k = sampleTensor(s.k, seed: 3 * i + 2, in: -2...2)
            let v = sampleTensor(s.v, seed: 3 * i + 3)
            let w = sampleTensor(Array(s.q.dropLast()) + [s.v.last!], seed: 40 + i)
            let fused = gradient(at: [q, k, v]) { xs in (scaledDotProductAttention(xs[0], xs[1], xs[2]) * w).sum() }
            let reference = gradient(at: [q, k, v]) { xs in (composite(xs[0], xs[1], xs[2]) * w).sum() }
            for (a, b) in zip(fused, reference) { #expect(largestAbsoluteDifference(a, b) < 1e-13) }
            // Single precision against the double-precision composite.
            let fusedFloat = gradient(at: [q, k, v].map { Tensor<Float>(converting: $0) }) { xs in
                (scaledDotProductAttention(xs[0], xs[1], xs[2]) * Tensor<Float>(converting: w)).sum()
            }
            for (a, b) in zip(fusedFloat, reference) { #expect(largestAbsoluteDifference(Tensor<Double>(converting: a), b) < 1e-5) }
            // Gradients for only some inputs (the kernel skips the others).
            let onlyValue = gradient(at: v) { (scaledDotProductAttention(q, k, $0) * w).sum() }
            #expect(largestAbsoluteDifference(onlyValue, reference[2]) < 1e-13)
            let onlyQuery = gradient(at: q) { (scaledDotProductAttention($0, k, v) * w).sum() }
            #expect(largestAbsoluteDifference(onlyQuery, reference[0]) < 1e-13)
        }
        let s = shapes[0]
        expectGradient([sampleTensor(s.q), sampleTensor(s.k, seed: 2), sampleTensor(s.v, seed: 3)]) {
            scaledDotProductAttention($0[0], $0[1], $0[2])
        }
    }

    @Test func fusedAttentionSecondDerivatives() {
        let q = sampleTensor([2, 4, 3]), k = sampleTensor([2, 5, 3], seed: 2), v = sampleTensor([2, 5, 2], seed: 3)
        expectSecondDerivative([q, k, v]) { scaledDotProductAttention($0[0], $0[1], $0[2]).square().sum() }
        // Inside an enclosing differentiation the pullback runs as tensor operations; it must
        // agree with the fused backward kernel.
        let w = sampleTensor([2, 4, 2], seed: 9)
        let f: ([Tensor<Double>]) -> Tensor<Double> = { xs in (scaledDotProductAttention(xs[0], xs[1], xs[2]) * w).sum() }
        let fused = gradient(at: [q, k, v], of: f)
        let nested = valueAndGradient(at: q) { qv -> Tensor<Double> in
            let g = gradient(at: [qv, k, v], of: f)
            let allTracked = g.allSatisfy { $0.isTracked }
            #expect(allTracked)
            return g.reduce(Tensor(0)) { $0 + $1.square().sum() }
        }.value
        #expect(Swift.abs(nested.scalar - fused.reduce(0.0) { $0 + $1.square().sum().scalar }) < 1e-12)
    }

    /// The packed layout: x [B, T, 3·H·dₕ] → q, k, v heads → attention → heads merged.
    func packedReference(_ x: Tensor<Double>, heads: Int) -> Tensor<Double> {
        let (b, t, width) = (x.shape[0], x.shape[1], x.shape[2] / 3)
        let parts = x.reshaped(to: [b, t, 3, heads, width / heads]).permuted([2, 0, 3, 1, 4])
        let qkv = (0..<3).map { parts.sliced(alongAxis: 0, $0..<($0 + 1)).reshaped(to: [b, heads, t, width / heads]) }
        return composite(qkv[0], qkv[1], qkv[2]).permuted([0, 2, 1, 3]).reshaped(to: [b, t, width])
    }

    @Test func packedSelfAttentionMatchesPerHeadAttention() {
        for (b, t, heads, dh) in [(2, 11, 3, 4), (1, 23, 2, 16), (3, 6, 1, 7)] {
            let x = sampleTensor([b, t, 3 * heads * dh], seed: t, in: -2...2)
            let w = sampleTensor([b, t, heads * dh], seed: 5)
            #expect(largestAbsoluteDifference(x.packedSelfAttention(heads: heads), packedReference(x, heads: heads)) < 1e-14)
            let xf = Tensor<Float>(converting: x)
            #expect(largestAbsoluteDifference(Tensor<Double>(converting: xf.packedSelfAttention(heads: heads)),
                                              packedReference(x, heads: heads)) < 2e-6)
            let fused = gradient(at: x) { ($0.packedSelfAttention(heads: heads) * w).sum() }
            let reference = gradient(at: x) { (packedReference($0, heads: heads) * w).sum() }
            #expect(largestAbsoluteDifference(fused, reference) < 1e-13)
        }
        let x = sampleTensor([2, 3, 12], in: -1...1)
        expectGradient([x]) { $0[0].packedSelfAttention(heads: 2) }
        expectSecondDerivative([x]) { $0[0].packedSelfAttention(heads: 2).square().sum() }
    }

    @Test func singlePrecisionLayerNormMatchesDouble() {
        // 8-row groups plus leftover rows; row lengths on and off the vector width.
        for (rows, n) in [(37, 64), (16, 24), (5, 16), (9, 20)] {
            let x = sampleTensor([rows, n], seed: n, in: -3...3), g = sampleTensor([rows, n], seed: 7)
            let gain = sampleTensor([n], seed: 2, in: 0.5...1.5), bias = sampleTensor([n], seed: 3)
            let y = x.layerNormalized(gain: gain, bias: bias)
            let (xf, gainf, biasf) = (Tensor<Float>(converting: x), Tensor<Float>(converting: gain), Tensor<Float>(converting: bias))
            #expect(largestAbsoluteDifference(Tensor<Double>(converting: xf.layerNormalized(gain: gainf, bias: biasf)), y) < 2e-6)
            let exact = gradient(at: [x, gain, bias]) { ($0[0].layerNormalized(gain: $0[1], bias: $0[2]) * g).sum() }
            let single = gradient(at: [xf, gainf, biasf]) {
                ($0[0].layerNormalized(gain: $0[1], bias: $0[2]) * Tensor<Float>(converting: g)).sum()
            }
            for (a, b) in zip(single, exact) { #expect(largestAbsoluteDifference(Tensor<Double>(converting: a), b) < 2e-5) }
        }
    }
}
