import ComplexModule
import Foundation
import MBTensor
import RealModule

/// Exact diagonalisation at low temperature by Krylov methods, for baths too large for full
/// spectra (Nb = 7, 8: blocks of up to C(9,4)² = 15 876 states).
///
/// 1. Every (N↑, N↓) block with N↑ ≤ N↓ (the others are spin mirrors) gets its lowest energy:
///    by LAPACK if its dimension is ≤ `denseBlockLimit`, else by a Lanczos recursion.
/// 2. With E0 the lowest of them, every block whose lowest energy lies within
///    ΔE = −ln(`boltzmannCutoff`)/β of E0 is searched for all its states below E0 + ΔE by
///    `BlockLanczosEigensolver` (lowest k states, k doubled from `blockSize` up to
///    `maximumStatesPerBlock`; a block that reaches the limit is reported in the diagnostics,
///    and its missing states are the only uncontrolled error).
/// 3. For each retained state |ψ⟩ (weight p_ψ = e^{−β(E_ψ−E0)}/Z', Z' over the retained states
///    and their mirrors) Lanczos from c†_σ|ψ⟩ and c_σ|ψ⟩ gives
///
///        G(iω) = Σ_ψ p_ψ [⟨ψ|c (iω − H + E_ψ)⁻¹ c†|ψ⟩ + ⟨ψ|c† (iω + H − E_ψ)⁻¹ c|ψ⟩]
///
///    as continued fractions (`ImpuritySolution.continuedFractions`, used for G(iω)), and the
///    eigen-decomposition of each Jacobi matrix turns them into poles for G(τ). A state of a
///    block with N↑ < N↓ contributes its G↓ for its mirror's G↑.
///
/// The neglected Boltzmann weight is below `boltzmannCutoff` per neglected state; with the
/// default 1e-10 and residuals ≤ 1e-9 the result agrees with full ED to ~1e-8 and better.
public struct KrylovExactDiagonalization: Sendable {
    /// Relative Boltzmann weight e^{−β(E−E0)} below which states are dropped (default 1e-10).
    public var boltzmannCutoff: Double
    /// Most states searched per block (default 64).
    public var maximumStatesPerBlock: Int
    /// Vectors per block-Lanczos step; eigenvalues of up to this multiplicity are resolved.
    public var blockSize: Int
    /// Basis rows before a thick restart (default 160).
    public var maximumBasisSize: Int
    /// Residual norm ‖Hx − θx‖ at which an eigenpair counts as converged (energy units).
    public var residualTolerance: Double
    /// Block-Lanczos iterations per block before `lanczosDidNotConverge` is thrown.
    public var maximumIterations: Int
    /// Longest continued fraction (Lanczos steps) per Green's-function vector.
    public var greensFunctionSteps: Int
    /// Relative change of a continued fraction at iω₀ below which its recursion stops.
    public var greensFunctionTolerance: Double
    /// Blocks up to this dimension are diagonalised by LAPACK instead.
    public var denseBlockLimit: Int
    /// Memory limit (bytes) for the Krylov bases and retained states (default 2 GiB).
    public var maximumMemoryBytes: Int
    /// Seed of the random start vectors (results agree between seeds to the tolerances).
    public var seed: UInt64

    public init(boltzmannCutoff: Double = 1e-10, maximumStatesPerBlock: Int = 64, blockSize: Int = 4,
                maximumBasisSize: Int = 160, residualTolerance: Double = 1e-9, maximumIterations: Int = 3000,
                greensFunctionSteps: Int = 500, greensFunctionTolerance: Double = 1e-14, denseBlockLimit: Int = 400,
                maximumMemoryBytes: Int = 2 << 30, seed: UInt64 = 20_250_401) {
        self.boltzmannCutoff = boltzmannCutoff
        self.maximumStatesPerBlock = maximumStatesPerBlock
        self.blockSize = blockSize
        self.maximumBasisSize = maximumBasisSize
        self.residualTolerance = residualTolerance
        self.maximumIterations = maximumIterations
        self.greensFunctionSteps = greensFunctionSteps
        self.greensFunctionTolerance = greensFunctionTolerance
        self.denseBlockLimit = denseBlockLimit
        self.maximumMemoryBytes = maximumMemoryBytes
        self.seed = seed
    }

