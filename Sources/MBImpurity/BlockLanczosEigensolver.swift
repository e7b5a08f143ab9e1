import MBTensor

/// The lowest eigenpairs of one (N↑, N↓) block by a block Krylov method: an orthonormal
/// basis V (rows) grown by `blockSize` vectors per iteration, Rayleigh–Ritz on T = V H Vᵀ
/// (dense, LAPACK), and the residuals r_j = H x_j − θ_j x_j of the not yet converged Ritz
/// pairs as the next block (they span the same new directions as a block Lanczos step, and
/// are orthogonal to V). Orthogonalisation is full (block Gram–Schmidt, twice). When the
/// basis reaches `maximumBasisSize` rows it is thick-restarted on its lowest Ritz vectors.
///
/// With a block of p random start vectors, an eigenvalue of multiplicity ≤ p is found with
/// all its copies; converged means ‖r_j‖ ≤ `tolerance` for each wanted j, which bounds the
/// eigenvalue error by ‖r‖²/gap and the eigenvector error by ‖r‖/gap.
struct BlockLanczosEigensolver {
    var blockSize: Int
    var maximumBasisSize: Int
    var tolerance: Double
    var maximumIterations: Int

    struct Result {
        /// θ_j ascending.
        var energies: [Double]
        /// Ritz vectors, one array of the block's dimension each.
        var vectors: [[Double]]
        var iterations: Int
        var largestResidual: Double
    }

    /// The `wanted` lowest eigenpairs (fewer if the block is smaller). `start` vectors (may be
    /// empty) seed the first block; random normal vectors from `generator` fill it up.
    func lowest(_ wanted: Int, of sector: FockSector, start: [[Double]],
                generator: inout RandomGenerator) throws(ImpuritySolverError) -> Result {
        let n = sector.dimension
        let k = min(wanted, n)
        let p = max(1, blockSize)
        let capacity = max(maximumBasisSize, k + 3 * p)
        if capacity >= n { return try denseLowest(k, of: sector) }

        let v = UnsafeMutablePointer<Double>.allocate(capacity: capacity * n)
        let w = UnsafeMutablePointer<Double>.allocate(capacity: capacity * n)
        defer { v.deallocate(); w.deallocate() }
        var t = [Double](repeating: 0, count: capacity * capacity)
        var m = 0

        /// Orthonormalises the rows of `block` against V and each other, appends the
        /// independent ones to V (and H·row to W, and T's new rows and columns).
        func extend(_ block: [[Double]]) -> Int {
            let first = m
            for var x in block {
                let before = norm(x)
                guard before > 0 else { continue }
                var after = before
                for _ in 0..<3 {
                    x.withUnsafeMutableBufferPointer { x in orthogonalize(x.baseAddress!, against: v, rows: m, n: n) }
                    let previous = after
                    after = norm(x)
                    if after > 0.5 * previous { break }
                }
                guard after > 1e-10 * before, m < capacity else { continue }
                x.withUnsafeBufferPointer { x in
                    for i in 0..<n { v[m * n + i] = x[i] / after }
                }
                sector.apply(v + m * n, into: w + m * n)
                m += 1
            }
            let added = m - first
            if added > 0 {
                // T[i, j] = v_i · w_j for the new columns j (and by symmetry rows).
                var block = [Double](repeating: 0, count: m * added)
                block.withUnsafeMutableBufferPointer { block in
                    Double.gemm(transposeA: false, transposeB: true, m: m, n: added, k: n, alpha: 1, a: v, lda: n,
                                b: w + first * n, ldb: n, beta: 0, c: block.baseAddress!, ldc: added)
                }
                for i in 0..<m {
                    for j in 0..<added {
                        t[i * capacity + first + j] = block[i * added + j]
                        t[(first + j) * capacity + i] = block[i * added + j]
                    }
                }
            }
            return added
        }

        func randomVector() -> [Double] { (0..<n).map { _ in generator.nextNormal() } }

        var initial = Array(start.prefix(capacity / 2))
        while initial.count < max(p, k) { initial.append(randomVector()) }
        _ = extend(initial)

        var iterations = 0
        while true {
            // Rayleigh–Ritz on T[0..<m, 0..<m].
            var compact = [Double](repeating: 0, count: m * m)
            for i in 0..<m { for j in 0..<m { compact[i * m + j] = t[i * capacity + j] } }
            let eig: SymmetricEigendecomposition<Double>
            do { eig = try LinearAlgebra.symmetricEigen(Tensor(shape: [m, m], scalars: compact)) } catch {
                throw .eigensolverFailed(up: sector.up, down: sector.down, message: "\(error)")
            }
            let theta = eig.eigenvalues.scalars, s = eig.eigenvectors.scalars
            let q = min(m, k + p)
            let x = combine(s, rows: m, columns: q, basis: v, n: n)
            var r = combine(s, rows: m, columns: q, basis: w, n: n)
            var residuals = [Double](repeating: 0, count: q)
            for j in 0..<q {
                var sum = 0.0
                for i in 0..<n {
                    let value = r[j * n + i] - theta[j] * x[j * n + i]
                    r[j * n + i] = value
                    sum += value * value
                }
                residuals[j] = sum.squareRoot()
            }
            let largest = residuals.prefix(k).max() ?? 0
            if largest <= tolerance {
                let vectors = (0..<k).map { j in Array(x[(j * n)..<((j + 1) * n)]) }
                return Result(energies: Array(theta.prefix(k)), vectors: vectors, iterations: iterations, largestResidual: largest)
            }
            iterations += 1
            guard iterations <= maximumIterations else {
                throw .lanczosDidNotConverge(up: sector.up, down: sector.down, residual: largest, iterations: iterations - 1)
            }
            let next = (0..<q).filter { residuals[$0] > tolerance }.prefix(p).map { j in Array(r[(j * n)..<((j + 1) * n)]) }
            if m + next.count > capacity {
                // Thick restart on the lowest Ritz vectors; the residuals stay orthogonal to them.
                let keep = min(m, max(k + p, capacity / 2))
                let xs = combine(s, rows: m, columns: keep, basis: v, n: n)
                let ws = combine(s, rows: m, columns: keep, basis: w, n: n)
                xs.withUnsafeBufferPointer { v.update(from: $0.baseAddress!, count: keep * n) }
                ws.withUnsafeBufferPointer { w.update(from: $0.baseAddress!, count: keep * n) }
                for i in 0..<keep { for j in 0..<keep { t[i * capacity + j] = i == j ? theta[i] : 0 } }
                m = keep
            }
            if extend(next) == 0 { _ = extend([randomVector()]) }
        }
    }

