import Foundation
import Testing
@testable import MBTensor

private let eulerGamma = 0.57721566490153286061

private func values(_ f: (Tensor<Double>) -> Tensor<Double>, _ xs: [Double]) -> [Double] { f(Tensor(xs)).scalars }

private func expectClose(_ a: Double, _ b: Double, relative: Double = 1e-13, _ label: String = "",
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(Swift.abs(a - b) <= relative * Swift.max(1, Swift.abs(b)), "\(label): \(a) vs \(b)", sourceLocation: sourceLocation)
}

@Suite("Special functions: lgamma, digamma, trigamma against exact values")
struct SpecialFunctionTests {
    @Test func digammaKnownValues() {
        let x = [1, 0.5, 0.25]
        let exact = [-eulerGamma, -eulerGamma - 2 * Foundation.log(2.0), -eulerGamma - Double.pi / 2 - 3 * Foundation.log(2.0)]
        for (v, e) in zip(values({ $0.digamma() }, x), exact) { expectClose(v, e, "ψ") }
        // ψ(n + 1) = H_n − γ.
        var harmonic = 0.0
        for n in 1...20 {
            harmonic += 1 / Double(n)
            expectClose(values({ $0.digamma() }, [Double(n + 1)])[0], harmonic - eulerGamma, "ψ(\(n + 1))")
        }
    }

    @Test func digammaRecurrenceReflectionAndAsymptotics() {
        let xs = [0.013, 0.3, 1.7, 4.2, 5.99, 6.01, 17.5, -0.4, -2.7]
        let psi = values({ $0.digamma() }, xs), psiNext = values({ $0.digamma() }, xs.map { $0 + 1 })
        for (i, x) in xs.enumerated() { expectClose(psiNext[i] - psi[i], 1 / x, relative: 1e-12, "ψ(x+1) − ψ(x) at \(x)") }
        // ψ(1 − x) − ψ(x) = π cot(πx).
        for x in [0.3, 0.77, -1.35] {
            let d = values({ $0.digamma() }, [1 - x, x])
            expectClose(d[0] - d[1], Double.pi / Foundation.tan(Double.pi * x), relative: 1e-12, "reflection at \(x)")
        }
        for x in [1e3, 1e6, 1e12] {
            let asymptotic = Foundation.log(x) - 1 / (2 * x) - 1 / (12 * x * x) + 1 / (120 * x * x * x * x)
            expectClose(values({ $0.digamma() }, [x])[0], asymptotic, relative: 1e-15, "ψ(\(x))")
        }
        #expect(values({ $0.digamma() }, [0, -3]).allSatisfy { $0.isNaN })
        let f = Tensor<Float>([1, 0.5]).digamma().scalars
        #expect(Swift.abs(Double(f[0]) + eulerGamma) < 1e-6 && Swift.abs(Double(f[1]) + eulerGamma + 2 * Foundation.log(2.0)) < 1e-6)
    }

    @Test func lgammaAgainstLogFactorials() {
        var logFactorial = 0.0  // log((n − 1)!)
        for n in 1...60 {
            if n > 1 { logFactorial += Foundation.log(Double(n - 1)) }
            expectClose(values({ $0.lgamma() }, [Double(n)])[0], logFactorial, relative: 1e-14, "lgamma(\(n))")
        }
        // Γ(1/2) = √π, Γ(−1/2) = −2√π (log of the absolute value), Γ(0.1) = 9.513507698668731836…
        let v = values({ $0.lgamma() }, [0.5, -0.5, 0.1])
        expectClose(v[0], 0.5 * Foundation.log(Double.pi), "lgamma(1/2)")
        expectClose(v[1], Foundation.log(2 * Double.pi.squareRoot()), "lgamma(−1/2)")
        expectClose(v[2], Foundation.log(9.513507698668731836), "lgamma(0.1)")
        #expect(Swift.abs(Double(Tensor<Float>([10]).lgamma().scalar) - Foundation.log(362_880.0)) < 1e-5)
    }

