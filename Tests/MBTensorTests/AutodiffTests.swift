import Testing
@testable import MBTensor

/// Deterministic test inputs in (lo, hi).
func sampleTensor(_ shape: [Int], seed: Int = 1, in range: ClosedRange<Double> = -1...1) -> Tensor<Double> {
    let n = shape.reduce(1, *)
    let values = (0..<n).map { i -> Double in
        let u = (Double((i + 1) * 7919 + seed * 104729) * 0.6180339887).truncatingRemainder(dividingBy: 1)
        return range.lowerBound + (range.upperBound - range.lowerBound) * u
    }
    return Tensor(shape: shape, scalars: values)
}

@Suite("Autodiff engine")
struct AutodiffTests {
    @Test func polynomialGradient() {
        let x = Tensor<Double>([1, 2, 3])
        let (value, g) = valueAndGradient(at: x) { ($0 * $0 * $0).sum() }
        #expect(value.scalar == 36)
        #expect(g.scalars == [3, 12, 27])
    }

    @Test func unusedVariableGetsZeroGradient() {
        let g = gradient(at: [Tensor<Double>([1, 2]), Tensor<Double>([5])]) { xs in xs[0].sum() }
        #expect(g[1].scalars == [0])
        #expect(g[0].scalars == [1, 1])
    }

    @Test func secondDerivativeOfCube() {
        // d/dx [d/dx x³] = 6x
        let x = Tensor<Double>([0.5, -2])
        let h = gradient(at: x) { x in gradient(at: x) { ($0 * $0 * $0).sum() }.sum() }
        #expect(h.scalars == [3, -12])
    }

    @Test func gradientOfLossContainingGradient() {
        // Force matching: V(x; θ) = θ x², F = −∂V/∂x = −2θx; L = Σ (F − F*)², ∂L/∂θ = Σ 2(F − F*)(−2x).
        let x = Tensor<Double>([1, 2, -1])
        let target = Tensor<Double>([-1, -1, 0.5])
        let theta = Tensor<Double>([0.7])
        let g = gradient(at: theta) { th in
            let force = -gradient(at: x) { x in (th * x * x).sum() }
            return (force - target).square().sum()
        }
        let f = x.scalars.map { -2 * 0.7 * $0 }
        let expected = zip(zip(f, target.scalars), x.scalars).map { 2 * ($0.0 - $0.1) * (-2 * $1) }.reduce(0, +)
        #expect(Swift.abs(g.scalar - expected) < 1e-12)
    }

    @Test func jacobianVectorProductMatchesExplicitJacobian() {
        let a = sampleTensor([3, 4])
        let x = sampleTensor([4, 1], seed: 2)
        let t = sampleTensor([4, 1], seed: 3)
        let (_, jv) = jacobianVectorProduct(at: [x], tangents: [t]) { xs in a.matmul(xs[0]).tanh() }
        // J = diag(1 − tanh²(Ax)) A
        let y = a.matmul(x).tanh()
        let expected = (1 - y.square()) * a.matmul(t)
        for (u, v) in zip(jv.scalars, expected.scalars) { #expect(Swift.abs(u - v) < 1e-12) }
    }

    @Test func constantsAreNotTracked() {
        let x = Tensor<Double>([1, 2])
        #expect(!(x * x).isTracked)
        _ = gradient(at: x) { v in
            #expect(v.isTracked)
            #expect((v * x).isTracked)
            return v.sum()
        }
    }
}
