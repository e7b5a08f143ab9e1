import ComplexModule
import Foundation
import MBGreens

/// One impurity problem as every solver sees it: U, μ and a bath — a discrete one (the
/// `AndersonImpurityModel`) or a continuous hybridisation Δ(iω) — with the Matsubara mesh on
/// which G and Σ are wanted (its β is the problem's temperature).
public struct ImpurityProblem: Sendable {
    public enum Bath: Sendable {
        case discrete(energies: [Double], hoppings: [Double])
        case continuous(MatsubaraGreensFunction)
    }

    public let U: Double
    public let mu: Double
    public let bath: Bath
    public let mesh: MatsubaraMesh
    public var beta: Double { mesh.beta }

    /// The discrete-bath model, its G and Σ wanted on the first `frequencies` Matsubara frequencies.
    public init(model: AndersonImpurityModel, frequencies: Int) throws(GreensFunctionError) {
        U = model.U
        mu = model.mu
        bath = .discrete(energies: model.bathEnergies, hoppings: model.bathHoppings)
        mesh = try MatsubaraMesh(beta: model.beta, count: frequencies)
    }

    /// A continuous bath Δ(iω), given on the mesh where G and Σ are wanted.
    /// - Throws: `AndersonImpurityModelError.nonFinite` for a non-finite U, μ or Δ value.
    public init(hybridization: MatsubaraGreensFunction, U: Double, mu: Double) throws(AndersonImpurityModelError) {
        guard U.isFinite else { throw .nonFinite(field: "U", index: nil, value: U) }
        guard mu.isFinite else { throw .nonFinite(field: "mu", index: nil, value: mu) }
        if let i = hybridization.values.firstIndex(where: { !$0.real.isFinite || !$0.imaginary.isFinite }) {
            throw .nonFinite(field: "hybridization", index: i, value: hybridization[i].imaginary)
        }
        self.U = U
        self.mu = mu
        bath = .continuous(hybridization)
        mesh = hybridization.mesh
    }

    /// Δ(iω) on `mesh`.
    public var hybridization: MatsubaraGreensFunction {
        switch bath {
        case let .continuous(delta): return delta
        case let .discrete(energies, hoppings):
            let values = AndersonImpurityModel.hybridization(energies: energies, hoppings: hoppings,
                                                             atFrequencies: (0..<mesh.count).map(mesh.frequency))
            return MatsubaraGreensFunction(mesh: mesh) { (n: Int) in values[n] }
        }
    }

    /// μ = U/2 and a particle–hole symmetric bath (Re Δ(iω) = 0): half filling by symmetry.
    public var isHalfFilled: Bool {
        guard abs(mu - U / 2) <= 1e-12 * max(1, abs(U)) else { return false }
        let delta = hybridization
        let scale = delta.values.reduce(0) { max($0, $1.length) }
        return delta.values.allSatisfy { abs($0.real) <= 1e-12 * max(scale, 1e-300) }
    }
}

/// What a solver returns: G↑ and Σ on the problem's mesh and the static observables.
public struct ImpurityResult: Sendable {
    public var g: MatsubaraGreensFunction
    public var sigma: MatsubaraGreensFunction
    /// ⟨n↑⟩ (= ⟨n↓⟩).
    public var occupation: Double
    /// ⟨n↑n↓⟩: exact for ED, from the Galitskii–Migdal form for the others.
    public var doubleOccupancy: Double
    /// ⟨H⟩ (ED only).
    public var energy: Double?
    /// ED's Lehmann representation (G(τ) at any τ exactly; the model, with a fitted bath).
    public var exact: ImpuritySolution?

    public init(g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, occupation: Double, doubleOccupancy: Double,
                energy: Double? = nil, exact: ImpuritySolution? = nil) {
        self.g = g
        self.sigma = sigma
        self.occupation = occupation
        self.doubleOccupancy = doubleOccupancy
        self.energy = energy
        self.exact = exact
    }

    /// G(τ) on `times`: ED's Lehmann sum, else the tail-corrected Fourier transform of G(iω).
    public func imaginaryTime(_ times: ImaginaryTimeMesh) throws -> [Double] {
        if let exact { return try exact.greensFunction(imaginaryTimes: (0..<times.count).map(times.time)) }
        return try g.fourierTransformed(to: times).values
    }
}

/// An impurity solver: Hubbard-I, IPT, exact diagonalisation (and, later, learned ones) behind
/// one call, so that the DMFT loop, the commands and the databases take any of them.
public protocol ImpuritySolver: Sendable {
    /// The name used on the command line (`hubbard-i`, `ipt`, `ed`).
    var name: String { get }
    func solve(_ problem: ImpurityProblem) throws -> ImpurityResult
}