    /// What the Krylov solver did.
    public struct Diagnostics: Sendable {
        /// Blocks whose low-lying states were searched (step 2), as (N↑, N↓).
        public var searchedBlocks: [[Int]] = []
        /// Blocks where `maximumStatesPerBlock` states were all below the cutoff (states may be missing).
        public var blocksAtStateLimit: [[Int]] = []
        /// Retained states (N↑ ≤ N↓ representatives; mirrors not counted).
        public var retainedStates = 0
        /// Total block-Lanczos iterations.
        public var eigensolverIterations = 0
        /// Longest continued fraction.
        public var longestContinuedFraction = 0
        /// Continued fractions cut at `greensFunctionSteps` before they converged.
        public var truncatedContinuedFractions = 0
    }

    /// Estimated peak bytes: two bases of `maximumBasisSize` rows plus room for retained states
    /// in the largest block.
    public func memoryEstimate(bathSites: Int) -> Int {
        let l = bathSites + 1
        let largest = binomial(l, l / 2) * binomial(l, l / 2)
        return 8 * largest * (2 * max(maximumBasisSize, 3 * blockSize) + 4 * maximumStatesPerBlock + 8)
    }

    public func solve(_ model: AndersonImpurityModel) throws(ImpuritySolverError) -> ImpuritySolution {
        try solveWithDiagnostics(model).solution
    }

