import Foundation
import MBTensor

/// Finite-temperature exact diagonalisation of the Anderson impurity model by full
/// diagonalisation of every (N↑, N↓) block (LAPACK ?syevd through `LinearAlgebra.symmetricEigen`).
///
/// Each spin species has L = Nb + 1 orbitals, so block (N↑, N↓) has C(L, N↑)·C(L, N↓) states
/// and the whole space 4^L (orbital order and fermion signs: `SpinConfigurations`). With
/// H|m⟩ = E_m|m⟩, energies shifted by the ground energy E0 so that no exponential overflows,
/// and Boltzmann factors b_m = e^{−β(E_m − E0)}, Z' = Σ_m b_m:
///
///     G↑(iω) = Σ_{n,m} |⟨m|c†_↑|n⟩|² (b_n + b_m)/Z' / (iω − (E_m − E_n)),
///     n↑ = Σ_m b_m ⟨m|n↑|m⟩/Z',  ⟨n↑n↓⟩ likewise,  ⟨H⟩ = E0 + Σ_m b_m (E_m − E0)/Z',
///     ln Z = −βE0 + ln Z'.
///
/// Truncation: states with b_m < `boltzmannCutoff` (default 1e-14, relative to the ground
/// state) are dropped from the Lehmann sums and the observables (never from Z'); a term is
/// kept when either of its two states is retained, so the neglected weight is below
/// cutoff × (number of states). Poles of weight below 1e-20 (symmetry-forbidden transitions
/// that rounding made non-zero) are dropped.
///
/// Before allocating, the solver estimates the largest block and the memory for all
/// eigenvectors and throws `ImpuritySolverError.blockTooLarge` / `.memoryLimitExceeded`
/// beyond the limits; then `KrylovExactDiagonalization` is the method to use.
public struct ExactDiagonalization: Sendable {
    /// Largest block that is fully diagonalised (default 6000 states: ?syevd ≈ 0.5 min, 0.3 GB per copy).
    public var maximumBlockDimension: Int
    /// Memory limit in bytes for all eigenvectors plus work space (default 1 GiB: Nb ≤ 6).
    public var maximumMemoryBytes: Int
    /// Relative Boltzmann weight below which eigenstates are dropped (default 1e-14).
    public var boltzmannCutoff: Double
    /// Relative energy tolerance for merging degenerate poles (`PoleExpansion`).
    public var poleMergeTolerance: Double

    public init(maximumBlockDimension: Int = 6000, maximumMemoryBytes: Int = 1 << 30,
                boltzmannCutoff: Double = 1e-14, poleMergeTolerance: Double = 1e-10) {
        self.maximumBlockDimension = maximumBlockDimension
        self.maximumMemoryBytes = maximumMemoryBytes
        self.boltzmannCutoff = boltzmannCutoff
        self.poleMergeTolerance = poleMergeTolerance
    }

    /// The largest block dimension and the estimated peak memory (bytes) for `bathSites`:
    /// all eigenvectors (Σ_blocks dim² doubles), three dense copies of the largest block, and
    /// for every c†↑ block pair the squared amplitudes plus at most as many poles (3 doubles each).
    public static func resourceEstimate(bathSites: Int) -> (largestBlock: Int, bytes: Int) {
        let l = bathSites + 1
        let counts = (0...l).map { binomial(l, $0) }
        let largest = counts.max()! * counts.max()!
        let sumOfSquares = counts.reduce(0) { $0 + $1 * $1 }
        let transitions = (0..<l).reduce(0) { $0 + counts[$1] * counts[$1 + 1] } * sumOfSquares
        return (largest, 8 * (sumOfSquares * sumOfSquares + 3 * largest * largest + 3 * transitions))
    }

