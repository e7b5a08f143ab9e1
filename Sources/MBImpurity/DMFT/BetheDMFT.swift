import ComplexModule
import Foundation
import MBGreens

/// The DMFT self-consistency on the Bethe lattice (semicircular density of states, half
/// bandwidth D): Δ(iω) = t² G(iω), t = D/2, iterated with linear mixing
/// G ← (1 − m) G_old + m G_new until max_n |G_new − G_old| < tolerance.
public struct BetheDMFT: Sendable {
    public enum Start: String, Sendable, CaseIterable, Codable {
        /// The non-interacting semicircle.
        case metal
        /// Two atomic poles at ±U/2: G = ½[1/(iω − U/2) + 1/(iω + U/2)].
        case insulator
    }

    public var lattice: BetheLattice
    public var mixing: Double
    public var tolerance: Double
    public var maximumIterations: Int

    public init(lattice: BetheLattice, mixing: Double = 0.5, tolerance: Double = 1e-8, maximumIterations: Int = 1000) {
        self.lattice = lattice
        self.mixing = mixing
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
    }

    public struct Result: Sendable {
        /// The converged G (on no convergence: the last mixed G).
        public var g: MatsubaraGreensFunction
        /// The last solver output (its Σ, occupation, ⟨n↑n↓⟩, energy; ED: the fitted bath).
        public var impurity: ImpurityResult
        public var iterations: Int
        public var converged: Bool
        /// max_n |G_new − G_old| per iteration.
        public var distances: [Double]

        public var sigma: MatsubaraGreensFunction { impurity.sigma }

        /// Z = 1/(1 − Im Σ(iω₀)/ω₀).
        public var quasiparticleWeight: Double {
            1 / (1 - sigma[0].imaginary / sigma.mesh.frequency(0))
        }
    }

    /// The starting G for `start` at interaction U.
    public func initialGreensFunction(_ start: Start, mesh: MatsubaraMesh, U: Double) throws(GreensFunctionError) -> MatsubaraGreensFunction {
        switch start {
        case .metal: return try lattice.greensFunction(on: mesh)
        case .insulator:
            return MatsubaraGreensFunction(mesh: mesh) { (z: Complex<Double>) in
                (1 / (z - Complex(U / 2, 0)) + 1 / (z + Complex(U / 2, 0))) / 2
            }
        }
    }

    /// Iterates `solver` at (U, μ) from `initial` (or from `start`'s G): Δ = t²G, G ← solver(Δ).
    public func run(solver: any ImpuritySolver, U: Double, mu: Double, initial: MatsubaraGreensFunction? = nil,
                    start: Start = .metal, mesh: MatsubaraMesh, progress: ((Int, Double) -> Void)? = nil) throws -> Result {
        let first = try initial ?? initialGreensFunction(start, mesh: mesh, U: U)
        return try run(initial: first, solve: { delta in
            try solver.solve(ImpurityProblem(hybridization: delta, U: U, mu: mu))
        }, progress: progress)
    }

    /// Iterates from `initial` with `solve(Δ)`.
    public func run(initial: MatsubaraGreensFunction,
                    solve: (MatsubaraGreensFunction) throws -> ImpurityResult,
                    progress: ((Int, Double) -> Void)? = nil) throws -> Result {
        var g = initial
        var distances: [Double] = []
        var iteration = 0
        while true {
            iteration += 1
            let impurity = try solve(lattice.hybridization(from: g))
            var distance = 0.0
            for n in 0..<g.count { distance = max(distance, (impurity.g[n] - g[n]).length) }
            distances.append(distance)
            progress?(iteration, distance)
            if distance < tolerance {
                return Result(g: impurity.g, impurity: impurity, iterations: iteration, converged: true, distances: distances)
            }
            g = g * (1 - mixing) + impurity.g * mixing
            if !distance.isFinite || iteration >= maximumIterations {
                return Result(g: g, impurity: impurity, iterations: iteration, converged: false, distances: distances)
            }
        }
    }
}
