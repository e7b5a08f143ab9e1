import ComplexModule
import RealModule
import Foundation
import MBImpurity
import MBTensor
import Testing

/// Largest |a_k − b_k| over two complex sequences.
func maximumDifference(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    precondition(a.count == b.count, "\(a.count) vs \(b.count)")
    return zip(a, b).map { ($0 - $1).length }.max() ?? 0
}

func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "\(a.count) vs \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// A model with random parameters (bath energies in [−2, 2], hoppings in [0.1, 1]).
func randomModel(bathSites: Int, seed: UInt64, U: Double? = nil, mu: Double? = nil, beta: Double = 7) throws -> AndersonImpurityModel {
    var g = RandomGenerator(seed: seed)
    let u = U ?? 1 + 3 * g.nextUnit()
    let m = mu ?? u / 2 + (g.nextUnit() - 0.5)
    let energies = (0..<bathSites).map { _ in 4 * g.nextUnit() - 2 }
    let hoppings = (0..<bathSites).map { _ in 0.1 + 0.9 * g.nextUnit() }
    return try AndersonImpurityModel(U: u, mu: m, beta: beta, bathEnergies: energies, bathHoppings: hoppings)
}

@Suite("Exact diagonalisation")
struct ExactDiagonalizationTests {
    @Test("U = 0: G(iω) = 1/(iω + μ − Δ(iω)) and ⟨n↑n↓⟩ = n↑n↓", arguments: [1, 3, 5])
    func nonInteracting(bathSites: Int) throws {
        let model = try randomModel(bathSites: bathSites, seed: UInt64(10 + bathSites), U: 0, mu: 0.3, beta: 11)
        let solution = try ExactDiagonalization().solve(model)
        let g = solution.greensFunction(matsubaraCount: 200)
        let exact = model.nonInteractingGreensFunction(count: 200)
        #expect(maximumDifference(g, exact) < 1e-12)
        #expect(abs(solution.doubleOccupancy - solution.occupationUp * solution.occupationDown) < 1e-12)
        #expect(abs(solution.occupationUp - solution.occupationDown) < 1e-12)
        let sigma = solution.selfEnergy(matsubaraCount: 50)
        #expect(sigma.map(\.length).max()! < 1e-9)
    }

    @Test("Atomic limit: G = (1 − n)/(iω + μ) + n/(iω + μ − U), observables exact", arguments: [0, 2])
    func atomicLimit(bathSites: Int) throws {
        let (U, mu, beta) = (2.7, 0.9, 13.0)
        let energies = [-0.4, 0.8].prefix(bathSites).map { $0 }
        let model = try AndersonImpurityModel(U: U, mu: mu, beta: beta, bathEnergies: energies,
                                              bathHoppings: [Double](repeating: 0, count: bathSites))
        let solution = try ExactDiagonalization().solve(model)
        // Grand-canonical weights of |0⟩, |↑⟩, |↓⟩, |↑↓⟩ with energies 0, −μ, −μ, U − 2μ.
        let (w0, w1, w2) = (1.0, exp(beta * mu), exp(-beta * (U - 2 * mu)))
        let z = w0 + 2 * w1 + w2
        let n = (w1 + w2) / z
        let omegas = model.matsubaraFrequencies(count: 300)
        let exact = omegas.map { w in Complex(1 - n) / Complex(mu, w) + Complex(n) / Complex(mu - U, w) }
        #expect(maximumDifference(solution.greensFunction(matsubaraCount: 300), exact) < 1e-12)
        #expect(abs(solution.occupationUp - n) < 1e-12)
        #expect(abs(solution.doubleOccupancy - w2 / z) < 1e-12)
        let bathEnergy = energies.reduce(0) { $0 + 2 * $1 / (exp(beta * $1) + 1) }
        let impurityEnergy = (-2 * mu * w1 + (U - 2 * mu) * w2) / z
        #expect(abs(solution.energy - (impurityEnergy + bathEnergy)) < 1e-12)
        let bathLogZ = energies.reduce(0) { $0 + 2 * log1p(exp(-beta * $1)) }
        #expect(abs(solution.logPartitionFunction - (log(z) + bathLogZ)) < 1e-12)
        let tau = try solution.greensFunction(imaginaryTimes: [0, beta / 3, beta])
        // −Tr[e^{−(β−τ)H} c e^{−τH} c†]/Z over |0⟩→|↑⟩ and |↓⟩→|↑↓⟩.
        let tauExact = [0, beta / 3, beta].map { t in
            -(exp(t * mu) + exp((beta - t) * mu - t * (U - 2 * mu))) / z
        }
        #expect(maximumDifference(tau, tauExact) < 1e-12)
    }

    @Test("Agrees with the full Fock space (Jordan–Wigner) construction", arguments: [1, 2, 3])
    func fullFockSpace(bathSites: Int) throws {
        for seed in 0..<2 {
            let model = try randomModel(bathSites: bathSites, seed: UInt64(100 * bathSites + seed), beta: 3 + 5 * Double(seed))
            let reference = try FullFockSpaceReference(model: model)
            let solution = try ExactDiagonalization().solve(model)
            let count = 40
            let referenceG = reference.greensFunction(count: count)
            #expect(maximumDifference(solution.greensFunction(matsubaraCount: count), referenceG) < 1e-10)
            // Spin symmetry of the reference itself: G↓ = G↑.
            #expect(maximumDifference(reference.greensFunction(count: count, spinUp: false), referenceG) < 1e-10)
            let taus = AndersonImpurityModel.imaginaryTimes(count: 7, beta: model.beta)
            #expect(maximumDifference(try solution.greensFunction(imaginaryTimes: taus), reference.imaginaryTime(taus)) < 1e-10)
            #expect(abs(solution.occupationUp - reference.occupationUp) < 1e-10)
            #expect(abs(solution.occupationDown - reference.occupationDown) < 1e-10)
            #expect(abs(solution.doubleOccupancy - reference.doubleOccupancy) < 1e-10)
            #expect(abs(solution.energy - reference.energy) < 1e-10)
            let e0 = reference.energies.min()!
            #expect(abs(solution.logPartitionFunction - (-model.beta * e0 + log(reference.z))) < 1e-10)
        }
    }
}