    /// Diagonalises every block and assembles G↑ and the observables.
    /// - Throws: `ImpuritySolverError` (size limits, invalid options, LAPACK failure).
    public func solve(_ model: AndersonImpurityModel) throws(ImpuritySolverError) -> ImpuritySolution {
        guard boltzmannCutoff > 0, boltzmannCutoff < 1 else {
            throw .invalidOption(name: "boltzmannCutoff", value: boltzmannCutoff, requirement: "must lie in (0, 1)")
        }
        let nb = model.bathSiteCount
        guard nb <= 12 else { throw .blockTooLarge(bathSites: nb, largestBlock: Int.max, limit: maximumBlockDimension) }
        let estimate = ExactDiagonalization.resourceEstimate(bathSites: nb)
        guard estimate.largestBlock <= maximumBlockDimension else {
            throw .blockTooLarge(bathSites: nb, largestBlock: estimate.largestBlock, limit: maximumBlockDimension)
        }
        guard estimate.bytes <= maximumMemoryBytes else {
            throw .memoryLimitExceeded(bathSites: nb, estimatedBytes: estimate.bytes, limitBytes: maximumMemoryBytes,
                                       method: "full diagonalisation")
        }

        let configurations = SpinConfigurations(model: model)
        let l = configurations.orbitalCount
        // Block (N↑, N↓) with N↑ > N↓ is the spin mirror of (N↓, N↑): same spectrum, and its
        // eigenvectors are the mirror's with the up and down configurations swapped.
        var blocks: [[DiagonalizedBlock]] = []
        for up in 0...l {
            var row: [DiagonalizedBlock] = []
            for down in 0...l {
                let sector = FockSector(up: up, down: down, configurations: configurations, U: model.U)
                row.append(up > down ? DiagonalizedBlock(sector: sector, mirroring: blocks[down][up])
                                     : try DiagonalizedBlock(sector: sector))
            }
            blocks.append(row)
        }

        let beta = model.beta
        let groundEnergy = blocks.joined().map { $0.energies.first ?? .infinity }.min()!
        let cutoffEnergy = -Foundation.log(boltzmannCutoff) / beta
        var zPrime = 0.0, weightedEnergy = 0.0, nUp = 0.0, nDown = 0.0, double = 0.0, retained = 0
        for block in blocks.joined() {
            let boltzmann = block.energies.map { Foundation.exp(-beta * ($0 - groundEnergy)) }
            zPrime += boltzmann.reduce(0, +)
            let kept = block.retainedCount(groundEnergy: groundEnergy, cutoffEnergy: cutoffEnergy)
            retained += kept
            let expectations = block.diagonalExpectations(states: kept)
            for j in 0..<kept {
                weightedEnergy += boltzmann[j] * (block.energies[j] - groundEnergy)
                nUp += boltzmann[j] * expectations.up[j]
                nDown += boltzmann[j] * expectations.down[j]
                double += boltzmann[j] * expectations.double[j]
            }
        }

        var poleEnergies: [Double] = [], poleWeights: [Double] = []
        var blockSum = LehmannBlockSum(beta: beta)
        for up in 0..<l {
            for down in 0...l {
                let source = blocks[up][down], target = blocks[up + 1][down]
                guard let map = source.sector.creationMap(spinUp: true) else { continue }
                appendPoles(from: source, to: target, map: map, groundEnergy: groundEnergy, cutoffEnergy: cutoffEnergy,
                            beta: beta, normalisation: 1 / zPrime, energies: &poleEnergies, weights: &poleWeights,
                            blockSum: &blockSum)
            }
        }
        return ImpuritySolution(
            model: model,
            poles: PoleExpansion(energies: poleEnergies, weights: poleWeights, beta: beta, mergeTolerance: poleMergeTolerance),
            occupationUp: nUp / zPrime, occupationDown: nDown / zPrime, doubleOccupancy: double / zPrime,
            energy: groundEnergy + weightedEnergy / zPrime, groundStateEnergy: groundEnergy,
            logPartitionFunction: -beta * groundEnergy + Foundation.log(zPrime), retainedStateCount: retained,
            lehmannBlocks: blockSum)
    }