    /// All of a small block by LAPACK, keeping the lowest `k`.
    private func denseLowest(_ k: Int, of sector: FockSector) throws(ImpuritySolverError) -> Result {
        let block = try DiagonalizedBlock(sector: sector)
        let n = sector.dimension
        let vectors = (0..<k).map { j in (0..<n).map { block.vectors[$0 * n + j] } }
        return Result(energies: Array(block.energies.prefix(k)), vectors: vectors, iterations: 0, largestResidual: 0)
    }
}

/// x −= Vᵀ(V x) for the first `rows` rows of V (row-major, `n` columns): one Gram–Schmidt pass.
private func orthogonalize(_ x: UnsafeMutablePointer<Double>, against v: UnsafePointer<Double>, rows: Int, n: Int) {
    guard rows > 0 else { return }
    var c = [Double](repeating: 0, count: rows)
    c.withUnsafeMutableBufferPointer { c in
        Double.gemm(transposeA: false, transposeB: false, m: rows, n: 1, k: n, alpha: 1, a: v, lda: n, b: x, ldb: 1,
                    beta: 0, c: c.baseAddress!, ldc: 1)
        Double.gemm(transposeA: true, transposeB: false, m: n, n: 1, k: rows, alpha: -1, a: v, lda: n, b: c.baseAddress!, ldb: 1,
                    beta: 1, c: x, ldc: 1)
    }
}

/// Y = S[:, 0..<columns]ᵀ · B for S (rows × rows, row-major) and B's first `rows` rows.
private func combine(_ s: [Double], rows: Int, columns: Int, basis: UnsafePointer<Double>, n: Int) -> [Double] {
    var y = [Double](repeating: 0, count: columns * n)
    s.withUnsafeBufferPointer { s in
        y.withUnsafeMutableBufferPointer { y in
            Double.gemm(transposeA: true, transposeB: false, m: columns, n: n, k: rows, alpha: 1, a: s.baseAddress!, lda: rows,
                        b: basis, ldb: n, beta: 0, c: y.baseAddress!, ldc: n)
        }
    }
    return y
}

private func norm(_ x: [Double]) -> Double {
    var sum = 0.0
    for value in x { sum += value * value }
    return sum.squareRoot()
}
