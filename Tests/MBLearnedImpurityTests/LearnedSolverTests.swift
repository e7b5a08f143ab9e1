import ComplexModule
import Foundation
import MBGreens
import MBImpurity
import MBLearnedImpurity
import MBTensor
import RealModule
import Testing

@Suite("Learned solver: as an impurity solver and in DMFT")
struct LearnedSolverTests {
    @Test("The Legendre fit on the Chebyshev–Lobatto grid and T_nl give G(iω) of a smooth G(τ)")
    func gridFourierTransform() throws {
        // Two poles: G(τ) = −Σ w e^{−τε}/(1 + e^{−βε}), G(iω) = Σ w/(iω − ε).
        let beta = 4.0, energies = [-0.7, 1.1], weights = [0.6, 0.4]
        let points = ImaginaryTimeRepresentation.chebyshevLobattoPoints(25)
        let g = points.map { x -> Double in
            let tau = beta * (1 + x) / 2
            return -zip(energies, weights).reduce(0) { $0 + $1.1 * Foundation.exp(-tau * $1.0) / (1 + Foundation.exp(-beta * $1.0)) }
        }
        let transform = try GridFourierTransform(points: points, legendreCount: 25)
        let d = transform.legendreCoefficients(g)
        let back = ImaginaryTimeRepresentation.greensFunction(legendre: d, at: points)
        #expect(zip(back, g).map { abs($0 - $1) }.max()! < 1e-12, "interpolation must reproduce the grid values")
        let count = 40
        let values = GridFourierTransform.matsubara(legendre: d, beta: beta, matrix: GridFourierTransform.matsubaraMatrix(count: count, legendreCount: 25),
                                                    count: count)
        for n in [0, 1, 5, 39] {
            let omega = Double(2 * n + 1) * Double.pi / beta
            let exact = zip(energies, weights).reduce(Complex<Double>.zero) { $0 + Complex($1.1, 0) / Complex(-$1.0, omega) }
            #expect((values[n] - exact).length < 1e-9, "n = \(n): \(values[n]) vs \(exact)")
        }
    }

    @Test("Moments of Δ: M₁ = ΣV², M₂ = ΣV²ε from the last two frequencies; D and offset of a database bath")
    func moments() throws {
        let p = Fixtures.database.parameters(at: 2)
        let model = try p.model()
        let delta = model.hybridization(count: 2048)
        let moments = HybridizationMoments(hybridization: delta, beta: p.beta)
        let m1 = p.bathHoppings.reduce(0) { $0 + $1 * $1 }
        #expect(abs(moments.first - m1) < 1e-9 * m1)
        #expect(abs(moments.halfBandwidth - p.halfBandwidth) < 1e-8)
        #expect(abs(moments.offset - LearnedSolverDomain.bathOffset(of: p)) < 1e-4)
        // Bethe lattice: Δ = t²G, t = D/2 ⇒ M₁ = D²/4, M₂ = 0.
        let lattice = try BetheLattice(halfBandwidth: 1)
        let mesh = try MatsubaraMesh(beta: 10, count: 1024)
        let bethe = HybridizationMoments(hybridization: lattice.hybridization(from: try lattice.greensFunction(on: mesh)).values, beta: 10)
        #expect(abs(bethe.halfBandwidth - 1) < 1e-9 && abs(bethe.offset) < 1e-12, "D = \(bethe.halfBandwidth), offset \(bethe.offset)")
    }

    @Test("Σ³ = Σ_ed − Σ_IPT through Dyson and the truncated Fourier series reproduces G_ed(x)")
    func sigmaVariantReconstruction() {
        let database = Fixtures.database
        for row in [0, 1, 2] {
            let record = database[row]
            let s = LearnedSolverSpecification(inputs: ["ipt"], variant: .sigma).with(configuration: database.configuration)
            let problem = LearnedSolverProblem(record: record, frequencies: s.frequencies)
            let g = s.imaginaryTime(output: s.target(of: record), problem: problem, grid: database.representation)
            let exact = record.outputs["ed"]!.gTau, ipt = record.outputs["ipt"]!.gTau
            let error = LearnedSolverValidation.rmse(g, exact), iptError = LearnedSolverValidation.rmse(ipt, exact)
            // The Fourier series stops at F = 32 frequencies: a small remainder, far below IPT's own error.
            #expect(error < 0.1 * iptError && error < 2e-3, "row \(row) (β = \(record.parameters.beta)): \(error) vs IPT \(iptError)")
        }
    }

