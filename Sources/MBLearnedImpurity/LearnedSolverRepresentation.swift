import MBImpurity

/// Which of a database's two β-free representations of G(τ) a network reads and writes
/// (`ImaginaryTimeRepresentation`, x = 2τ/β − 1):
///
/// - `tau`: G(x_k) on the database's P Chebyshev–Lobatto points (P = 51 by default, the seed's
///   "adaptive mesh"), dataset `g_tau/<solver>`;
/// - `legendre`: the L stored coefficients g_l = G_l/β (L = 40 by default), dataset
///   `legendre/<solver>`, G(x) = Σ_l √(2l+1) P_l(x) g_l.
public enum LearnedSolverRepresentation: String, CaseIterable, Codable, Sendable {
    case tau
    case legendre

    /// The dataset group the representation is stored under in a database file.
    public var fieldName: String {
        switch self {
        case .tau: return "g_tau"
        case .legendre: return "legendre"
        }
    }

    /// R, the values per solver: P or L.
    public func width(points: Int, legendreCoefficients: Int) -> Int {
        self == .tau ? points : legendreCoefficients
    }

    /// The representation's values of one solver output.
    public func values(of output: ImpuritySolverOutput) -> [Double] {
        self == .tau ? output.gTau : output.legendre
    }

    /// G(x_k) on the grid of `grid` from values in this representation (a Legendre expansion is
    /// summed there, truncation included).
    public func greensFunction(_ values: [Double], grid: ImaginaryTimeRepresentation) -> [Double] {
        self == .tau ? values : grid.reconstruct(legendre: values)
    }
}

/// What the network predicts.
///
/// - `correction`: the target's representation in transformed space, as the first input
///   solver's plus a learned correction, T(G_ml) = T(G_first) + s ⊙ MLP(features) (s: the stored
///   per-component RMS of T(G_target) − T(G_first) over the training split).
/// - `sigma`: the seed's "learn Σ³, not Σ": Σ³ = Σ_target − Σ_IPT on the F = 64 stored Matsubara
///   frequencies, weighted by |G_IPT D|² and in units of D, as (Re…, Im…) = s ⊙ MLP(features)
///   (`SigmaCorrection` says why the weight).
///   G follows from Σ = Σ_IPT + Σ³ by Dyson with the problem's Δ (`SigmaCorrection`). The inputs
///   must include `ipt`.
public enum LearnedSolverVariant: String, CaseIterable, Codable, Sendable {
    case correction
    case sigma
}

/// The hidden-layer nonlinearity.
public enum LearnedSolverActivation: String, CaseIterable, Codable, Sendable {
    case tanh
    case relu
}