    public func solveWithDiagnostics(_ model: AndersonImpurityModel) throws(ImpuritySolverError)
        -> (solution: ImpuritySolution, diagnostics: Diagnostics) {
        try validate(model)
        var diagnostics = Diagnostics()
        var generator = RandomGenerator(seed: seed)
        let configurations = SpinConfigurations(model: model)
        let l = configurations.orbitalCount
        var sectors: [Int: FockSector] = [:]
        func sector(_ up: Int, _ down: Int) -> FockSector {
            if let s = sectors[up * 64 + down] { return s }
            let s = FockSector(up: up, down: down, configurations: configurations, U: model.U)
            sectors[up * 64 + down] = s
            return s
        }

        // 1. Lowest energy of every block (N↑ ≤ N↓).
        var lowest: [(up: Int, down: Int, energy: Double, dense: DiagonalizedBlock?)] = []
        for up in 0...l {
            for down in up...l {
                let s = sector(up, down)
                if s.dimension <= denseBlockLimit {
                    let block = try DiagonalizedBlock(sector: s)
                    lowest.append((up, down, block.energies[0], block))
                } else {
                    let start = (0..<s.dimension).map { _ in generator.nextNormal() }
                    let lanczos = LanczosTridiagonalization(sector: s, start: start, rule: .lowestEigenvalue(tolerance: 1e-12),
                                                            maximumSteps: 1000)
                    lowest.append((up, down, lanczos.lowestEigenvalue(), nil))
                }
            }
        }
        var groundEnergy = lowest.map(\.energy).min()!
        let cutoffEnergy = -Foundation.log(boltzmannCutoff) / model.beta

        // 2. All states below E0 + ΔE in the blocks that reach below it.
        var states: [RetainedState] = []
        let solver = BlockLanczosEigensolver(blockSize: blockSize, maximumBasisSize: maximumBasisSize,
                                             tolerance: residualTolerance, maximumIterations: maximumIterations)
        for entry in lowest where entry.energy - groundEnergy <= cutoffEnergy + 1e-9 {
            diagnostics.searchedBlocks.append([entry.up, entry.down])
            let s = sector(entry.up, entry.down)
            if let block = entry.dense {
                let n = s.dimension
                for j in 0..<n where block.energies[j] - groundEnergy <= cutoffEnergy {
                    states.append(RetainedState(up: entry.up, down: entry.down, energy: block.energies[j],
                                                vector: (0..<n).map { block.vectors[$0 * n + j] }))
                }
                continue
            }
            var k = min(blockSize, s.dimension, maximumStatesPerBlock)
            var start: [[Double]] = []
            while true {
                let result = try solver.lowest(k, of: s, start: start, generator: &generator)
                diagnostics.eigensolverIterations += result.iterations
                groundEnergy = min(groundEnergy, result.energies[0])
                let allBelow = result.energies.last! - groundEnergy <= cutoffEnergy
                if allBelow && k < min(maximumStatesPerBlock, s.dimension) {
                    start = result.vectors
                    k = min(2 * k, maximumStatesPerBlock, s.dimension)
                    continue
                }
                if allBelow && k < s.dimension { diagnostics.blocksAtStateLimit.append([entry.up, entry.down]) }
                for (e, v) in zip(result.energies, result.vectors) {
                    states.append(RetainedState(up: entry.up, down: entry.down, energy: e, vector: v))
                }
                break
            }
        }
        states.removeAll { $0.energy - groundEnergy > cutoffEnergy }
        diagnostics.retainedStates = states.count

        // 3. Weights, observables and the Green's function.
        let beta = model.beta
        let boltzmann = states.map { Foundation.exp(-beta * ($0.energy - groundEnergy)) }
        let zPrime = zip(states, boltzmann).reduce(0) { $0 + Double($1.0.multiplicity) * $1.1 }
        var nUp = 0.0, nDown = 0.0, double = 0.0, energy = 0.0
        var fractions: [ContinuedFraction] = [], poleEnergies: [Double] = [], poleWeights: [Double] = []
        let probe = Complex<Double>(0, Double.pi / beta)
        for (state, b) in zip(states, boltzmann) {
            let p = b / zPrime
            let s = sector(state.up, state.down)
            let o = state.expectations(in: s)
            let mirrored = state.multiplicity == 2
            nUp += p * (o.up + (mirrored ? o.down : 0))
            nDown += p * (o.down + (mirrored ? o.up : 0))
            double += p * Double(state.multiplicity) * o.double
            energy += p * Double(state.multiplicity) * state.energy
            for spinUp in mirrored ? [true, false] : [true] {
                let (du, dd) = spinUp ? (1, 0) : (0, 1)
                // Particle part: c†_σ|ψ⟩ in (N↑ + du, N↓ + dd).
                if let map = s.creationMap(spinUp: spinUp) {
                    let target = sector(state.up + du, state.down + dd)
                    var phi = [Double](repeating: 0, count: target.dimension)
                    for (k, source) in map.sources.enumerated() { phi[Int(map.targets[k])] = map.sign * state.vector[Int(source)] }
                    append(phi, in: target, weight: p, shift: state.energy, sign: 1, probe: probe,
                           fractions: &fractions, poleEnergies: &poleEnergies, poleWeights: &poleWeights, diagnostics: &diagnostics)
                }
                // Hole part: c_σ|ψ⟩ in (N↑ − du, N↓ − dd), through the transpose of c†_σ from there.
                if (spinUp ? state.up : state.down) > 0 {
                    let target = sector(state.up - du, state.down - dd)
                    let map = target.creationMap(spinUp: spinUp)!
                    var phi = [Double](repeating: 0, count: target.dimension)
                    for (k, source) in map.sources.enumerated() { phi[Int(source)] = map.sign * state.vector[Int(map.targets[k])] }
                    append(phi, in: target, weight: p, shift: state.energy, sign: -1, probe: probe,
                           fractions: &fractions, poleEnergies: &poleEnergies, poleWeights: &poleWeights, diagnostics: &diagnostics)
                }
            }
        }
        let solution = ImpuritySolution(
            model: model, poles: PoleExpansion(energies: poleEnergies, weights: poleWeights, beta: beta),
            continuedFractions: fractions, occupationUp: nUp, occupationDown: nDown, doubleOccupancy: double,
            energy: energy, groundStateEnergy: groundEnergy,
            logPartitionFunction: -beta * groundEnergy + Foundation.log(zPrime), retainedStateCount: states.count)
        return (solution, diagnostics)
    }

