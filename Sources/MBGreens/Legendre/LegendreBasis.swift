import ComplexModule
import Foundation
import RealModule

/// Special functions for the Legendre representation of Green's functions
/// (Boehnke, Hafermann, Ferrero, Lechermann, Parcollet, Phys. Rev. B 84, 075145 (2011)).
public enum LegendreBasis {
    /// P_0(x) … P_{count−1}(x) by the three-term recurrence (l+1)P_{l+1} = (2l+1)xP_l − lP_{l−1},
    /// stable on −1 ≤ x ≤ 1.
    public static func polynomials(count: Int, at x: Double) -> [Double] {
        var result = [Double](repeating: 0, count: max(count, 0))
        fillPolynomials(&result, at: x)
        return result
    }

    @inline(__always)
    static func fillPolynomials(_ p: inout [Double], at x: Double) {
        let count = p.count
        if count == 0 { return }
        p[0] = 1
        if count == 1 { return }
        p[1] = x
        if count == 2 { return }
        for l in 1..<(count - 1) {
            p[l + 1] = (Double(2 * l + 1) * x * p[l] - Double(l) * p[l - 1]) / Double(l + 1)
        }
    }

    /// Spherical Bessel functions j_0(x) … j_{count−1}(x) for x ≥ 0.
    ///
    /// For x ≥ count the upward recurrence j_{l+1} = (2l+1)/x · j_l − j_{l−1} from
    /// j_0 = sin x/x, j_1 = sin x/x² − cos x/x is stable (l < x). Otherwise Miller's downward
    /// recurrence from l = count + x + 40 + … , normalised with Σ_l (2l+1) j_l(x)² = 1 and signed
    /// by the larger of j_0, j_1 (so it works at zeros of sin x, e.g. the bosonic x = nπ).
    public static func sphericalBessel(count: Int, at x: Double) -> [Double] {
        precondition(x >= 0 && x.isFinite, "sphericalBessel needs a finite x ≥ 0, got \(x)")
        if count <= 0 { return [] }
        if x == 0 { return (0..<count).map { $0 == 0 ? 1 : 0 } }
        return x >= Double(count) ? sphericalBesselUpward(count: count, at: x) : sphericalBesselMiller(count: count, at: x)
    }

    static func sphericalBesselUpward(count: Int, at x: Double) -> [Double] {
        var j = [Double](repeating: 0, count: count)
        j[0] = sin(x) / x
        if count > 1 { j[1] = sin(x) / (x * x) - cos(x) / x }
        if count > 2 {
            for l in 1..<(count - 1) { j[l + 1] = Double(2 * l + 1) / x * j[l] - j[l - 1] }
        }
        return j
    }

    static func sphericalBesselMiller(count: Int, at x: Double) -> [Double] {
        let start = count + Int(x) + 40 + Int(10 * Double(count + Int(x)).squareRoot())
        var j = [Double](repeating: 0, count: count)
        var above = 0.0, current = 1.0, sum = 0.0
        for l in stride(from: start, through: 0, by: -1) {
            if l < count { j[l] = current }
            sum += Double(2 * l + 1) * current * current
            let below = Double(2 * l + 1) / x * current - above
            above = current
            current = below
            if abs(current) > 1e100 {
                let scale = 1e-100
                current *= scale
                above *= scale
                sum *= scale * scale
                if l < count { for k in l..<count { j[k] *= scale } }
            }
        }
        let j0 = sin(x) / x
        let j1 = count > 1 ? sin(x) / (x * x) - cos(x) / x : 0
        let reference = abs(j0) >= abs(j1) || count == 1 ? (j[0], j0) : (j[1], j1)
        let norm = 1 / sum.squareRoot()
        let sign: Double = (reference.0 >= 0) == (reference.1 >= 0) ? 1 : -1
        return j.map { $0 * norm * sign }
    }

    /// T_nl for l = 0..<count: G(iω_n) = Σ_l T_nl G_l, with (x = ω_nβ/2)
    /// fermions T_nl = (−1)^n i^{l+1} √(2l+1) j_l((2n+1)π/2),
    /// bosons   T_nl = (−1)^n i^l √(2l+1) j_l(nπ)
    /// (from ∫₀^β dτ e^{iωτ} P_l(2τ/β − 1) = β e^{iωβ/2} i^l j_l(ωβ/2) · 2/2).
    public static func matsubaraCoefficients(frequencyIndex n: Int, count: Int, statistic: Statistic) -> [Complex<Double>] {
        precondition(n >= 0, "frequency index must be non-negative, got \(n)")
        let x = statistic == .fermion ? Double(2 * n + 1) * Double.pi / 2 : Double(2 * n) * Double.pi / 2
        let bessel = sphericalBessel(count: count, at: x)
        let phase = statistic == .fermion ? (n % 2 == 0 ? Complex<Double>(0, 1) : Complex(0, -1)) : (n % 2 == 0 ? Complex(1) : Complex(-1))
        var power = phase
        return (0..<count).map { l in
            defer { power = power * Complex(0, 1) }
            return power.multiplied(by: Double(2 * l + 1).squareRoot() * bessel[l])
        }
    }
}
