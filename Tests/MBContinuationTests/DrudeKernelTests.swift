import Foundation
import MBTensor
import Testing
@testable import MBContinuation

/// Adaptive Simpson quadrature (independent of the kernel's Gauss–Legendre rule).
func adaptiveSimpson(_ f: (Double) -> Double, _ a: Double, _ b: Double, tolerance: Double) -> Double {
    func recurse(_ a: Double, _ b: Double, _ fa: Double, _ fm: Double, _ fb: Double, _ whole: Double, _ tol: Double, _ depth: Int) -> Double {
        let m = (a + b) / 2, lm = (a + m) / 2, rm = (m + b) / 2
        let flm = f(lm), frm = f(rm)
        let left = (m - a) / 6 * (fa + 4 * flm + fm), right = (b - m) / 6 * (fm + 4 * frm + fb)
        if depth > 40 || abs(left + right - whole) <= 15 * tol { return left + right + (left + right - whole) / 15 }
        return recurse(a, m, fa, flm, fm, left, tol / 2, depth + 1) + recurse(m, b, fm, frm, fb, right, tol / 2, depth + 1)
    }
    let fa = f(a), fb = f(b), fm = f((a + b) / 2)
    return recurse(a, b, fa, fm, fb, (b - a) / 6 * (fa + 4 * fm + fb), tolerance, 0)
}

/// Λ(τ) = ∫₀^∞ (dω/π) ω cosh(ω(β/2 − τ))/sinh(βω/2) γ/(ω² + γ²), by quadrature on panels
/// that double in width, up to where e^{−ω min(τ, β−τ)} < 1e-20.
func quadratureLambda(gamma: Double, temperature: Double, x: Double) -> Double {
    let beta = 1 / temperature, tau = x * beta
    func integrand(_ w: Double) -> Double {
        if w == 0 { return 2 / (Double.pi * beta) / gamma }
        let kernel = w * (exp(-w * tau) + exp(-w * (beta - tau))) / (-expm1(-beta * w)) / Double.pi
        return kernel * gamma / (w * w + gamma * gamma)
    }
    let end = 46 / min(tau, beta - tau)
    var total = 0.0, a = 0.0, b = min(gamma, 1e-2, end)
    while a < end {
        total += adaptiveSimpson(integrand, a, b, tolerance: 1e-15 * max(1, abs(total)))
        a = b
        b = min(2 * b, end)
    }
    return total
}

@Suite("Drude kernels")
struct DrudeKernelTests {
    @Test("Gauss–Legendre rule integrates polynomials of degree 2n − 1 exactly")
    func gaussLegendre() {
        let (x, w) = GaussLegendre.rule(points: 24)
        for degree in [0, 7, 30, 46, 47] {
            let integral = zip(x, w).reduce(0) { $0 + $1.1 * pow($1.0, Double(degree)) }
            let exact = degree % 2 == 1 ? 0 : 2 / Double(degree + 1)
            #expect(abs(integral - exact) < 1e-14, "degree \(degree): \(integral) vs \(exact)")
        }
    }

    @Test("physical kernel equals adaptive quadrature of the ω integral to 1e-8 relative")
    func physicalAgainstQuadrature() {
        let gammas = [0.001, 0.005, 0.05, 0.3, 1.2, 4, 10]
        let temperatures = [0.1, 0.4, 1.0]
        let xs = [0.0025, 0.0175, 0.2475, 0.5025, 0.9975]
        var g: [Double] = [], t: [Double] = []
        for gamma in gammas { for T in temperatures { g.append(gamma); t.append(T) } }
        let lambda = PhysicalDrudeKernel.lambda(gamma: g, temperature: t, reducedTime: xs).scalars
        var worst = 0.0
        for r in g.indices {
            for (i, x) in xs.enumerated() {
                let exact = quadratureLambda(gamma: g[r], temperature: t[r], x: x)
                worst = max(worst, abs(lambda[r * xs.count + i] - exact) / exact)
            }
        }
        #expect(worst < 1e-8, "largest relative difference \(worst)")
    }

    @Test("physical kernel limits: γ → 0 gives Λ = T; symmetric about β/2")
    func physicalLimits() {
        let xs = ContinuationGrids.reducedTime
        let lambda = PhysicalDrudeKernel.lambda(gamma: [1e-9, 2.5], temperature: [0.3, 0.7], reducedTime: xs).scalars
        for i in xs.indices {
            #expect(abs(lambda[i] - 0.3) < 1e-7)
            #expect(abs(lambda[xs.count + i] - lambda[xs.count + xs.count - 1 - i]) < 1e-12)
        }
    }

    @Test("paper kernel equals equations (4)–(6) summed term by term to 1e-10 relative")
    func paperSeries() {
        let xs = [0.0025, 0.1, 0.3333, 0.5, 0.77, 0.9975]
        let gammas = [0.005, 0.7, 9.9]
        for terms in [1, 10, 1000] {
            let lambda = PaperDrudeKernel.lambda(gamma: gammas, reducedTime: xs, terms: terms).scalars
            for (r, gamma) in gammas.enumerated() {
                for (k, x) in xs.enumerated() {
                    var series = 0.0
                    for i in stride(from: terms, through: 1, by: -1) {
                        let n = Double(i)
                        series += cos(2 * Double.pi * n * x) / (gamma * n + 2 * Double.pi * n * n + 1.0 / 4000)
                    }
                    let f0 = -(1 / (2 * Double.pi)) * (log(4 * pow(sin(Double.pi * x), 2)) + 1.0 / 4000)
                    let expected = 1 / gamma + f0 + series
                    let value = lambda[r * xs.count + k]
                    #expect(abs(value - expected) <= 1e-10 * abs(expected), "γ \(gamma), x \(x), \(terms) terms: \(value) vs \(expected)")
                }
            }
        }
    }
}