/// ⟨n↑n↓⟩ from the Galitskii–Migdal form of the potential energy, U⟨n↑n↓⟩ = T Σ_n Σ(iω_n)G(iω_n)e^{iω_n0⁺}:
///
///     d = n² + (2T/U) [Σ_{0≤n<N} Re (Σ(iω_n) − Un) G(iω_n) + tail],
///
/// where the Hartree part Un gives n² and the 1/ω² tail of the rest, −U²n(1 − n)/ω_n² (the exact
/// first moment of Σ), is summed analytically beyond the mesh. U = 0 gives n².
public func galitskiiMigdalDoubleOccupancy(g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, U: Double, occupation n: Double) -> Double {
    guard U != 0 else { return n * n }
    let beta = g.mesh.beta
    var sum = 0.0
    for k in 0..<g.count { sum += ((sigma[k] - Complex(U * n, 0)) * g[k]).real }
    let N = Double(g.count)
    // Σ_{k≥N} 1/ω_k² = (β/π)² Σ_{k≥N} 1/(2k+1)² ≈ (β/π)² (1/(4N) − 1/(48N³)).
    let tail = -U * U * n * (1 - n) * (beta / Double.pi) * (beta / Double.pi) * (1 / (4 * N) - 1 / (48 * N * N * N))
    return n * n + 2 / (beta * U) * (sum + tail)
}

extension HubbardI: ImpuritySolver {
    public var name: String { "hubbard-i" }

    public func solve(_ problem: ImpurityProblem) throws -> ImpurityResult {
        let s = try solve(hybridization: problem.hybridization, U: problem.U, mu: problem.mu)
        return ImpurityResult(g: s.g, sigma: s.sigma, occupation: s.occupation,
                              doubleOccupancy: galitskiiMigdalDoubleOccupancy(g: s.g, sigma: s.sigma, U: problem.U, occupation: s.occupation))
    }
}

extension IterativePerturbationTheory: ImpuritySolver {
    public var name: String { "ipt" }

    /// Ordinary IPT when the problem is half filled by symmetry, Kajueter–Kotliar otherwise.
    public func solve(_ problem: ImpurityProblem) throws -> ImpurityResult {
        let delta = problem.hybridization
        if problem.isHalfFilled {
            let (g, sigma) = try solveHalfFilling(hybridization: delta, U: problem.U)
            return ImpurityResult(g: g, sigma: sigma, occupation: 0.5,
                                  doubleOccupancy: galitskiiMigdalDoubleOccupancy(g: g, sigma: sigma, U: problem.U, occupation: 0.5))
        }
        let s = try solve(hybridization: delta, U: problem.U, mu: problem.mu)
        return ImpurityResult(g: s.g, sigma: s.sigma, occupation: s.occupation,
                              doubleOccupancy: galitskiiMigdalDoubleOccupancy(g: s.g, sigma: s.sigma, U: problem.U, occupation: s.occupation))
    }
}

/// Exact diagonalisation as an `ImpuritySolver`: a discrete bath is solved as given; a continuous
/// Δ(iω) is first fitted onto `bathSites` sites (particle–hole symmetric fit when the problem is
/// half filled). Full diagonalisation up to `fullSpectrumBathSites`, the Krylov solver beyond.
public struct ExactDiagonalizationSolver: ImpuritySolver {
    public var bathSites: Int
    public var fullSpectrumBathSites: Int
    public var full: ExactDiagonalization
    public var krylov: KrylovExactDiagonalization
    public var fit: BathFit

    public init(bathSites: Int = 4, fullSpectrumBathSites: Int = 6, full: ExactDiagonalization = ExactDiagonalization(),
                krylov: KrylovExactDiagonalization = KrylovExactDiagonalization(), fit: BathFit? = nil) {
        self.bathSites = bathSites
        self.fullSpectrumBathSites = fullSpectrumBathSites
        self.full = full
        self.krylov = krylov
        self.fit = fit ?? BathFit(bathSites: bathSites)
    }

    public var name: String { "ed" }

    /// The discrete model ED diagonalises for `problem` (fitting a continuous bath).
    public func model(for problem: ImpurityProblem) throws -> AndersonImpurityModel {
        switch problem.bath {
        case let .discrete(energies, hoppings):
            return try AndersonImpurityModel(U: problem.U, mu: problem.mu, beta: problem.beta, bathEnergies: energies, bathHoppings: hoppings)
        case let .continuous(delta):
            var fit = self.fit
            fit.bathSites = bathSites
            fit.particleHoleSymmetric = problem.isHalfFilled
            let bath = try fit.fit(delta.values, beta: problem.beta)
            return try AndersonImpurityModel(U: problem.U, mu: problem.mu, beta: problem.beta,
                                             bathEnergies: bath.bathEnergies, bathHoppings: bath.bathHoppings)
        }
    }

    public func solve(_ problem: ImpurityProblem) throws -> ImpurityResult {
        let model = try model(for: problem)
        let solution = model.bathSiteCount <= fullSpectrumBathSites ? try full.solve(model) : try krylov.solve(model)
        let mesh = problem.mesh
        return ImpurityResult(g: try MatsubaraGreensFunction(mesh: mesh, values: solution.greensFunction(matsubaraCount: mesh.count)),
                              sigma: try MatsubaraGreensFunction(mesh: mesh, values: solution.selfEnergy(matsubaraCount: mesh.count)),
                              occupation: solution.occupationUp, doubleOccupancy: solution.doubleOccupancy,
                              energy: solution.energy, exact: solution)
    }
}