    /// Poles of c†↑ from `source` (n) to `target` (m): M = U_mᵀ C U_n restricted to pairs with
    /// a retained state, ε = E_m − E_n, w = M² (b_n + b_m)/Z'. M is formed by two GEMMs on the
    /// rows that c† connects: all m against the retained n, and the retained m against the rest.
    private func appendPoles(from source: DiagonalizedBlock, to target: DiagonalizedBlock, map: CreationMap,
                             groundEnergy: Double, cutoffEnergy: Double, beta: Double, normalisation: Double,
                             energies: inout [Double], weights: inout [Double], blockSum: inout LehmannBlockSum) {
        let dn = source.sector.dimension, dm = target.sector.dimension, rows = map.sources.count
        guard dn > 0, dm > 0, rows > 0 else { return }
        let keptN = source.retainedCount(groundEnergy: groundEnergy, cutoffEnergy: cutoffEnergy)
        let keptM = target.retainedCount(groundEnergy: groundEnergy, cutoffEnergy: cutoffEnergy)
        guard keptN > 0 || keptM > 0 else { return }
        // Gathered rows: a[r, :] = U_n[source_r, :], b[r, :] = sign · U_m[target_r, :].
        var a = [Double](repeating: 0, count: rows * dn), b = [Double](repeating: 0, count: rows * dm)
        source.vectors.withUnsafeBufferPointer { un in
            for (r, s) in map.sources.enumerated() {
                a.withUnsafeMutableBufferPointer { a in
                    (a.baseAddress! + r * dn).update(from: un.baseAddress! + Int(s) * dn, count: dn)
                }
            }
        }
        target.vectors.withUnsafeBufferPointer { um in
            b.withUnsafeMutableBufferPointer { b in
                for (r, t) in map.targets.enumerated() {
                    for i in 0..<dm { b[r * dm + i] = map.sign * um[Int(t) * dm + i] }
                }
            }
        }
        let bn = source.energies.map { Foundation.exp(-beta * ($0 - groundEnergy)) }
        let bm = target.energies.map { Foundation.exp(-beta * ($0 - groundEnergy)) }
        let minimumWeight = 1e-20
        var squared = [Double](repeating: 0, count: dm * dn)
        func collect(_ m: [Double], rowRange: Range<Int>, columnRange: Range<Int>) {
            let width = columnRange.count
            for i in rowRange {
                for j in columnRange {
                    let amplitude = m[(i - rowRange.lowerBound) * width + (j - columnRange.lowerBound)]
                    squared[i * dn + j] = amplitude * amplitude * normalisation
                    let w = amplitude * amplitude * (bn[j] + bm[i]) * normalisation
                    if w > minimumWeight {
                        energies.append(target.energies[i] - source.energies[j])
                        weights.append(w)
                    }
                }
            }
        }
        if keptN > 0 {
            let m = gemmTransposedA(b, a, k: rows, m: dm, n: keptN, ldx: dm, ldy: dn, columnOffset: 0)
            collect(m, rowRange: 0..<dm, columnRange: 0..<keptN)
        }
        if keptM > 0 && keptN < dn {
            let m = gemmTransposedA(b, a, k: rows, m: keptM, n: dn - keptN, ldx: dm, ldy: dn, columnOffset: keptN)
            collect(m, rowRange: 0..<keptM, columnRange: keptN..<dn)
        }
        blockSum.append(sourceEnergies: source.energies.map { $0 - groundEnergy },
                        targetEnergies: target.energies.map { $0 - groundEnergy }, squaredAmplitudes: squared)
    }
}

