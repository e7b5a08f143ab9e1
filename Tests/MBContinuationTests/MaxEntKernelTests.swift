import Foundation
import Testing
@testable import MBContinuation

/// Adaptive Gauss–Kronrod (7, 15) quadrature, written independently of the library's grid:
/// bisects until |K15 − G7| ≤ max(relative · |K15|, absolute) on every piece.
enum AdaptiveQuadrature {
    static let kronrodNodes = [0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                               0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                               0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                               0.207784955007898467600689403773245, 0.0]
    static let kronrodWeights = [0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                                 0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                                 0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                                 0.204432940075298892414161999234649, 0.209482141084727828012999174891714]
    /// Gauss weights of the nodes kronrodNodes[1], [3], [5], [7].
    static let gaussWeights = [0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                               0.381830050505118944950369775488975, 0.417959183673469387755102040816327]

    static func integrate(_ f: (Double) -> Double, from a: Double, to b: Double,
                          relative: Double = 1e-12, absolute: Double = 1e-300, depth: Int = 0) -> Double {
        let center = (a + b) / 2, half = (b - a) / 2
        let fc = f(center)
        var kronrod = kronrodWeights[7] * fc, gauss = gaussWeights[3] * fc
        for k in 0..<7 {
            let pair = f(center - half * kronrodNodes[k]) + f(center + half * kronrodNodes[k])
            kronrod += kronrodWeights[k] * pair
            if k % 2 == 1 { gauss += gaussWeights[k / 2] * pair }
        }
        kronrod *= half
        gauss *= half
        if !kronrod.isFinite || abs(kronrod - gauss) <= max(relative * abs(kronrod), absolute) || depth >= 40 { return kronrod }
        return integrate(f, from: a, to: center, relative: relative, absolute: absolute, depth: depth + 1)
            + integrate(f, from: center, to: b, relative: relative, absolute: absolute, depth: depth + 1)
    }

    /// Λ(τ) = ∫₀^∞ K(τ, ω) γ/(ω² + γ²) dω on geometric pieces [0, γ/4, γ, 4γ, …] up to where
    /// e^{−ω min(τ, β−τ)} < e^{−60}; the kernel is the textbook cosh/sinh form where that is
    /// finite (βω < 600), not the library's.
    static func drudeLambda(tau: Double, beta: Double, gamma: Double) -> Double {
        let distance = min(tau, beta - tau)
        func integrand(_ w: Double) -> Double {
            let kernel: Double
            if w == 0 {
                kernel = 2 / (Double.pi * beta)
            } else if beta * w < 600 {
                kernel = w * cosh(w * (beta / 2 - tau)) / sinh(beta * w / 2) / Double.pi
            } else {
                kernel = w * (exp(-w * tau) + exp(-w * (beta - tau))) / Double.pi
            }
            return kernel * gamma / (w * w + gamma * gamma)
        }
        var edges = [0, gamma / 4, gamma]
        while edges.last! * distance < 60 { edges.append(edges.last! * 4) }
        var total = 0.0
        for k in 1..<edges.count { total += integrate(integrand, from: edges[k - 1], to: edges[k]) }
        return total
    }
}

@Suite("MaxEnt kernel and real-frequency grid")
struct MaxEntKernelTests {
    @Test func kernelZeroFrequencyLimit() {
        for beta in [1.0, 3.7, 10.0] {
            let limit = 2 / (Double.pi * beta)
            #expect(BosonicKernel.value(tau: 0.3 * beta, omega: 0, beta: beta) == limit)
            for omega in [1e-12, 1e-9, 1e-6] {
                let value = BosonicKernel.value(tau: 0.3 * beta, omega: omega, beta: beta)
                #expect(abs(value / limit - 1) < 10 * omega * beta)
            }
            // Against the textbook form where it is still accurate.
            let omega = 1e-3, tau = 0.3 * beta, x = beta * omega
            let exact = omega / Double.pi * cosh(omega * (beta / 2 - tau)) / sinh(x / 2)
            #expect(abs(BosonicKernel.value(tau: tau, omega: omega, beta: beta) / exact - 1) < 1e-12)
        }
    }

