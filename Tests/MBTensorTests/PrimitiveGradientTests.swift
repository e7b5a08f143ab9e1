import CKernels
import Testing
@testable import MBTensor

/// Finite-difference checks, in Double, of every differentiable primitive.
@Suite("Primitive gradients")
struct PrimitiveGradientTests {
    func check(_ inputs: [Tensor<Double>], tolerance: Double = 1e-7, _ f: @escaping ([Tensor<Double>]) -> Tensor<Double>,
               sourceLocation: SourceLocation = #_sourceLocation) {
        let error = GradientCheck.maximumError(at: inputs, of: f)
        #expect(error < tolerance, "max gradient error \(error)", sourceLocation: sourceLocation)
    }

    @Test func broadcastingArithmetic() {
        let a = sampleTensor([2, 3, 4]), b = sampleTensor([3, 1], seed: 2, in: 0.5...2)
        check([a, b]) { $0[0] + $0[1] }
        check([a, b]) { $0[0] - $0[1] }
        check([a, b]) { $0[0] * $0[1] }
        check([a, b]) { $0[0] / $0[1] }
        check([a]) { -$0[0] }
        check([a]) { $0[0].affine(scale: 3, shift: -1) }
        check([b, a]) { $0[0].pow($0[1]) }
        check([a, b]) { $0[0].maximum($0[1]) }
        check([a, b]) { $0[0].minimum($0[1]) }
    }

    @Test func unaryMath() {
        let x = sampleTensor([3, 5]), p = sampleTensor([3, 5], seed: 4, in: 0.2...3)
        for f in [{ (t: Tensor<Double>) in t.exp() }, { $0.expm1() }, { $0.tanh() }, { $0.sigmoid() }, { $0.softplus() },
                  { $0.relu() }, { $0.sin() }, { $0.cos() }, { $0.abs() }, { $0.square() }, { $0.erf() },
                  { $0.clamped(to: -0.5...0.5) }] {
            check([x]) { f($0[0]) }
        }
        for f in [{ (t: Tensor<Double>) in t.log() }, { $0.log1p() }, { $0.sqrt() }, { $0.rsqrt() }, { $0.reciprocal() },
                  { $0.lgamma() }, { $0.digamma() }] {
            check([p]) { f($0[0]) }
        }
    }

    @Test func reductionsAndShapes() {
        let x = sampleTensor([2, 3, 4])
        check([x]) { $0[0].sum(alongAxes: [0, 2]) }
        check([x]) { $0[0].sum(alongAxis: 1, keepingDimensions: true) }
        check([x]) { $0[0].mean(alongAxis: -1) }
        check([x]) { $0[0].max(alongAxis: 1) }
        check([x]) { $0[0].logSumExp(alongAxis: 2) }
        check([x]) { $0[0].variance(alongAxes: [1]) }
        check([x]) { $0[0].reshaped(to: [6, 4]) }
        check([x]) { $0[0].permuted([2, 0, 1]) }
        check([x]) { $0[0].transposed() }
        check([sampleTensor([3, 1])]) { $0[0].broadcast(to: [2, 3, 4]) }
    }

    @Test func matmulAllTransposes() {
        for ta in [false, true] {
            for tb in [false, true] {
                let a = sampleTensor(ta ? [2, 4, 3] : [2, 3, 4]), b = sampleTensor(tb ? [5, 4] : [4, 5], seed: 3)
                check([a, b]) { Tensor.matmul($0[0], $0[1], transposeA: ta, transposeB: tb) }
            }
        }
    }

    @Test func secondDerivatives() {
        // Hessian-vector products of scalar functions against finite differences of the gradient.
        let x = sampleTensor([4], in: 0.3...1.5)
        let fs: [(Tensor<Double>) -> Tensor<Double>] = [
            { ($0.exp() * $0.sin()).sum() }, { $0.tanh().square().sum() }, { $0.sigmoid().log().sum() },
            { $0.softplus().sum() }, { ($0.lgamma() * $0).sum() }, { ($0.sqrt() / ($0 + 1)).sum() },
        ]
        for f in fs {
            let secondOrder = GradientCheck.maximumError(at: [x]) { xs in gradient(at: xs[0]) { f($0) } }
            #expect(secondOrder < 1e-6, "second derivative error \(secondOrder)")
        }
    }
}

