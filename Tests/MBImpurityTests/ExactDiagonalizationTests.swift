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

@Suite("Exact diagonalisation: sum rules, transforms and bad input")
struct ExactDiagonalizationConsistencyTests {
    @Test("G(0⁺) + G(β⁻) = −1, G(β⁻) = −n, G(τ) < 0, total pole weight 1")
    func sumRules() throws {
        for seed in 0..<3 {
            let model = try randomModel(bathSites: 4, seed: UInt64(200 + seed), beta: [2.0, 20, 60][seed])
            let solution = try ExactDiagonalization().solve(model)
            let g = solution.greensFunction(imaginaryTimeCount: 101)
            #expect(abs(g[0] + g[100] + 1) < 1e-12)
            #expect(abs(g[100] + solution.occupationUp) < 1e-12)
            #expect(abs(g[0] - (solution.occupationUp - 1)) < 1e-12)
            #expect(g[50] <= 0)
            #expect(g.allSatisfy { $0 < 0 })
            #expect(abs(solution.poles.totalWeight - 1) < 1e-12)
            // The block form of the Lehmann sum and the pole form agree.
            let taus = AndersonImpurityModel.imaginaryTimes(count: 101, beta: model.beta)
            #expect(maximumDifference(try solution.poles.imaginaryTime(taus), g) < 1e-12)
            #expect(solution.poles.weights.allSatisfy { $0 > 0 })
        }
    }

    /// G(τ) = −1/2 + c₂(2τ − β)/4 + (2/β) Σ_{n≥0} Re[e^{−iω_nτ}(G(iω_n) − 1/(iω_n) − c₂/(iω_n)²)],
    /// with the analytic first moment c₂ = −μ + U⟨n↓⟩; the remaining tail is O(1/ω³) and the
    /// truncation error at 40 000 frequencies is below 1e-9.
    @Test("G(τ) from the Lehmann sum equals the Fourier sum of G(iω) with its tail removed")
    func fourierConsistency() throws {
        let model = try randomModel(bathSites: 3, seed: 303, beta: 10)
        let solution = try ExactDiagonalization().solve(model)
        let count = 40_000
        let g = solution.greensFunction(matsubaraCount: count)
        let omegas = model.matsubaraFrequencies(count: count)
        let c2 = -model.mu + model.U * solution.occupationDown
        let beta = model.beta
        let taus = [0, 0.37, 2.5, 5, 8.1, beta]
        let lehmann = try solution.greensFunction(imaginaryTimes: taus)
        for (t, tau) in taus.enumerated() {
            var sum = 0.0
            for n in stride(from: count - 1, through: 0, by: -1) {
                let iw = Complex<Double>(0, omegas[n])
                let remainder = g[n] - 1 / iw - Complex(c2) / (iw * iw)
                sum += (Complex(cos(omegas[n] * tau), -sin(omegas[n] * tau)) * remainder).real
            }
            let fourier = -0.5 + c2 * (2 * tau - beta) / 4 + 2 / beta * sum
            #expect(abs(fourier - lehmann[t]) < 1e-8, "τ = \(tau): Fourier \(fourier), Lehmann \(lehmann[t])")
        }
    }

    @Test("Self-energy tail: Σ(iω) → U n↓ + U² n↓(1 − n↓)/(iω)")
    func selfEnergyTail() throws {
        let model = try randomModel(bathSites: 3, seed: 404, beta: 8)
        let solution = try ExactDiagonalization().solve(model)
        let sigma = solution.selfEnergy(matsubaraCount: 4000)
        let n = solution.occupationDown, omega = model.matsubaraFrequencies(count: 4000)[3999]
        #expect(abs(sigma[3999].real - model.U * n) < 1e-4)
        #expect(abs(sigma[3999].imaginary * omega + model.U * model.U * n * (1 - n)) < 1e-3)
    }

    @Test("Bad input gives typed errors")
    func badInput() throws {
        #expect(throws: AndersonImpurityModelError.nonPositiveBeta(0)) { try AndersonImpurityModel(U: 1, mu: 0.5, beta: 0) }
        #expect(throws: AndersonImpurityModelError.nonPositiveBeta(-3)) { try AndersonImpurityModel(U: 1, mu: 0.5, beta: -3) }
        #expect(throws: AndersonImpurityModelError.bathLengthMismatch(energies: 2, hoppings: 1)) {
            try AndersonImpurityModel(U: 1, mu: 0.5, beta: 10, bathEnergies: [0, 1], bathHoppings: [0.5])
        }
        #expect(throws: AndersonImpurityModelError.nonFinite(field: "bathHoppings", index: 1, value: .infinity)) {
            try AndersonImpurityModel(U: 1, mu: 0.5, beta: 10, bathEnergies: [0, 1], bathHoppings: [0.5, .infinity])
        }
        #expect(throws: AndersonImpurityModelError.self) { try AndersonImpurityModel(U: .nan, mu: 0.5, beta: 10) }
        // Attractive U is allowed.
        #expect(try AndersonImpurityModel(U: -1, mu: -0.5, beta: 10).U == -1)

        let big = try randomModel(bathSites: 8, seed: 1)
        do {
            _ = try ExactDiagonalization().solve(big)
            Issue.record("Nb = 8 should exceed the dense block limit")
        } catch {
            #expect(error == .blockTooLarge(bathSites: 8, largestBlock: 126 * 126, limit: 6000))
            #expect(error.description.contains("Krylov"))
        }
        let seven = try randomModel(bathSites: 7, seed: 1)
        #expect(throws: ImpuritySolverError.self) { try ExactDiagonalization().solve(seven) }

        let small = try randomModel(bathSites: 1, seed: 2)
        let solution = try ExactDiagonalization().solve(small)
        #expect(throws: ImpuritySolverError.imaginaryTimeOutOfRange(tau: -0.1, beta: small.beta)) {
            try solution.greensFunction(imaginaryTimes: [0, -0.1])
        }
        #expect(throws: ImpuritySolverError.self) { try solution.greensFunction(imaginaryTimes: [small.beta * 1.01]) }
        #expect(throws: ImpuritySolverError.self) { try ExactDiagonalization(boltzmannCutoff: 0).solve(small) }
    }
}