    @Test func kernelSymmetricAndEven() {
        let beta = 4.0
        for tau in [0.0, 0.01, 0.7, 1.3, 2.0] {
            for omega in [0.05, 1.0, 7.5, 40.0] {
                let k = BosonicKernel.value(tau: tau, omega: omega, beta: beta)
                #expect(abs(BosonicKernel.value(tau: beta - tau, omega: omega, beta: beta) / k - 1) < 1e-14)
                #expect(BosonicKernel.value(tau: tau, omega: -omega, beta: beta) == k)
                let textbook = omega * cosh(omega * (beta / 2 - tau)) / sinh(beta * omega / 2) / Double.pi
                #expect(abs(k / textbook - 1) < 1e-13)
            }
        }
    }

    @Test func kernelHasNoOverflowAtLargeBetaOmega() {
        let beta = 10.0, omega = 200.0  // βω = 2000: cosh and sinh overflow separately
        #expect(sinh(beta * omega / 2).isInfinite)
        for tau in [0.0, 0.001, 0.05, 5.0, 9.999] {
            let k = BosonicKernel.value(tau: tau, omega: omega, beta: beta)
            #expect(k.isFinite && k >= 0)
            let asymptotic = omega / Double.pi * (exp(-omega * tau) + exp(-omega * (beta - tau)))
            #expect(abs(k - asymptotic) <= 1e-14 * asymptotic)
        }
        #expect(BosonicKernel.value(tau: 0, omega: omega, beta: beta) > 63)  // ω/π at τ = 0
        #expect(BosonicKernel.value(tau: 5, omega: 1e6, beta: beta) == 0)
    }

    @Test func kernelIntegratesToTwoOverPiOverTime() {
        // ∫₀^β K dτ = 2/π for every ω: the sum rule's origin.
        for (beta, omega) in [(1.0, 0.0), (2.0, 0.3), (10.0, 5.0), (1.0, 80.0)] {
            let integral = AdaptiveQuadrature.integrate({ BosonicKernel.value(tau: $0, omega: omega, beta: beta) },
                                                        from: 0, to: beta)
            #expect(abs(integral * Double.pi / 2 - 1) < 1e-10)
        }
    }

    @Test func matrixMatchesPointValuesAndForwardMap() {
        let grid = RealFrequencyGrid.nonUniform(spacingAtZero: 0.01, relativeSpacing: 0.2, maximumFrequency: 100)
        let tau = [0.1, 0.5, 1.2], beta = 2.0
        let k = BosonicKernel.matrix(tau: tau, grid: grid, beta: beta)
        #expect(k.count == tau.count * grid.count)
        #expect(k[1 * grid.count + 7] == BosonicKernel.value(tau: 0.5, omega: grid.omega[7], beta: beta))
        let sigma = grid.omega.map { 1 / (1 + $0 * $0) }
        let lambda = BosonicKernel.imaginaryTime(sigma: sigma, grid: grid, tau: tau, beta: beta)
        var expected = 0.0
        for j in 0..<grid.count { expected += k[2 * grid.count + j] * grid.weights[j] * sigma[j] }
        #expect(abs(lambda[2] - expected) <= 1e-14 * expected)
    }

    @Test func defaultGridShape() {
        let grid = RealFrequencyGrid.nonUniform()
        #expect(grid.count == 263)
        #expect(grid.omega[0] == 0 && grid.omega.last! == 12_000)
        #expect(grid.omega[1] - grid.omega[0] <= 0.0025 && grid.omega[1] - grid.omega[0] > 0.00249)
        // Relative spacing 5 % at large ω; at most 0.05 at ω ≤ 1.
        let j = grid.omega.firstIndex { $0 > 100 }!
        #expect(abs((grid.omega[j + 1] - grid.omega[j]) / grid.omega[j] - 0.05) < 0.002)
        let below = grid.omega.indices.filter { grid.omega[$0] < 1 }
        #expect(below.allSatisfy { grid.omega[$0 + 1] - grid.omega[$0] <= 0.0505 })
        // ∫₀^∞ γ/(ω²+γ²) dω = π/2 − atan(γ/ω_max) on the grid.
        for gamma in [0.01, 1.0, 10.0] {
            let integral = grid.integrate(grid.omega.map { gamma / ($0 * $0 + gamma * gamma) })
            #expect(abs(integral / (Double.pi / 2 - atan(gamma / 12_000)) - 1) < 1e-5)
        }
    }

