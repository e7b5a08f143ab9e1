import Foundation
import MBGreens
import MBImpurity
import MBTensor
import Testing

/// ∫_{−1}^{1} f(x) dx by 16-point Gauss–Legendre rules on intervals refined geometrically
/// towards both ends (down to 2⁻⁴⁰), so functions that fall off like e^{−a(1±x)} with a up to
/// ~10³ are integrated to rounding.
func gradedIntegral(_ f: (Double) -> Double) -> Double {
    let rule = GaussLegendre.rule(points: 16)
    var breaks: [Double] = [0]
    var width = 0.5
    while width > 0x1p-40 {
        breaks.append(1 - width)
        width /= 2
    }
    breaks.append(1)
    var sum = 0.0
    for side in [-1.0, 1.0] {
        for (a, b) in zip(breaks, breaks.dropFirst()) {
            let half = (b - a) / 2, centre = (a + b) / 2
            for (node, weight) in zip(rule.nodes, rule.weights) { sum += half * weight * f(side * (centre + half * node)) }
        }
    }
    return sum
}

@Suite("Imaginary-time representations of the impurity database")
struct ImaginaryTimeRepresentationTests {
    @Test("The grid is Chebyshev–Lobatto and mirror-symmetric bit for bit")
    func gridIsSymmetric() {
        for count in [2, 5, 51] {
            let x = ImaginaryTimeRepresentation.chebyshevLobattoPoints(count)
            #expect(x.first == -1 && x.last == 1)
            for k in 0..<count {
                #expect(x[count - 1 - k] == -x[k])
                #expect(abs(x[k] + cos(Double.pi * Double(k) / Double(count - 1))) < 1e-15)
            }
        }
        let times = ImaginaryTimeRepresentation(pointCount: 51, legendreCount: 4).times(beta: 7)
        #expect(times.first == 0 && times.last == 7 && times[25] == 3.5)
    }

    @Test("Scaled modified spherical Bessel functions match quadrature of ∫P_l e^{−a(1+x)}", arguments: [0, 1e-7, 3e-4, 0.2, 2, 17, 40, 130, 900, 5000])
    func scaledBessel(a: Double) {
        let count = 40
        let bessel = ImaginaryTimeRepresentation.scaledModifiedSphericalBessel(count: count, at: a)
        for l in 0..<count {
            // ∫ P_l(x) e^{−a(1+x)} dx = 2(−1)^l e^{−a} i_l(a).
            let reference = gradedIntegral { x in LegendreBasis.polynomials(count: l + 1, at: x)[l] * exp(-a * (1 + x)) } / 2
            let value = (l % 2 == 0 ? 1.0 : -1.0) * bessel[l]
            #expect(abs(value - reference) <= 1e-14 * max(1, abs(reference)) + 1e-300, "a = \(a), l = \(l): \(value) vs \(reference)")
        }
    }

    @Test("Closed-form Legendre coefficients of ED's poles equal quadrature of the exact G(τ)")
    func poleCoefficientsMatchQuadrature() throws {
        let model = try AndersonImpurityModel(U: 3, mu: 1.2, beta: 20, bathEnergies: [-2, 0.3, 1.1], bathHoppings: [0.4, 0.5, 0.3])
        let solution = try ExactDiagonalization().solve(model)
        let representation = ImaginaryTimeRepresentation(pointCount: 51, legendreCount: 40)
        let g = representation.legendreCoefficients(poleEnergies: solution.poles.energies, weights: solution.poles.weights, beta: model.beta)
        for l in 0..<40 {
            let reference = gradedIntegral { x in
                let tau = min(max(model.beta * (1 + x) / 2, 0), model.beta)
                return LegendreBasis.polynomials(count: l + 1, at: x)[l] * (try! solution.poles.imaginaryTime([tau])[0])
            } * Double(2 * l + 1).squareRoot() / 2
            #expect(abs(g[l] - reference) < 1e-12, "l = \(l): \(g[l]) vs \(reference)")
        }
        // At β = 20 the expansion is converged by l = 40: it reproduces the exact G(x_k).
        let exact = try solution.greensFunction(imaginaryTimes: representation.times(beta: model.beta))
        let reconstructed = representation.reconstruct(legendre: g)
        #expect(zip(exact, reconstructed).map { abs($0 - $1) }.max()! < 1e-7)
    }

    @Test("The FFT + spline path of the Matsubara solvers reproduces ED where both are exact (U = 0)",
          arguments: [(1.0, 0.5), (50.0, 5.0)])
    func fourierPathMatchesExact(beta: Double, halfBandwidth d: Double) throws {
        let configuration = ImpurityDatabaseConfiguration(samples: 1, betas: [beta], inputs: ["hubbard-i"])
        let solver = ImpuritySampleSolver(configuration: configuration)
        let parameters = ImpuritySampleParameters(index: 0, U: 0, halfBandwidth: d, beta: beta, mu: 0.3 * d,
                                                  bathEnergies: [-d, -0.2 * d, 0.5 * d, 0.9 * d],
                                                  bathHoppings: [0.2, 0.3, 0.25, 0.1].map { $0 * d })
        // Hubbard-I and IPT are exact at U = 0 (G = G0); ED is exact always. Measured: ~1e-14 at
        // β = 1; at βD = 250 (N = 1024) 1.03e-6 at the ends x = ±1 (the fitted tail), g_l 7e-10.
        let exact = try solver.solve(parameters, with: .exact)
        for cheap in [ImpurityDatabaseSolver.hubbardI, .ipt] {
            let output = try solver.solve(parameters, with: cheap)
            let tauError = zip(exact.gTau, output.gTau).map { abs($0 - $1) }.max()!
            let legendreError = zip(exact.legendre, output.legendre).map { abs($0 - $1) }.max()!
            #expect(tauError < 2e-6 && legendreError < 1e-8, "\(cheap) at β = \(beta): G(x) error \(tauError), g_l error \(legendreError)")
            #expect(abs(output.occupation - exact.occupation) < 2e-6)
        }
    }
}