@Suite("Affine product")
struct AffineProductTests {
    @Test func matchesMatmulPlusBias() {
        let x = sampleTensor([5, 4]), w = sampleTensor([3, 4], seed: 2), b = sampleTensor([3], seed: 3)
        let fused = Tensor.affineProduct(x, weight: w, bias: b)
        let reference = x.matmul(w, transposeOther: true) + b
        for (u, v) in zip(fused.scalars, reference.scalars) { #expect(Swift.abs(u - v) < 1e-14) }
        #expect(Tensor.affineProduct(x, weight: w, bias: nil) == x.matmul(w, transposeOther: true))
    }

    @Test func gradientsAndSecondDerivatives() {
        let x = sampleTensor([5, 4]), w = sampleTensor([3, 4], seed: 2), b = sampleTensor([3], seed: 3)
        #expect(GradientCheck.maximumError(at: [x, w, b]) { Tensor.affineProduct($0[0], weight: $0[1], bias: $0[2]) } < 1e-8)
        #expect(GradientCheck.maximumError(at: [x, w]) { Tensor.affineProduct($0[0], weight: $0[1], bias: nil) } < 1e-8)
        let second = GradientCheck.maximumError(at: [x]) { xs in
            gradient(at: xs[0]) { Tensor.affineProduct($0, weight: w, bias: b).tanh().sum() }
        }
        #expect(second < 1e-7)
    }
}

@Suite("Small products")
struct SmallProductTests {
    /// Our small-product kernel (used below ~10⁵ multiply–adds) against a plain triple loop,
    /// for every transpose combination, ragged sizes and both precisions.
    @Test(arguments: [(3, 5, 7), (8, 51, 201), (8, 201, 51), (51, 201, 8), (4, 16, 64), (9, 33, 65), (1, 1, 1), (5, 70, 3)])
    func matchesTripleLoop(sizes: (Int, Int, Int)) {
        let (m, n, k) = sizes
        for ta in [false, true] {
            for tb in [false, true] {
                let a = sampleTensor(ta ? [k, m] : [m, k]), b = sampleTensor(tb ? [n, k] : [k, n], seed: 5)
                let c = Tensor.matmul(a, b, transposeA: ta, transposeB: tb)
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var s = 0.0
                        for p in 0..<k { s += (ta ? a[p, i] : a[i, p]) * (tb ? b[j, p] : b[p, j]) }
                        worst = Swift.max(worst, Swift.abs(s - c[i, j]))
                    }
                }
                #expect(worst < 1e-12, "m \(m) n \(n) k \(k) transposes \(ta) \(tb): error \(worst)")
                let cf = Tensor.matmul(Tensor<Float>(converting: a), Tensor<Float>(converting: b), transposeA: ta, transposeB: tb)
                for (u, v) in zip(cf.scalars, c.scalars) { #expect(Swift.abs(Double(u) - v) < 1e-4 * Double(k)) }
            }
        }
    }
}

@Suite("Fused activation pullbacks")
struct ActivationPullbackTests {
    @Test func valuesAndGradients() {
        let g = sampleTensor([3, 4], seed: 7), y = sampleTensor([3, 4], seed: 8, in: -0.9...0.9)
        let tanhGrad = Tensor.activationPullback(MB_BINARY_TANH_GRAD, g, y)
        let sigmoidGrad = Tensor.activationPullback(MB_BINARY_SIGMOID_GRAD, g, y)
        let reluGrad = Tensor.activationPullback(MB_BINARY_RELU_GRAD, g, y)
        for i in 0..<12 {
            let (a, b) = (g.scalars[i], y.scalars[i])
            #expect(Swift.abs(tanhGrad.scalars[i] - a * (1 - b * b)) < 1e-15)
            #expect(Swift.abs(sigmoidGrad.scalars[i] - a * b * (1 - b)) < 1e-15)
            #expect(reluGrad.scalars[i] == (b > 0 ? a : 0))
        }
        for op in [MB_BINARY_TANH_GRAD, MB_BINARY_SIGMOID_GRAD, MB_BINARY_RELU_GRAD] {
            let error = GradientCheck.maximumError(at: [g, y]) { Tensor.activationPullback(op, $0[0], $0[1]) }
            #expect(error < 1e-8, "op \(op.rawValue): gradient error \(error)")
        }
    }
}