    /// The brief's accuracy target: Σ_j K w σ for Drude σ with γ ∈ [0.005, 10] at T ∈ [0.1, 1]
    /// against the adaptive quadrature, to 1e-4 relative (measured: ≤ 7e-6, at γ = 0.005).
    @Test func gridQuadratureOfDrudeLambda() {
        let grid = RealFrequencyGrid.nonUniform()
        var worst = 0.0
        for temperature in [0.1, 0.35, 1.0] {
            let beta = 1 / temperature
            let indices = [0, 1, 3, 20, 60, 100, 140, 199]
            let tau = indices.map { (Double($0) + 0.5) / 200 / temperature }
            for gamma in [0.005, 0.02, 0.1, 0.5, 2, 10] {
                let sigma = grid.omega.map { gamma / ($0 * $0 + gamma * gamma) }
                let lambda = BosonicKernel.imaginaryTime(sigma: sigma, grid: grid, tau: tau, beta: beta)
                for (k, t) in tau.enumerated() {
                    let exact = AdaptiveQuadrature.drudeLambda(tau: t, beta: beta, gamma: gamma)
                    let error = abs(lambda[k] / exact - 1)
                    worst = max(worst, error)
                    #expect(error < 1e-4, "T = \(temperature), γ = \(gamma), τ = \(t): \(lambda[k]) vs \(exact)")
                    if gamma >= 0.1 { #expect(error < 1e-9) }
                }
            }
        }
        #expect(worst < 2e-5)
    }

    @Test func interpolationReproducesSmoothConductivity() {
        let grid = RealFrequencyGrid.nonUniform()
        let evaluation = (0...200).map { Double($0) * 0.05 }
        for gamma in [0.3, 2.0] {
            let values = grid.interpolate(grid.omega.map { gamma / ($0 * $0 + gamma * gamma) }, at: evaluation)
            for (omega, value) in zip(evaluation, values) {
                #expect(abs(value / (gamma / (omega * omega + gamma * gamma)) - 1) < 2e-3)
            }
        }
        // Even in ω, clamped beyond the grid, exact at nodes.
        let sigma = grid.omega.map { 1 / (1 + $0) }
        #expect(grid.interpolate(sigma, at: [-0.7]) == grid.interpolate(sigma, at: [0.7]))
        #expect(grid.interpolate(sigma, at: [1e5]) == [sigma.last!])
        #expect(grid.interpolate(sigma, at: [grid.omega[40]]) == [sigma[40]])
    }

    @Test func interpolationIsMonotone() {
        // A step: monotone cubic interpolation must not overshoot.
        let grid = RealFrequencyGrid.nonUniform()
        let step = grid.omega.map { $0 < 1 ? 1.0 : 0.0 }
        let values = grid.interpolate(step, at: (0...400).map { Double($0) * 0.005 })
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func sumRuleOfDrudeData() {
        // ∫₀^∞ γ/(ω²+γ²) dω = π/2.
        let grid = RealFrequencyGrid.nonUniform()
        for (gamma, temperature) in [(2.0, 0.5), (0.05, 0.2), (10.0, 1.0)] {
            let tau = (0..<200).map { (Double($0) + 0.5) / 200 / temperature }
            let lambda = BosonicKernel.imaginaryTime(sigma: grid.omega.map { gamma / ($0 * $0 + gamma * gamma) },
                                                     grid: grid, tau: tau, beta: 1 / temperature)
            let total = MaxEnt.sumRule(tau: tau, beta: 1 / temperature, data: lambda)
            #expect(abs(total / (Double.pi / 2) - 1) < 1e-2, "γ = \(gamma), T = \(temperature): \(total)")
            // Half the times suffice: Λ(τ) = Λ(β − τ).
            let half = MaxEnt.sumRule(tau: Array(tau.prefix(100)), beta: 1 / temperature, data: Array(lambda.prefix(100)))
            #expect(abs(half / total - 1) < 1e-3)
        }
    }
}
