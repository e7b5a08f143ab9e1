import ComplexModule
import Foundation
import MBGreens
import MBImpurity
import Testing

@Suite("Kajueter–Kotliar IPT: the fast solver reproduces the bisection version")
struct IPTAwayFromHalfFillingSpeedTests {
    @Test("Secant + Brent + direct occupation sums agree with FFT occupations + bisection to 1e-8",
          arguments: [(0, 1.0), (1, 10.0), (2, 50.0), (3, 20.0)])
    func agreesWithReference(index: Int, beta: Double) throws {
        // Database-like problems: asymmetric 4-site baths, μ = U/2 (away from half filling).
        let configuration = ImpurityDatabaseConfiguration(seed: 5, samples: 8, betas: [beta])
        let p = ImpuritySampleParameters.sample(index: index, configuration: configuration)
        let mesh = try MatsubaraMesh(beta: beta, count: 256)
        let delta = try MatsubaraGreensFunction(mesh: mesh, values: try p.model().hybridization(count: 256))
        for (U, mu) in [(p.U, p.mu), (0.7 * p.halfBandwidth, 0.2 * p.halfBandwidth)] {
            let ipt = IterativePerturbationTheory()
            let fast = try ipt.solve(hybridization: delta, U: U, mu: mu)
            let reference = try referenceKajueterKotliar(ipt, hybridization: delta, U: U, mu: mu)
            let gError = zip(fast.g.values, reference.g.values).map { ($0 - $1).length }.max()!
            let sigmaError = zip(fast.sigma.values, reference.sigma.values).map { ($0 - $1).length }.max()!
            #expect(gError < 1e-8 && sigmaError < 1e-8 && abs(fast.occupation - reference.occupation) < 1e-8,
                    "β = \(beta), U = \(U), μ = \(mu): G \(gError), Σ \(sigmaError), n \(abs(fast.occupation - reference.occupation))")
            // The solution is the Kajueter–Kotliar fixed point: n0(μ0) = n = −G(β⁻).
            let times = try ImaginaryTimeMesh(beta: beta, count: 2 * 256 + 1)
            let n = -(try fast.g.fourierTransformed(to: times))[times.count - 1]
            #expect(abs(n - fast.occupation) < 1e-11)
        }
    }
}