    /// The Bethe-lattice problem Δ = t²G at U, μ = U/2 for the semicircle's G.
    func betheProblem(U: Double, mu: Double? = nil, beta: Double = 4, halfBandwidth: Double = 1) throws -> ImpurityProblem {
        let lattice = try BetheLattice(halfBandwidth: halfBandwidth)
        let mesh = try MatsubaraMesh(beta: beta, count: 512)
        return try ImpurityProblem(hybridization: lattice.hybridization(from: try lattice.greensFunction(on: mesh)), U: U, mu: mu ?? U / 2)
    }

    @Test("Outside the training domain (u, βD, μ ≠ U/2) the solver refuses with the descriptor and the range")
    func refusesOutsideDomain() throws {
        let solver = try LearnedImpuritySolver(models: [Fixtures.trained.model])
        let domain = solver.domain
        #expect(domain.halfFillingChemicalPotential)
        _ = try solver.solve(betheProblem(U: 2))
        do {
            _ = try solver.solve(betheProblem(U: 9))
            Issue.record("U = 9 (u = 9) should be refused")
        } catch let error as LearnedSolverError {
            guard case let .outsideTrainingDomain(descriptor, value, trained, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(descriptor == "u = U/D" && abs(value - 9) < 1e-6 && trained.upperBound < 9)
            #expect("\(error)".contains("does not extrapolate"))
        }
        #expect(throws: LearnedSolverError.self) { try solver.solve(betheProblem(U: 2, beta: 40)) }
        #expect(throws: LearnedSolverError.chemicalPotential(mu: 1.3, U: 2, model: "")) { try solver.solve(betheProblem(U: 2, mu: 1.3)) }
    }

    @Test("Predictions are particle–hole equivariant: a half-filled problem gives a symmetric G and n = 1/2")
    func symmetric() throws {
        let solver = try LearnedImpuritySolver(models: [Fixtures.trained.model])
        let result = try solver.solve(betheProblem(U: 2.5))
        #expect(abs(result.occupation - 0.5) < 1e-12)
        #expect(result.g.values.allSatisfy { abs($0.real) < 1e-12 })
        #expect(result.g.values.allSatisfy { $0.imaginary < 0 })
        // Σ from Dyson: Re Σ = U/2 at half filling.
        #expect(abs(result.sigma[0].real - 1.25) < 1e-10)
    }

    @Test("The learned solver drives the Bethe-lattice DMFT loop to convergence, close to the ED loop")
    func dmftConverges() throws {
        let solver = try LearnedImpuritySolver(models: [Fixtures.trained.model])
        let dmft = BetheDMFT(lattice: try BetheLattice(halfBandwidth: 1), mixing: 0.5, tolerance: 1e-8, maximumIterations: 200)
        let mesh = try MatsubaraMesh(beta: 4, count: 512)
        let learned = try dmft.run(solver: solver, U: 2, mu: 1, mesh: mesh)
        #expect(learned.converged, "not converged after \(learned.iterations) iterations: \(learned.distances.suffix(3))")
        let exact = try dmft.run(solver: ExactDiagonalizationSolver(bathSites: 3), U: 2, mu: 1, mesh: mesh)
        let ipt = try dmft.run(solver: IterativePerturbationTheory(), U: 2, mu: 1, mesh: mesh)
        let z = learned.quasiparticleWeight, zED = exact.quasiparticleWeight, zIPT = ipt.quasiparticleWeight
        #expect(z > 0 && z < 1)
        #expect(abs(z - zED) < 0.05, "Z: learned \(z), ED \(zED), IPT \(zIPT)")
        #expect(solver.statistics.calls == learned.iterations && solver.statistics.exactCalls == 0)
    }

    @Test("Dynamic mode: where the ensemble disagrees ED answers, and the problem joins the database")
    func dynamicEnsemble() throws {
        // Two members from different seeds (a few epochs: they disagree).
        var options = Fixtures.trainingOptions
        options.epochs = 4
        var members: [LearnedSolverModel] = []
        for seed in [11, 12] as [UInt64] {
            options.seed = seed
            members.append(try LearnedSolverTraining.train(database: Fixtures.database, databasePath: "(memory)",
                                                           specification: Fixtures.specification, options: options, progress: .quiet).model)
        }
        let problem = try betheProblem(U: 2)
        let quiet = try LearnedImpuritySolver(models: members)
        let prediction = try quiet.predict(problem)
        #expect(prediction.spread > 0 && prediction.members.count == 2)
        // The mean of the members, made symmetric (the problem is half filled) and shifted to G(0⁺) + G(β⁻) = −1.
        let p = prediction.imaginaryTime.count
        let mean = (0..<p).map { (prediction.members[0][$0] + prediction.members[1][$0]) / 2 }
        let symmetric = (0..<p).map { (mean[$0] + mean[p - 1 - $0]) / 2 }
        let shift = (symmetric[0] + symmetric[p - 1] + 1) / 2
        #expect(zip(symmetric.map { $0 - shift }, prediction.imaginaryTime).map { abs($0 - $1) }.max()! < 1e-15)
        #expect(abs(prediction.imaginaryTime[0] + prediction.imaginaryTime[p - 1] + 1) < 1e-15)

        let dynamic = try LearnedImpuritySolver(models: members, dynamic: LearnedSolverDynamicOptions(threshold: prediction.spread / 2))
        let result = try dynamic.solve(problem)
        let ed = try ExactDiagonalizationSolver(bathSites: Fixtures.configuration.bathSites).solve(problem)
        #expect(zip(result.g.values, ed.g.values).map { ($0 - $1).length }.max()! < 1e-12, "the exact call must return ED's answer")
        let relaxed = try LearnedImpuritySolver(models: members, dynamic: LearnedSolverDynamicOptions(threshold: prediction.spread * 2))
        _ = try relaxed.solve(problem)
        #expect(dynamic.statistics.exactCalls == 1 && dynamic.statistics.calls == 1)
        #expect(relaxed.statistics.exactCalls == 0 && relaxed.statistics.calls == 1)
        #expect(dynamic.pendingSamples.count == 1)

        // Appending: a new file with the training database's configuration, then appended to again.
        let folder = Fixtures.temporaryDirectory("dynamic")
        let path = folder + "/grown.h5"
        try Fixtures.database.write(to: path)
        #expect(try dynamic.appendPendingSamples(to: path) == 1)
        #expect(dynamic.pendingSamples.isEmpty && dynamic.statistics.addedSamples == 1)
        let grown = try ImpurityDatabase(contentsOf: path)
        #expect(grown.count == Fixtures.database.count + 1 && grown.configuration.samples == grown.count)
        #expect(grown.indices.last == Fixtures.database.count)
        let added = grown[grown.count - 1]
        #expect(added.parameters.U == 2 && added.parameters.beta == 4 && abs(added.parameters.mu - 1) < 1e-15)
        let exactTau = try ed.exact!.greensFunction(imaginaryTimes: grown.representation.times(beta: 4))
        #expect(zip(added.outputs["ed"]!.gTau, exactTau).map { abs($0 - $1) }.max()! < 1e-12)
        // The inputs are stored as the learned solver saw them (on the problem's Δ), D from Δ's moment.
        #expect(added.outputs["ipt"]!.gTau == prediction.inputs.outputs["ipt"]!.gTau)
        #expect(abs(added.parameters.halfBandwidth - prediction.moments.halfBandwidth) < 1e-12)
        #expect(added.parameters.bathEnergies == ed.exact!.model.bathEnergies.sorted())
        #expect(grown[3] == Fixtures.database[3])
    }
}
