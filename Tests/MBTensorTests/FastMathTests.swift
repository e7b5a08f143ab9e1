import Foundation
import Testing
@testable import MBTensor

/// Accuracy of the single-precision vector kernels against libm evaluated in Double.
@Suite("Fast single-precision math")
struct FastMathTests {
    /// Inputs: a dense sweep of [lo, hi], huge and tiny magnitudes, signed zeros, ±∞, NaN.
    func inputs(_ lo: Float, _ hi: Float) -> [Float] {
        var xs = (0...20_000).map { lo + (hi - lo) * Float($0) / 20_000 }
        xs += [0, -0, .infinity, -.infinity, .nan, 1e-30, -1e-30, Float.leastNormalMagnitude / 128, -Float.leastNormalMagnitude / 128, 1e30, -1e30,
               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude]
        return xs
    }

    /// Distance in units of the last place of the correctly rounded reference.
    func ulps(_ value: Float, _ reference: Double) -> Double {
        let r = Float(reference)
        if r.isNaN { return value.isNaN ? 0 : .infinity }
        if r.isInfinite || value.isInfinite { return value == r ? 0 : .infinity }
        if value == r { return 0 }
        return Swift.abs(Double(value) - reference) / Double(Swift.max(r.magnitude.ulp, Float.leastNonzeroMagnitude))
    }

    func check(_ name: String, _ op: (Tensor<Float>) -> Tensor<Float>, _ reference: (Double) -> Double,
               range: (Float, Float), ulpTolerance: Double, absoluteTolerance: Double = 0) {
        let xs = inputs(range.0, range.1)
        let ys = op(Tensor(xs)).scalars
        var worst = 0.0, worstX: Float = 0
        for (x, y) in zip(xs, ys) {
            let e = reference(Double(x))
            var u = ulps(y, e)
            if absoluteTolerance > 0, Swift.abs(Double(y) - e) <= absoluteTolerance { u = 0 }
            if u > worst { worst = u; worstX = x }
        }
        #expect(worst <= ulpTolerance, "\(name): \(worst) ulp at x = \(worstX)")
    }

    @Test func accuracyAgainstLibm() {
        check("exp", { $0.exp() }, Foundation.exp, range: (-110, 95), ulpTolerance: 2)
        check("log", { $0.log() }, Foundation.log, range: (-1, 1e4), ulpTolerance: 2)
        check("log small", { $0.log() }, Foundation.log, range: (0, 1e-37), ulpTolerance: 2)
        check("log1p", { $0.log1p() }, Foundation.log1p, range: (-1, 100), ulpTolerance: 4)
        check("expm1", { $0.expm1() }, Foundation.expm1, range: (-20, 20), ulpTolerance: 4)
        check("tanh", { $0.tanh() }, Foundation.tanh, range: (-12, 12), ulpTolerance: 5)
        check("sigmoid", { $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) }, range: (-110, 110), ulpTolerance: 4)
        check("softplus", { $0.softplus() }, { $0 > 0 ? $0 + Foundation.log1p(Foundation.exp(-$0)) : Foundation.log1p(Foundation.exp($0)) },
              range: (-100, 100), ulpTolerance: 4)
        check("erf", { $0.erf() }, Foundation.erf, range: (-6, 6), ulpTolerance: 8, absoluteTolerance: 1e-30)
        check("erf near 0", { $0.erf() }, Foundation.erf, range: (-0.01, 0.01), ulpTolerance: 5)
        check("gelu", { $0.gelu() }, { 0.5 * $0 * Foundation.erfc(-$0 / 2.0.squareRoot()) }, range: (-5, 10), ulpTolerance: 16,
              absoluteTolerance: 5e-8)
        check("elu", { $0.elu() }, { $0 > 0 ? $0 : Foundation.expm1($0) }, range: (-20, 20), ulpTolerance: 4)
    }

    @Test func doublePathIsLibm() {
        let xs = (0...2000).map { -30 + 60 * Double($0) / 2000 } + [0, .infinity, -.infinity]
        let t = Tensor<Double>(xs)
        #expect(t.exp().scalars == xs.map(Foundation.exp))
        #expect(t.tanh().scalars == xs.map(Foundation.tanh))
        #expect(t.abs().log().scalars == xs.map { Foundation.log(Swift.abs($0)) })
        #expect(t.erf().scalars == xs.map(Foundation.erf))
    }
}
