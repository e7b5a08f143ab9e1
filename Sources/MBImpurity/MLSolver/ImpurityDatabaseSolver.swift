/// The solvers an impurity database stores, by their names in the file and on the command line.
///
/// - `ed` (`.exact`): the target. Full exact diagonalisation of the sample's own discrete bath of
///   Nb sites; G(τ) is the exact Lehmann sum.
/// - `hubbard-i`, `ipt`: the cheap approximations, run on the continuous Δ(iω) of that bath
///   (`ImpurityProblem(hybridization:U:mu:)`); IPT away from half filling is Kajueter–Kotliar.
/// - `edK` (`.fittedED(bathSites: K)`, K = 1…6): exact diagonalisation after fitting the same Δ(iω)
///   onto K bath sites (`BathFit`), i.e. the ED-N_b solvers of the seed. Exact for its fitted bath.
public enum ImpurityDatabaseSolver: Hashable, Sendable, CustomStringConvertible {
    case exact
    case hubbardI
    case ipt
    case fittedED(bathSites: Int)

    /// Largest fitted bath: full diagonalisation (the database never runs the Krylov solver).
    public static let maximumFittedBathSites = 6

    /// Parses `ed`, `hubbard-i`, `ipt` or `edK` with K in 1…6; nil for anything else.
    public init?(name: String) {
        switch name {
        case "ed": self = .exact
        case "hubbard-i": self = .hubbardI
        case "ipt": self = .ipt
        default:
            guard name.hasPrefix("ed"), let k = Int(name.dropFirst(2)), String(k) == name.dropFirst(2),
                  (1...ImpurityDatabaseSolver.maximumFittedBathSites).contains(k) else { return nil }
            self = .fittedED(bathSites: k)
        }
    }

    /// The name used as the dataset name in the file (`g_tau/<name>`) and on the command line.
    public var name: String {
        switch self {
        case .exact: return "ed"
        case .hubbardI: return "hubbard-i"
        case .ipt: return "ipt"
        case let .fittedED(k): return "ed\(k)"
        }
    }

    public var description: String { name }

    /// Whether G(iω_n) and Σ(iω_n) on the first frequencies are stored (`g_iw/`, `sigma_iw/`):
    /// for the target and IPT, the pair the Σ = Σ_IPT + Σ³ networks need.
    public var storesMatsubara: Bool { self == .exact || self == .ipt }
}