    @Test func trigammaKnownValuesAndRecurrence() {
        let v = values({ $0.trigamma() }, [1, 0.5])
        expectClose(v[0], Double.pi * Double.pi / 6, "ψ₁(1)")
        expectClose(v[1], Double.pi * Double.pi / 2, "ψ₁(1/2)")
        let xs = [0.2, 2.5, 5.9, -0.6]
        let a = values({ $0.trigamma() }, xs), b = values({ $0.trigamma() }, xs.map { $0 + 1 })
        for (i, x) in xs.enumerated() { expectClose(b[i], a[i] - 1 / (x * x), relative: 1e-12, "ψ₁ recurrence at \(x)") }
        let x = 1e4
        expectClose(values({ $0.trigamma() }, [x])[0], 1 / x + 1 / (2 * x * x) + 1 / (6 * x * x * x), relative: 1e-15, "ψ₁ asymptotic")
    }
}

@Suite("Log-densities: values and gradients")
struct LogProbabilityTests {
    @Test func betaLogProbabilityValues() {
        // Beta(2, 3): 12 x (1 − x)²; Beta(½, ½): 1 / (π √(x(1 − x))).
        let x = Tensor<Double>([0.4, 0.05, 0.9])
        let b23 = betaLogProbability(x, alpha: Tensor(2), beta: Tensor(3)).scalars
        for (v, xi) in zip(b23, x.scalars) { expectClose(v, Foundation.log(12 * xi * (1 - xi) * (1 - xi)), "Beta(2,3)") }
        let arcsine = betaLogProbability(x, alpha: Tensor(0.5), beta: Tensor(0.5)).scalars
        for (v, xi) in zip(arcsine, x.scalars) { expectClose(v, -Foundation.log(Double.pi * (xi * (1 - xi)).squareRoot()), "Beta(½,½)") }
        // The density integrates to 1 (midpoint rule; the integrand is smooth for a, b > 2).
        let n = 20_000
        let grid = Tensor<Double>((0..<n).map { (Double($0) + 0.5) / Double(n) })
        let integral = betaLogProbability(grid, alpha: Tensor(2.5), beta: Tensor(3.5)).exp().sum().scalar / Double(n)
        #expect(Swift.abs(integral - 1) < 1e-8)
        // Float agrees.
        let f = betaLogProbability(Tensor<Float>([0.4]), alpha: Tensor<Float>(2), beta: Tensor<Float>(3)).scalar
        #expect(Swift.abs(Double(f) - Foundation.log(1.728)) < 1e-5)
    }

    @Test func gammaAndNormalLogProbabilityValues() {
        let g = gammaLogProbability(Tensor<Double>([1.5]), concentration: Tensor(2), scale: Tensor(3)).scalar
        expectClose(g, Foundation.log(1.5 * Foundation.exp(-0.5) / 9), "Gamma(2, 3) at 1.5")
        let z = normalLogProbability(Tensor<Double>([1.7]), mean: Tensor(0.2), standardDeviation: Tensor(2)).scalar
        expectClose(z, -0.5 * (1.5 / 2) * (1.5 / 2) - Foundation.log(2 * (2 * Double.pi).squareRoot()), "N(0.2, 2²) at 1.7")
    }

    @Test func betaLogProbabilityGradientsInParametersAndVariate() {
        let x = sampleTensor([6], seed: 1, in: 0.05...0.95)
        let a = sampleTensor([6], seed: 2, in: 0.3...4), b = sampleTensor([1], seed: 3, in: 0.3...4)
        let error = GradientCheck.maximumError(at: [x, a, b]) { betaLogProbability($0[0], alpha: $0[1], beta: $0[2]) }
        #expect(error < 1e-7, "gradient error \(error)")
        // ∂/∂a = log x − ψ(a) + ψ(a + b), exactly.
        let g = gradient(at: a) { betaLogProbability(x, alpha: $0, beta: b).sum() }
        let exact = x.log() - a.digamma() + (a + b).digamma()
        #expect(zip(g.scalars, exact.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-14 })
        // Second derivatives (through digamma → trigamma).
        let second = GradientCheck.maximumError(at: [a]) { xs in
            gradient(at: xs[0]) { betaLogProbability(x, alpha: $0, beta: b).sum() }
        }
        #expect(second < 1e-6, "second derivative error \(second)")
        let gammaError = GradientCheck.maximumError(at: [x.affine(scale: 3, shift: 0), a, b]) {
            gammaLogProbability($0[0], concentration: $0[1], scale: $0[2])
        }
        #expect(gammaError < 1e-7, "gamma gradient error \(gammaError)")
    }
}
