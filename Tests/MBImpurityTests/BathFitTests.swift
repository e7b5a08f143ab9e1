import ComplexModule
import Foundation
import MBImpurity
import MBTensor
import RealModule
import Testing

/// Δ(iω) = t² G(iω) on the Bethe lattice with half bandwidth D (t = D/2):
/// G(iω) = (2/D²)(iω − i sgn(ω)√(ω² + D²)).
func betheHybridization(count: Int, beta: Double, halfBandwidth d: Double = 1) -> [Complex<Double>] {
    AndersonImpurityModel.matsubaraFrequencies(count: count, beta: beta).map { w in
        let g = Complex<Double>(0, 2 / (d * d) * (w - (w * w + d * d).squareRoot()))
        return Complex(d * d / 4) * g
    }
}

@Suite("Bath fitting")
struct BathFitTests {
    @Test("Fitting the Δ of a discrete bath recovers it")
    func recoversDiscreteBath() throws {
        let energies = [-1.2, 0.3, 0.9], hoppings = [0.5, 0.3, 0.6]
        let beta = 30.0
        let delta = AndersonImpurityModel.hybridization(energies: energies, hoppings: hoppings,
                                                        atFrequencies: AndersonImpurityModel.matsubaraFrequencies(count: 150, beta: beta))
        let result = try BathFit(bathSites: 3, frequencyCount: 150).fit(delta, beta: beta)
        #expect(result.residual < 1e-10, "residual \(result.residual)")
        #expect(maximumDifference(result.bathEnergies, energies) < 1e-6)
        #expect(maximumDifference(result.bathHoppings, hoppings) < 1e-6)
        #expect(maximumDifference(result.hybridization(count: 150, beta: beta), delta) < 1e-9)
    }

    @Test("Particle–hole symmetric fit recovers a symmetric bath", arguments: [4, 5])
    func recoversSymmetricBath(bathSites: Int) throws {
        var energies = [-1.3, -0.4, 0.4, 1.3], hoppings = [0.5, 0.3, 0.3, 0.5]
        if bathSites == 5 {
            energies.insert(0, at: 2)
            hoppings.insert(0.2, at: 2)
        }
        let beta = 40.0
        let delta = AndersonImpurityModel.hybridization(energies: energies, hoppings: hoppings,
                                                        atFrequencies: AndersonImpurityModel.matsubaraFrequencies(count: 200, beta: beta))
        let result = try BathFit(bathSites: bathSites, particleHoleSymmetric: true).fit(delta, beta: beta)
        #expect(result.residual < 1e-10, "residual \(result.residual)")
        #expect(maximumDifference(result.bathEnergies, energies) < 1e-6)
        #expect(maximumDifference(result.bathHoppings, hoppings) < 1e-6)
        // A symmetric bath's Δ is purely imaginary.
        #expect(result.hybridization(count: 10, beta: beta).allSatisfy { abs($0.real) < 1e-12 })
    }

    @Test("Bethe-lattice Δ: the residual is small and falls with Nb")
    func betheLattice() throws {
        let beta = 50.0
        let delta = betheHybridization(count: 300, beta: beta)
        var residuals: [Double] = []
        for nb in [2, 4, 6] {
            let result = try BathFit(bathSites: nb, frequencyCount: 300, particleHoleSymmetric: true).fit(delta, beta: beta)
            residuals.append(result.residual)
            #expect(result.bathHoppings.reduce(0) { $0 + $1 * $1 } < 0.26)  // Σ V² → t² = 1/4
        }
        print("Bethe bath-fit residuals for Nb = 2, 4, 6: \(residuals)")
        #expect(residuals[1] < 0.7 * residuals[0])
        #expect(residuals[2] < 0.7 * residuals[1])
        #expect(residuals[2] < 2e-3)
        let general = try BathFit(bathSites: 4, frequencyCount: 300).fit(delta, beta: beta)
        #expect(general.residual <= residuals[1] * 1.01)
    }

    @Test("Bad input gives typed errors")
    func badInput() throws {
        let delta = betheHybridization(count: 10, beta: 10)
        #expect(throws: BathFitError.nonPositiveBeta(0)) { try BathFit(bathSites: 2).fit(delta, beta: 0) }
        #expect(throws: BathFitError.self) { try BathFit(bathSites: 0).fit(delta, beta: 10) }
        #expect(throws: BathFitError.tooFewFrequencies(available: 1, needed: 4)) { try BathFit(bathSites: 4).fit(Array(delta.prefix(1)), beta: 10) }
        var bad = delta
        bad[3] = Complex(.nan, 0)
        #expect(throws: BathFitError.nonFiniteData(index: 3)) { try BathFit(bathSites: 2).fit(bad, beta: 10) }
    }
}
