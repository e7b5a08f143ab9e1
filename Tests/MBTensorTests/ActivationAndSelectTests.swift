import Foundation
import Testing
@testable import MBTensor

@Suite("GELU, ELU and select")
struct ActivationAndSelectTests {
    @Test func geluAndEluValues() {
        let xs: [Double] = [-3, -1, -0.25, 0, 0.5, 2, 8]
        let x = Tensor<Double>(xs)
        for (y, v) in zip(x.gelu().scalars, xs) { #expect(Swift.abs(y - 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot()))) < 1e-15) }
        for (y, v) in zip(x.elu(alpha: 0.7).scalars, xs) { #expect(Swift.abs(y - (v > 0 ? v : 0.7 * Foundation.expm1(v))) < 1e-15) }
        let xf = Tensor<Float>(xs.map(Float.init))
        for (y, v) in zip(xf.gelu().scalars, xs) { #expect(Swift.abs(Double(y) - 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot()))) < 1e-6) }
        #expect(Swift.abs(Tensor<Double>([1.0]).gelu().scalar - 0.841344746068542948) < 3e-16) // Φ(1)
    }

    @Test func activationGradients() {
        let x = sampleTensor([3, 4], in: -3...3)
        expectGradient([x]) { $0[0].gelu() }
        expectGradient([x]) { $0[0].elu() }
        expectGradient([x]) { $0[0].elu(alpha: 0.3) }
        expectSecondDerivative([x]) { ($0[0].gelu() * $0[0]).sum() }
        expectSecondDerivative([x]) { $0[0].elu(alpha: 1.5).square().sum() }
    }

    @Test func selectBroadcastsAndIgnoresUnselectedNaN() {
        let condition = Tensor<Double>(shape: [2, 1], scalars: [1, 0])
        let a = Tensor<Double>([1, 2, 3])
        let b = Tensor<Double>(shape: [2, 3], scalars: [.nan, .infinity, -.infinity, 4, 5, 6])
        let y = select(condition, a, b)
        #expect(y.shape == [2, 3])
        #expect(y.scalars == [1, 2, 3, 4, 5, 6])
        // The composite mask*a + (1-mask)*b would give NaN here.
        #expect(!y.hasNonFinite)
        let scalarBranch = select(Tensor<Double>([0, 1, 0]), Tensor<Double>(7), a)
        #expect(scalarBranch.scalars == [1, 7, 3])
    }

    @Test func selectGradients() {
        let condition = Tensor<Double>(shape: [3, 1], scalars: [1, 0, 1])
        let a = sampleTensor([3, 4]), b = sampleTensor([4], seed: 2)
        expectGradient([a, b]) { select(condition, $0[0], $0[1]) }
        expectGradient([a, b]) { select(condition, $0[0].exp(), $0[1].square()) }
        let (_, g) = valueAndGradient(at: [a, b]) { select(condition, $0[0], $0[1]).sum() }
        #expect(g[0].scalars == [1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(g[1].scalars == [1, 1, 1, 1])
        expectSecondDerivative([a]) { select(condition, $0[0].cube(), $0[0].sin()).sum() }
    }
}

private extension Tensor {
    func cube() -> Tensor { self * self * self }
}
