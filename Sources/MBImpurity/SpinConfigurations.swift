/// The Fock configurations of ONE spin species of the Anderson model, as bit patterns.
///
/// Orbital order (fixed, it defines every fermion sign): within a species, bit 0 is the
/// impurity orbital and bit k (k = 1…Nb) is bath site k − 1. A basis state of the whole
/// model is
///
///     |u, d⟩ = Π_{k ∈ u, ascending} c†_{k↑} · Π_{k ∈ d, ascending} c†_{k↓} |0⟩,
///
/// i.e. all spin-up creators (orbitals in ascending order) to the left of all spin-down
/// creators. A one-body operator of a single species (here the hopping) therefore only picks
/// up the sign of the occupied orbitals of its own species between its two orbitals; an
/// operator that changes the spin-down particle number picks up (−1)^{N↑} from moving past
/// the spin-up string.
struct SpinConfigurations: Sendable {
    /// L = Nb + 1 orbitals per species.
    let orbitalCount: Int
    /// `patterns[N]`: all bit patterns with N set bits (N = 0…L), ascending.
    let patterns: [[UInt32]]
    /// `index[p]`: the position of pattern `p` in `patterns[popcount(p)]`.
    let index: [Int32]
    /// `hopping[N]`: the kinetic operator Σ_i V_i (c†_0 a_i + a†_i c_0) of one species in the
    /// N-particle configurations, as symmetric CSR (row = target index, column = source index).
    let hopping: [SparseSymmetricMatrix]
    /// `onsite[N][i]`: −μ n_0 + Σ_i ε_i n_i for configuration i of `patterns[N]` (one species).
    let onsite: [[Double]]

    init(model: AndersonImpurityModel) {
        let bathCount = model.bathSiteCount
        let l = bathCount + 1
        precondition(l <= 24, "SpinConfigurations: \(l) orbitals per spin is beyond any dense or Krylov solver")
        orbitalCount = l
        var patterns = [[UInt32]](repeating: [], count: l + 1)
        var index = [Int32](repeating: 0, count: 1 << l)
        for p in 0..<UInt32(1 << l) {
            let n = p.nonzeroBitCount
            index[Int(p)] = Int32(patterns[n].count)
            patterns[n].append(p)
        }
        self.patterns = patterns
        self.index = index

        var hopping: [SparseSymmetricMatrix] = []
        var onsite: [[Double]] = []
        for n in 0...l {
            var rows = [[(column: Int32, value: Double)]](repeating: [], count: patterns[n].count)
            var energies = [Double](repeating: 0, count: patterns[n].count)
            for (j, p) in patterns[n].enumerated() {
                var e = (p & 1) != 0 ? -model.mu : 0
                for k in 1..<(l) where (p >> UInt32(k)) & 1 != 0 { e += model.bathEnergies[k - 1] }
                energies[j] = e
                // Row j of the hopping collects the sources i with ⟨p|T|source⟩ ≠ 0: exactly one of
                // orbitals 0 and k is occupied in p; the source has the other one occupied.
                for k in 1..<(l) {
                    let v = model.bathHoppings[k - 1]
                    let occupiedZero = (p & 1) != 0, occupiedK = (p >> UInt32(k)) & 1 != 0
                    guard occupiedZero != occupiedK, v != 0 else { continue }
                    let source = p ^ (1 | (1 << UInt32(k)))
                    // Sign: occupied orbitals strictly between 0 and k (bits 1…k−1), the same
                    // for c†_0 a_k and a†_k c_0 since orbital 0 is first.
                    let between = (p & ((1 << UInt32(k)) - 2)).nonzeroBitCount
                    let sign: Double = between % 2 == 0 ? 1 : -1
                    rows[j].append((Int32(index[Int(source)]), sign * v))
                }
            }
            hopping.append(SparseSymmetricMatrix(rows: rows))
            onsite.append(energies)
        }
        self.hopping = hopping
        self.onsite = onsite
    }

    /// C(L, n): the number of configurations with n particles.
    func count(_ n: Int) -> Int { n < 0 || n > orbitalCount ? 0 : patterns[n].count }
}

/// A small sparse matrix in CSR layout (row pointers, column indices, values).
struct SparseSymmetricMatrix: Sendable {
    let rowStart: [Int32]
    let columns: [Int32]
    let values: [Double]
    var rowCount: Int { rowStart.count - 1 }

    init(rows: [[(column: Int32, value: Double)]]) {
        var start: [Int32] = [0], columns: [Int32] = [], values: [Double] = []
        for row in rows {
            for entry in row.sorted(by: { $0.column < $1.column }) {
                columns.append(entry.column)
                values.append(entry.value)
            }
            start.append(Int32(columns.count))
        }
        self.rowStart = start
        self.columns = columns
        self.values = values
    }
}