/// C = X[:, 0..<m]ᵀ · Y[:, offset..<offset+n] with X (k × ldx) and Y (k × ldy) row-major.
private func gemmTransposedA(_ x: [Double], _ y: [Double], k: Int, m: Int, n: Int, ldx: Int, ldy: Int,
                             columnOffset: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    x.withUnsafeBufferPointer { x in
        y.withUnsafeBufferPointer { y in
            c.withUnsafeMutableBufferPointer { c in
                Double.gemm(transposeA: true, transposeB: false, m: m, n: n, k: k, alpha: 1, a: x.baseAddress!, lda: ldx,
                            b: y.baseAddress! + columnOffset, ldb: ldy, beta: 0, c: c.baseAddress!, ldc: n)
            }
        }
    }
    return c
}

/// Binomial coefficient C(n, k) (exact for the small n used here).
func binomial(_ n: Int, _ k: Int) -> Int {
    guard k >= 0, k <= n else { return 0 }
    var result = 1
    for i in 0..<min(k, n - k) { result = result * (n - i) / (i + 1) }
    return result
}

/// One block's full spectrum: eigenvalues ascending and eigenvectors U[basis, state] row-major.
struct DiagonalizedBlock {
    let sector: FockSector
    let energies: [Double]
    let vectors: [Double]

    init(sector: FockSector) throws(ImpuritySolverError) {
        self.sector = sector
        let n = sector.dimension
        guard n > 0 else {
            energies = []
            vectors = []
            return
        }
        let h = Tensor<Double>(shape: [n, n], scalars: sector.denseHamiltonian())
        do {
            let decomposition = try LinearAlgebra.symmetricEigen(h)
            energies = decomposition.eigenvalues.scalars
            vectors = decomposition.eigenvectors.scalars
        } catch {
            throw .eigensolverFailed(up: sector.up, down: sector.down, message: "\(error)")
        }
    }

    /// The spin mirror of `mirror` (block (N↓, N↑)): U[iu·dd + id, j] = U_mirror[id·du + iu, j]
    /// (up to a sign common to the block, (−1)^{N↑N↓}, which no Lehmann sum sees).
    init(sector: FockSector, mirroring mirror: DiagonalizedBlock) {
        precondition(mirror.sector.up == sector.down && mirror.sector.down == sector.up,
                     "DiagonalizedBlock: (\(sector.up), \(sector.down)) cannot mirror (\(mirror.sector.up), \(mirror.sector.down))")
        self.sector = sector
        energies = mirror.energies
        let n = sector.dimension, du = sector.upCount, dd = sector.downCount
        var vectors = [Double](repeating: 0, count: n * n)
        mirror.vectors.withUnsafeBufferPointer { old in
            vectors.withUnsafeMutableBufferPointer { new in
                for iu in 0..<du {
                    for id in 0..<dd {
                        (new.baseAddress! + (iu * dd + id) * n).update(from: old.baseAddress! + (id * du + iu) * n, count: n)
                    }
                }
            }
        }
        self.vectors = vectors
    }

    /// How many of the lowest states have E − E0 ≤ cutoffEnergy (a prefix: energies ascend).
    func retainedCount(groundEnergy: Double, cutoffEnergy: Double) -> Int {
        energies.firstIndex { $0 - groundEnergy > cutoffEnergy } ?? energies.count
    }

    /// ⟨j|n↑|j⟩, ⟨j|n↓|j⟩, ⟨j|n↑n↓|j⟩ for the lowest `states` eigenstates: Σ_k U[k, j]² n(k).
    func diagonalExpectations(states: Int) -> (up: [Double], down: [Double], double: [Double]) {
        let n = sector.dimension
        var up = [Double](repeating: 0, count: states), down = up, double = up
        for k in 0..<n {
            let nu = sector.impurityUp[k], nd = sector.impurityDown[k]
            guard nu + nd > 0 else { continue }
            for j in 0..<states {
                let u2 = vectors[k * n + j] * vectors[k * n + j]
                up[j] += nu * u2
                down[j] += nd * u2
                double[j] += nu * nd * u2
            }
        }
        return (up, down, double)
    }
}