    /// One Lanczos continued fraction from φ (unnormalised) and its poles.
    private func append(_ phi: [Double], in target: FockSector, weight p: Double, shift: Double, sign: Double,
                        probe: Complex<Double>, fractions: inout [ContinuedFraction], poleEnergies: inout [Double],
                        poleWeights: inout [Double], diagnostics: inout Diagnostics) {
        // Both parts converge where ⟨φ|(E + iω₀ − H)⁻¹|φ⟩ does (the hole part is its negated conjugate).
        let lanczos = LanczosTridiagonalization(
            sector: target, start: phi, rule: .resolvent(probe: Complex(shift, 0) + probe, tolerance: greensFunctionTolerance),
            maximumSteps: greensFunctionSteps)
        guard lanczos.normSquared > 0 else { return }
        let weight = p * lanczos.normSquared
        fractions.append(lanczos.continuedFraction(weight: weight, shift: shift, sign: sign))
        diagnostics.longestContinuedFraction = max(diagnostics.longestContinuedFraction, lanczos.diagonal.count)
        if !lanczos.converged { diagnostics.truncatedContinuedFractions += 1 }
        let spectrum = lanczos.spectralWeights()
        for (theta, q2) in zip(spectrum.eigenvalues, spectrum.firstComponentsSquared) where q2 > 0 {
            poleEnergies.append(sign * (theta - shift))
            poleWeights.append(weight * q2)
        }
    }

    private func validate(_ model: AndersonImpurityModel) throws(ImpuritySolverError) {
        guard boltzmannCutoff > 0, boltzmannCutoff < 1 else {
            throw .invalidOption(name: "boltzmannCutoff", value: boltzmannCutoff, requirement: "must lie in (0, 1)")
        }
        guard blockSize >= 1, maximumStatesPerBlock >= 1, maximumBasisSize >= 8, greensFunctionSteps >= 1 else {
            throw .invalidOption(name: "blockSize/maximumStatesPerBlock/maximumBasisSize/greensFunctionSteps",
                                 value: Double(min(blockSize, maximumStatesPerBlock, maximumBasisSize, greensFunctionSteps)),
                                 requirement: "must be ≥ 1 (basis ≥ 8)")
        }
        guard residualTolerance > 0 else {
            throw .invalidOption(name: "residualTolerance", value: residualTolerance, requirement: "must be > 0")
        }
        let nb = model.bathSiteCount
        guard nb <= 14 else {
            throw .memoryLimitExceeded(bathSites: nb, estimatedBytes: Int.max, limitBytes: maximumMemoryBytes, method: "Krylov diagonalisation")
        }
        let bytes = memoryEstimate(bathSites: nb)
        guard bytes <= maximumMemoryBytes else {
            throw .memoryLimitExceeded(bathSites: nb, estimatedBytes: bytes, limitBytes: maximumMemoryBytes, method: "Krylov diagonalisation")
        }
    }
}

/// An eigenstate kept for the Lehmann sums: block (N↑ ≤ N↓), energy, vector.
struct RetainedState {
    let up: Int
    let down: Int
    let energy: Double
    let vector: [Double]

    /// 2 when the spin-mirrored block (N↓, N↑) holds an identical copy.
    var multiplicity: Int { up == down ? 1 : 2 }

    /// ⟨n↑⟩, ⟨n↓⟩, ⟨n↑n↓⟩ in this state.
    func expectations(in sector: FockSector) -> (up: Double, down: Double, double: Double) {
        var up = 0.0, down = 0.0, double = 0.0
        for (k, x) in vector.enumerated() {
            let x2 = x * x
            up += sector.impurityUp[k] * x2
            down += sector.impurityDown[k] * x2
            double += sector.impurityUp[k] * sector.impurityDown[k] * x2
        }
        return (up, down, double)
    }
}
