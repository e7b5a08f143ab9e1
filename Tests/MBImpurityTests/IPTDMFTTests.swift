import ComplexModule
import Foundation
import MBGreens
import Testing
@testable import MBImpurity

@Suite("IPT and the Bethe-lattice DMFT loop")
struct IPTDMFTTests {
    /// For a single level G0 = 1/(iω − ε), G0(τ) = −e^{−ετ}(1 − f) with f = 1/(e^{βε} + 1), so
    /// Σ2(τ) = U² G0(τ)² G0(β − τ) = −A e^{−ετ}, A = U² (1 − f)² f, and exactly
    /// Σ2(iω) = ∫₀^β e^{iωτ} Σ2(τ) dτ = A (1 + e^{−βε})/(iω − ε).
    @Test("Σ2 of a single level equals the closed form to 1e-8")
    func singleLevel() throws {
        let beta = 20.0, epsilon = 0.3, U = 1.5
        let mesh = try MatsubaraMesh(beta: beta, count: 512)
        let g0 = MatsubaraGreensFunction(mesh: mesh) { (z: Complex<Double>) in 1 / (z - Complex(epsilon, 0)) }
        let sigma = try IterativePerturbationTheory().secondOrderSelfEnergy(weissField: g0, U: U)
        let f = 1 / (exp(beta * epsilon) + 1)
        let a = U * U * (1 - f) * (1 - f) * f
        var worst = 0.0
        for n in 0..<mesh.count {
            let exact = Complex(a * (1 + exp(-beta * epsilon)), 0) / (Complex(0, mesh.frequency(n)) - Complex(epsilon, 0))
            worst = max(worst, (sigma[n] - exact).length)
        }
        #expect(worst < 1e-8, "largest deviation \(worst)")
    }

    @Test("U = 0: the semicircle is the fixed point")
    func nonInteracting() throws {
        let mesh = try MatsubaraMesh(beta: 50, count: 1024)
        let dmft = BetheDMFT(lattice: try BetheLattice())
        let result = try dmft.run(solver: IterativePerturbationTheory(), U: 0, mu: 0, start: .insulator, mesh: mesh)
        let exact = try BetheLattice().greensFunction(on: mesh)
        #expect(result.converged)
        var worst = 0.0
        for n in 0..<mesh.count { worst = max(worst, (result.g[n] - exact[n]).length) }
        #expect(worst < 1e-7)
        #expect(abs(result.quasiparticleWeight - 1) < 1e-9)
    }

    @Test("β = 100, U = 2.7 lies in the coexistence region: a metal from the metal, an insulator from the insulator (GKKR Fig. 30)")
    func coexistence() throws {
        let mesh = try MatsubaraMesh(beta: 100, count: 2048)
        let dmft = BetheDMFT(lattice: try BetheLattice(), mixing: 0.5, tolerance: 1e-7, maximumIterations: 3000)
        func z(_ start: BetheDMFT.Start, _ U: Double) throws -> Double {
            let result = try dmft.run(solver: IterativePerturbationTheory(), U: U, mu: U / 2, start: start, mesh: mesh)
            #expect(result.converged, "\(start) at U = \(U) did not converge")
            return result.quasiparticleWeight
        }
        let metal = try z(.metal, 2.7), insulator = try z(.insulator, 2.7)
        #expect(metal > 0.1 && insulator < 0.02, "Z metal \(metal), insulator \(insulator)")
        #expect(try z(.insulator, 1.5) > 0.5)   // below Uc1 the insulator does not survive
        #expect(try z(.metal, 3.5) < 0.02)      // above Uc2 the metal does not survive
    }
}

@Suite("Mott sweep bookkeeping and IPT observables")
struct MottSweepTests {
    @Test("coexistence window from hysteresis: Uc2 = last metallic U going up, Uc1 = last insulating U going down")
    func window() {
        // β = 50: a metal has −βG(β/2) ≈ 2, an insulator ≪ 1.
        func point(_ U: Double, _ direction: String, _ gHalfBeta: Double) -> MottSweep.Point {
            MottSweep.Point(U: U, direction: direction, Z: 0, doubleOccupancy: 0, gHalfBeta: gHalfBeta, converged: true, iterations: 1)
        }
        let points = [point(2.0, "up", -0.04), point(2.5, "up", -0.035), point(3.0, "up", -1e-6),
                      point(3.0, "down", -1e-6), point(2.5, "down", -3e-4), point(2.0, "down", -0.04)]
        let sweep = MottSweep(beta: 50)
        let (uc1, uc2) = sweep.coexistence(points)
        #expect(uc1 == 2.5 && uc2 == 2.5)
        let noCrossing = sweep.coexistence(points.filter { $0.gHalfBeta < -0.01 })
        #expect(noCrossing.uc1 == nil && noCrossing.uc2 == nil)
    }

