import ComplexModule
import Foundation
import MBGreens
import MBImpurity
import Testing

@Suite("Impurity solvers behind one protocol; the DMFT loop with any of them")
struct ImpuritySolverTests {
    /// Grand-canonical atomic limit: n per spin and ⟨n↑n↓⟩.
    func atomic(U: Double, mu: Double, beta: Double) -> (n: Double, d: Double) {
        let a = exp(beta * mu), b = exp(beta * (2 * mu - U)), z = 1 + 2 * a + b
        return ((a + b) / z, b / z)
    }

    @Test("Galitskii–Migdal ⟨n↑n↓⟩ of Hubbard-I is the exact atomic one for Δ = 0, at and away from half filling")
    func galitskiiMigdalAtomic() throws {
        for (U, mu, beta) in [(2.0, 1.0, 10.0), (3.0, 0.4, 5.0), (1.5, 1.9, 8.0), (4.0, 3.0, 2.0)] {
            let mesh = try MatsubaraMesh(beta: beta, count: 4096)
            let result = try HubbardI().solve(ImpurityProblem(hybridization: MatsubaraGreensFunction(zerosOn: mesh), U: U, mu: mu))
            let exact = atomic(U: U, mu: mu, beta: beta)
            #expect(abs(result.occupation - exact.n) < 1e-9)
            #expect(abs(result.doubleOccupancy - exact.d) < 1e-6, "U \(U), μ \(mu): d \(result.doubleOccupancy) vs \(exact.d)")
        }
    }

    @Test("ED through the protocol: a continuous Δ that is a 3-site bath's is fitted back and solved as that bath")
    func edFitsContinuousBath() throws {
        let model = try AndersonImpurityModel(U: 2, mu: 0.8, beta: 20, bathEnergies: [-1.1, 0.2, 0.9], bathHoppings: [0.45, 0.3, 0.5])
        let discrete = try ImpurityProblem(model: model, frequencies: 400)
        let continuous = try ImpurityProblem(hybridization: discrete.hybridization, U: 2, mu: 0.8)
        #expect(!continuous.isHalfFilled)
        let solver = ExactDiagonalizationSolver(bathSites: 3)
        let direct = try solver.solve(discrete), fitted = try solver.solve(continuous)
        var worst = 0.0
        for n in 0..<400 { worst = max(worst, (direct.g[n] - fitted.g[n]).length) }
        #expect(worst < 1e-6, "G differs by \(worst)")
        #expect(abs(direct.doubleOccupancy - fitted.doubleOccupancy) < 1e-6)
        let exact = try ExactDiagonalization().solve(model)
        #expect(abs(direct.occupation - exact.occupationUp) < 1e-14 && direct.energy == exact.energy)
        // G(τ) from the Lehmann sum agrees with the Fourier transform of G(iω).
        let times = try ImaginaryTimeMesh(beta: 20, count: 41)
        let lehmann = try direct.imaginaryTime(times)
        let fourier = try ImpurityResult(g: try MatsubaraGreensFunction(mesh: MatsubaraMesh(beta: 20, count: 4096),
                                                                          values: exact.greensFunction(matsubaraCount: 4096)),
                                         sigma: direct.sigma, occupation: 0, doubleOccupancy: 0).imaginaryTime(times)
        for k in 0..<41 { #expect(abs(lehmann[k] - fourier[k]) < 1e-7, "τ index \(k)") }
    }

    @Test("U = 0 away from half filling: the DMFT fixed point is the shifted semicircle, for IPT and Hubbard-I")
    func nonInteractingAwayFromHalfFilling() throws {
        let mesh = try MatsubaraMesh(beta: 20, count: 512)
        let dmft = BetheDMFT(lattice: try BetheLattice(), tolerance: 1e-10)
        let exact = try BetheLattice().greensFunction(on: mesh, chemicalPotential: 0.3)
        for solver in [IterativePerturbationTheory() as any ImpuritySolver, HubbardI()] {
            let result = try dmft.run(solver: solver, U: 0, mu: 0.3, mesh: mesh)
            #expect(result.converged)
            var worst = 0.0
            for n in 0..<mesh.count { worst = max(worst, (result.g[n] - exact[n]).length) }
            #expect(worst < 1e-8, "\(solver.name): \(worst)")
        }
    }

    @Test("Particle–hole symmetry of the loop away from half filling: μ = U/2 ± δ give n and 1 − n (IPT, Hubbard-I, ED)")
    func particleHoleMirror() throws {
        let mesh = try MatsubaraMesh(beta: 10, count: 128)
        let dmft = BetheDMFT(lattice: try BetheLattice(), tolerance: 1e-7, maximumIterations: 500)
        let U = 2.0
        for solver in [IterativePerturbationTheory() as any ImpuritySolver, HubbardI(), ExactDiagonalizationSolver(bathSites: 2)] {
            let above = try dmft.run(solver: solver, U: U, mu: U / 2 + 0.4, mesh: mesh)
            let below = try dmft.run(solver: solver, U: U, mu: U / 2 - 0.4, mesh: mesh)
            #expect(above.converged && below.converged, "\(solver.name)")
            #expect(above.impurity.occupation > 0.501, "\(solver.name): n = \(above.impurity.occupation)")
            #expect(abs(above.impurity.occupation + below.impurity.occupation - 1) < 1e-5,
                    "\(solver.name): n(+δ) = \(above.impurity.occupation), n(−δ) = \(below.impurity.occupation)")
            // ⟨n↑n↓⟩(−δ) = ⟨(1 − n↑)(1 − n↓)⟩(+δ) = 1 − 2n + d.
            #expect(abs(below.impurity.doubleOccupancy - (1 - 2 * above.impurity.occupation + above.impurity.doubleOccupancy)) < 1e-4,
                    "\(solver.name)")
        }
    }

    @Test("ED-DMFT at half filling: a particle–hole symmetric bath, n = 1/2, and at weak coupling IPT's Z and ⟨n↑n↓⟩ (both exact to O(U²))")
    func edLoopHalfFilling() throws {
        let mesh = try MatsubaraMesh(beta: 20, count: 512)
        let dmft = BetheDMFT(lattice: try BetheLattice(), tolerance: 1e-6, maximumIterations: 300)
        let U = 0.5
        let ed = try dmft.run(solver: ExactDiagonalizationSolver(bathSites: 4), U: U, mu: U / 2, mesh: mesh)
        let ipt = try dmft.run(solver: IterativePerturbationTheory(), U: U, mu: U / 2, mesh: mesh)
        #expect(ed.converged && ipt.converged)
        let bath = try #require(ed.impurity.exact?.model)
        #expect(abs(bath.bathEnergies.reduce(0, +)) < 1e-10)
        #expect(abs(ed.impurity.occupation - 0.5) < 1e-10)
        #expect(abs(ed.quasiparticleWeight - ipt.quasiparticleWeight) < 3e-3, "Z: ED \(ed.quasiparticleWeight), IPT \(ipt.quasiparticleWeight)")
        #expect(abs(ed.impurity.doubleOccupancy - ipt.impurity.doubleOccupancy) < 5e-4,
                "d: ED \(ed.impurity.doubleOccupancy), IPT \(ipt.impurity.doubleOccupancy)")
    }
}
