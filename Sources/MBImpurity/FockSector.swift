import MBTensor

/// The block of the Anderson Hamiltonian with fixed particle numbers (N↑, N↓).
///
/// Hopping conserves each spin's particle number, so H is block diagonal in (N↑, N↓). The
/// block's basis is the product of the spin-up configurations with N↑ particles and the
/// spin-down configurations with N↓ particles (`SpinConfigurations`, whose doc gives the
/// orbital order and sign convention); basis index = iUp · downCount + iDown, i.e. a vector
/// of the block is a row-major [upCount, downCount] matrix X, and
///
///     H X = D ∘ X + T↑ X + X T↓ᵀ,
///
/// with D the diagonal (U n↑n↓ − μ(n↑+n↓) + Σ ε_i n_i) and T↑, T↓ the one-species hoppings.
struct FockSector: Sendable {
    let up: Int
    let down: Int
    let upCount: Int
    let downCount: Int
    let configurations: SpinConfigurations
    /// H's diagonal in the block basis.
    let diagonal: [Double]
    /// n_{0↑} (0 or 1) of each basis state.
    let impurityUp: [Double]
    /// n_{0↓} (0 or 1) of each basis state.
    let impurityDown: [Double]

    var dimension: Int { upCount * downCount }

    init(up: Int, down: Int, configurations: SpinConfigurations, U: Double) {
        self.up = up
        self.down = down
        self.configurations = configurations
        upCount = configurations.count(up)
        downCount = configurations.count(down)
        let n = upCount * downCount
        var diagonal = [Double](repeating: 0, count: n)
        var nUp = [Double](repeating: 0, count: n)
        var nDown = [Double](repeating: 0, count: n)
        if n > 0 {
            let ups = configurations.patterns[up], downs = configurations.patterns[down]
            let eUp = configurations.onsite[up], eDown = configurations.onsite[down]
            for iu in 0..<upCount {
                let uOccupied = Double(ups[iu] & 1)
                for id in 0..<downCount {
                    let dOccupied = Double(downs[id] & 1)
                    let r = iu * downCount + id
                    diagonal[r] = eUp[iu] + eDown[id] + U * uOccupied * dOccupied
                    nUp[r] = uOccupied
                    nDown[r] = dOccupied
                }
            }
        }
        self.diagonal = diagonal
        impurityUp = nUp
        impurityDown = nDown
    }

    /// The block as a dense row-major dimension × dimension matrix.
    func denseHamiltonian() -> [Double] {
        let n = dimension, dd = downCount
        var h = [Double](repeating: 0, count: n * n)
        let hopUp = configurations.hopping[up], hopDown = configurations.hopping[down]
        h.withUnsafeMutableBufferPointer { h in
            let h = h.baseAddress!
            for r in 0..<n { h[r * n + r] = diagonal[r] }
            for ju in 0..<upCount {
                for e in Int(hopUp.rowStart[ju])..<Int(hopUp.rowStart[ju + 1]) {
                    let iu = Int(hopUp.columns[e]), t = hopUp.values[e]
                    for id in 0..<dd { h[(ju * dd + id) * n + iu * dd + id] += t }
                }
            }
            for iu in 0..<upCount {
                for jd in 0..<dd {
                    for e in Int(hopDown.rowStart[jd])..<Int(hopDown.rowStart[jd + 1]) {
                        h[(iu * dd + jd) * n + iu * dd + Int(hopDown.columns[e])] += hopDown.values[e]
                    }
                }
            }
        }
        return h
    }

    /// y = H x for a block vector x (length `dimension`), split over rows of X by `parallelFor`.
    func apply(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>) {
        let dd = downCount
        let hopUp = configurations.hopping[up], hopDown = configurations.hopping[down]
        let shared = UncheckedSendable(value: (x, y))
        hopUp.rowStart.withUnsafeBufferPointer { upStart in
        hopUp.columns.withUnsafeBufferPointer { upColumns in
        hopUp.values.withUnsafeBufferPointer { upValues in
        hopDown.rowStart.withUnsafeBufferPointer { downStart in
        hopDown.columns.withUnsafeBufferPointer { downColumns in
        hopDown.values.withUnsafeBufferPointer { downValues in
        diagonal.withUnsafeBufferPointer { diagonal in
            let upStart = upStart.baseAddress!, upColumns = upColumns.baseAddress, upValues = upValues.baseAddress
            let downStart = downStart.baseAddress!, downColumns = downColumns.baseAddress, downValues = downValues.baseAddress
            let diagonal = diagonal.baseAddress!
            ComputeThreads.parallelFor(upCount, minimumChunk: max(1, 4096 / max(dd, 1))) { rows in
                let (x, y) = shared.value
                for ju in rows {
                    let yRow = y + ju * dd, xRow = x + ju * dd
                    for id in 0..<dd { yRow[id] = diagonal[ju * dd + id] * xRow[id] }
                    for e in Int(upStart[ju])..<Int(upStart[ju + 1]) {
                        let source = x + Int(upColumns![e]) * dd, t = upValues![e]
                        for id in 0..<dd { yRow[id] += t * source[id] }
                    }
                    for jd in 0..<dd {
                        var s = 0.0
                        for e in Int(downStart[jd])..<Int(downStart[jd + 1]) { s += downValues![e] * xRow[Int(downColumns![e])] }
                        yRow[jd] += s
                    }
                }
            }
        }}}}}}}
    }

    /// The map of c†_{0σ} from this block to the block with one more σ particle: basis
    /// state `sources[k]` goes to basis state `targets[k]` of the target block with `sign`;
    /// every other basis state is annihilated. Nil when Nσ = L (no target block).
    func creationMap(spinUp: Bool) -> CreationMap? {
        let c = configurations
        if spinUp {
            guard up < c.orbitalCount else { return nil }
            var sources: [Int32] = [], targets: [Int32] = []
            for (iu, p) in c.patterns[up].enumerated() where p & 1 == 0 {
                let ju = Int(c.index[Int(p | 1)])
                for id in 0..<downCount {
                    sources.append(Int32(iu * downCount + id))
                    targets.append(Int32(ju * downCount + id))
                }
            }
            return CreationMap(sources: sources, targets: targets, sign: 1)
        } else {
            guard down < c.orbitalCount else { return nil }
            let targetDownCount = c.count(down + 1)
            var sources: [Int32] = [], targets: [Int32] = []
            for iu in 0..<upCount {
                for (id, p) in c.patterns[down].enumerated() where p & 1 == 0 {
                    sources.append(Int32(iu * downCount + id))
                    targets.append(Int32(iu * targetDownCount + Int(c.index[Int(p | 1)])))
                }
            }
            // c†_{0↓} moves past the N↑ spin-up creators in front of it.
            return CreationMap(sources: sources, targets: targets, sign: up % 2 == 0 ? 1 : -1)
        }
    }
}

/// c†_{0σ} between two blocks: source basis index → target basis index, one common sign.
struct CreationMap: Sendable {
    let sources: [Int32]
    let targets: [Int32]
    let sign: Double
}