    @Test("U = 0: ⟨n↑n↓⟩ = 1/4 and G(β/2) equals the semicircle's −(1/β)Σ… from the Fourier transform")
    func observablesAtZero() throws {
        let mesh = try MatsubaraMesh(beta: 20, count: 2048)
        let g = try BetheLattice().greensFunction(on: mesh)
        let sigma = MatsubaraGreensFunction(zerosOn: mesh)
        #expect(abs(galitskiiMigdalDoubleOccupancy(g: g, sigma: sigma, U: 1e-9, occupation: 0.5) - 0.25) < 1e-6)
        let tau = try g.fourierTransformed(to: ImaginaryTimeMesh(beta: 20, count: 4097))
        #expect(abs(IterativePerturbationTheory.gAtHalfBeta(g) - tau[2048]) < 1e-7)
    }
}

@Suite("Hubbard-I")
struct HubbardITests {
    @Test("Δ = 0: the atomic limit exactly (n and G to 1e-9), also away from half filling")
    func atomicLimit() throws {
        for (U, mu, beta) in [(2.0, 1.0, 10.0), (3.0, 0.4, 5.0), (1.5, 1.9, 8.0)] {
            let mesh = try MatsubaraMesh(beta: beta, count: 2048)
            let solution = try HubbardI().solve(hybridization: MatsubaraGreensFunction(zerosOn: mesh), U: U, mu: mu)
            let a = exp(beta * mu), b = exp(beta * (2 * mu - U))
            let n = (a + b) / (1 + 2 * a + b)
            #expect(solution.converged)
            #expect(abs(solution.occupation - n) < 1e-9, "U \(U), μ \(mu): n \(solution.occupation) vs \(n)")
            var worst = 0.0
            for k in 0..<mesh.count {
                let z = Complex(mu, mesh.frequency(k))
                let exact = Complex(1 - n, 0) / z + Complex(n, 0) / (z - Complex(U, 0))
                worst = max(worst, (solution.g[k] - exact).length)
            }
            #expect(worst < 1e-9)
        }
    }
}

@Suite("IPT away from half filling (Kajueter–Kotliar)")
struct ModifiedIPTTests {
    @Test("Δ = 0: the interpolation reproduces the atomic limit away from half filling")
    func atomicLimit() throws {
        let (U, mu, beta) = (2.0, 0.5, 10.0)
        let mesh = try MatsubaraMesh(beta: beta, count: 1024)
        let solution = try IterativePerturbationTheory().solve(hybridization: MatsubaraGreensFunction(zerosOn: mesh), U: U, mu: mu)
        let a = exp(beta * mu), b = exp(beta * (2 * mu - U))
        let n = (a + b) / (1 + 2 * a + b)
        #expect(abs(solution.occupation - n) < 1e-6, "n \(solution.occupation) vs \(n)")
        var worst = 0.0
        for k in 0..<mesh.count {
            let z = Complex(mu, mesh.frequency(k))
            let exact = Complex(1 - n, 0) / z + Complex(n, 0) / (z - Complex(U, 0))
            worst = max(worst, (solution.g[k] - exact).length)
        }
        #expect(worst < 1e-5, "largest deviation from the atomic G: \(worst)")
    }

    @Test("at half filling it is ordinary IPT (μ0 = 0)")
    func halfFilling() throws {
        let mesh = try MatsubaraMesh(beta: 20, count: 512)
        let delta = try BetheLattice().hybridization(from: BetheLattice().greensFunction(on: mesh))
        let general = try IterativePerturbationTheory().solve(hybridization: delta, U: 2, mu: 1)
        let special = try IterativePerturbationTheory().solveHalfFilling(hybridization: delta, U: 2)
        #expect(abs(general.pseudoChemicalPotential) < 1e-8 && abs(general.occupation - 0.5) < 1e-9)
        var worst = 0.0
        for k in 0..<mesh.count { worst = max(worst, (general.g[k] - special.g[k]).length) }
        #expect(worst < 1e-8)
    }
}
