import MBTensor

/// The kernel of one maximum-entropy problem — imaginary times, β and real-frequency grid —
/// with its singular value decomposition, prepared once and reused for every data set on the
/// same times and temperature (`MaxEnt.solve(kernel:data:errors:)`).
///
/// K(τ_i, ω_j) (no quadrature weights, `BosonicKernel.matrix`) = V Σ Uᵀ is kept to singular
/// values above 1e-15 σ_max, i.e. to rounding level; each solve then re-weights it by the error
/// bars with a small SVD of diag(1/e) V Σ instead of an SVD of the full error-weighted kernel.
public struct MaxEntKernel: Sendable {
    /// Imaginary times, strictly increasing inside [0, β].
    public let tau: [Double]
    /// Inverse temperature β = 1/T.
    public let beta: Double
    /// The real-frequency grid σ lives on.
    public let grid: RealFrequencyGrid
    /// K(τ_i, ω_j), row-major `tau.count × grid.count`, without quadrature weights.
    public let matrix: [Double]
    /// Number of singular values kept.
    let rank: Int
    /// V Σ, row-major `tau.count × rank`.
    let scaledLeft: [Double]
    /// U, row-major `grid.count × rank`.
    let right: [Double]

    /// Validates the times and β and decomposes the kernel.
    /// - Throws: `MaxEntError` for fewer than 3 times, β ≤ 0 or non-finite, non-finite or
    ///   non-increasing times, times outside [0, β], a grid that stops before the kernel at the
    ///   smallest time has decayed (ω_max · min(τ, β − τ) < 25, ignoring times exactly at 0 or
    ///   β), or a failed SVD.
    public init(tau: [Double], beta: Double, grid: RealFrequencyGrid = .nonUniform()) throws(MaxEntError) {
        try Self.validate(tau: tau, beta: beta, grid: grid)
        self.tau = tau
        self.beta = beta
        self.grid = grid
        matrix = BosonicKernel.matrix(tau: tau, grid: grid, beta: beta)
        let n = tau.count, columns = grid.count
        let svd: SingularValueDecomposition<Double>
        do {
            svd = try LinearAlgebra.singularValueDecomposition(Tensor<Double>(shape: [n, columns], scalars: matrix))
        } catch {
            throw .linearAlgebra(error)
        }
        let s = svd.singularValues.scalars, u = svd.u.scalars, vt = svd.vt.scalars
        let k = s.count
        let kept = s.prefix { $0 > 1e-15 * s[0] }.count
        rank = kept
        var left = [Double](repeating: 0, count: n * kept)
        for i in 0..<n {
            for l in 0..<kept { left[i * kept + l] = u[i * k + l] * s[l] }
        }
        var rightVectors = [Double](repeating: 0, count: columns * kept)
        for l in 0..<kept {
            for j in 0..<columns { rightVectors[j * kept + l] = vt[l * columns + j] }
        }
        scaledLeft = left
        right = rightVectors
    }

    static func validate(tau: [Double], beta: Double, grid: RealFrequencyGrid) throws(MaxEntError) {
        guard beta.isFinite, beta > 0 else { throw .invalidBeta(beta) }
        guard tau.count >= 3 else { throw .tooFewTimes(count: tau.count, minimum: 3) }
        var closest = Double.infinity
        for (i, t) in tau.enumerated() {
            guard t.isFinite else { throw .nonFinite(quantity: "tau", index: i) }
            guard t >= 0, t <= beta else { throw .tauOutOfRange(index: i, tau: t, beta: beta) }
            if i > 0, t <= tau[i - 1] { throw .nonMonotonicTau(index: i) }
            for distance in [t, beta - t] where distance > 0 { closest = min(closest, distance) }
        }
        let required = 25 / closest
        let maximum = grid.omega[grid.count - 1]
        if closest.isFinite, maximum < required { throw .frequencyGridTooShort(maximumFrequency: maximum, required: required) }
    }
}
