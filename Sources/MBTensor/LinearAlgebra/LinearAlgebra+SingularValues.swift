extension LinearAlgebra {
    /// Singular value decomposition A = U diag(S) Vᵀ by divide and conquer (?gesdd), batched
    /// over leading axes; `a` is `[..., m, n]` with m, n > 0. Thin by default (k = min(m, n)
    /// columns of U and rows of Vᵀ); `fullMatrices` gives square U and Vᵀ. Singular values
    /// descend. Not differentiable: the results are constants.
    /// - Throws: `LinearAlgebraError.didNotConverge`.
    public static func singularValueDecomposition<Scalar>(
        _ a: Tensor<Scalar>, fullMatrices: Bool = false
    ) throws(LinearAlgebraError) -> SingularValueDecomposition<Scalar> {
        let (m, n, count, batchShape) = matrixShape(a, "singularValueDecomposition")
        let k = Swift.min(m, n)
        let routines = lapackRoutines(for: Scalar.self)
        let uColumns = fullMatrices ? m : k, vtRows = fullMatrices ? n : k
        let buffer = a.copiedValue()
        let s = Tensor<Scalar>(uninitializedShape: batchShape + [k])
        let u = Tensor<Scalar>(uninitializedShape: batchShape + [m, uColumns])
        let vt = Tensor<Scalar>(uninitializedShape: batchShape + [vtRows, n])
        for b in 0..<count {
            // Read column-major the buffer is Aᵀ = V S Uᵀ: LAPACK's U (n×·, column-major) is Vᵀ
            // read row-major, and LAPACK's Vᵀ (·×m, column-major) is U read row-major.
            let info = routines.gesdd(
                jobz: fullMatrices ? 65 : 83, m: n, n: m, a: buffer.matrixAddress(b, stride: m * n),
                s: s.matrixAddress(b, stride: k), u: vt.matrixAddress(b, stride: vtRows * n), ldu: n,
                vt: u.matrixAddress(b, stride: m * uColumns), ldvt: uColumns)
            let index = batchIndex(b, rank: a.rank)
            try check(info, "gesdd") { .didNotConverge(routine: "gesdd", info: $0, batchIndex: index) }
        }
        return SingularValueDecomposition(u: u, singularValues: s, vt: vt)
    }

    /// Singular values only (descending), `[..., min(m, n)]`. Not differentiable.
    /// - Throws: `LinearAlgebraError.didNotConverge`.
    public static func singularValues<Scalar>(_ a: Tensor<Scalar>) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let (m, n, count, batchShape) = matrixShape(a, "singularValues")
        let k = Swift.min(m, n)
        let routines = lapackRoutines(for: Scalar.self)
        let buffer = a.copiedValue()
        let s = Tensor<Scalar>(uninitializedShape: batchShape + [k])
        for b in 0..<count {
            let info = routines.gesdd(jobz: 78, m: n, n: m, a: buffer.matrixAddress(b, stride: m * n),
                                      s: s.matrixAddress(b, stride: k), u: nil, ldu: 1, vt: nil, ldvt: 1)
            let index = batchIndex(b, rank: a.rank)
            try check(info, "gesdd") { .didNotConverge(routine: "gesdd", info: $0, batchIndex: index) }
        }
        return s
    }

    /// The minimum-norm least-squares solution of A x ≈ b by SVD (?gelsd), valid for any
    /// shape and rank. `a` is `[m, n]`, `b` is `[m]` or `[m, k]`. Singular values below
    /// `rcond · σ_max` are treated as zero (default: machine epsilon · max(m, n), as NumPy).
    /// Not differentiable (for a differentiable fit of a full-rank A, `solve` the normal
    /// equations or use `cholesky`).
    /// - Throws: `LinearAlgebraError.didNotConverge`.
    public static func leastSquares<Scalar>(
        _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, rcond: Double? = nil
    ) throws(LinearAlgebraError) -> LeastSquaresSolution<Scalar> {
        precondition(a.rank == 2 && a.shape[0] > 0 && a.shape[1] > 0, "leastSquares needs a matrix [m, n], got shape \(a.shape)")
        let m = a.shape[0], n = a.shape[1]
        precondition((b.rank == 1 || b.rank == 2) && b.shape[0] == m,
                     "leastSquares: right-hand side of shape \(b.shape) does not match matrix of shape \(a.shape) (need [m] or [m, k])")
        let k = b.rank == 1 ? 1 : b.shape[1]
        let rhs = Tensor<Scalar>(zeros: [Swift.max(m, n), k])
        rhs.storage.pointer.update(from: b.storage.pointer, count: m * k)
        let work = a.copiedValue()
        let s = Tensor<Scalar>(uninitializedShape: [Swift.min(m, n)])
        var rank = 0
        let threshold = rcond ?? Double(Scalar.ulpOfOne) * Double(Swift.max(m, n))
        let info = lapackRoutines(for: Scalar.self).gelsd(
            m: m, n: n, rightHandSides: k, a: work.storage.pointer, b: rhs.storage.pointer,
            s: s.storage.pointer, rcond: threshold, rank: &rank)
        try check(info, "gelsd") { .didNotConverge(routine: "gelsd", info: $0, batchIndex: nil) }
        let x = Tensor<Scalar>(shape: [n, k], storage: TensorStorage(copying: rhs.storage.pointer, count: n * k))
        let residual = (Tensor.matmul(a.detached(), x) - b.detached().reshaped(to: [m, k])).square().sum(alongAxis: 0)
        return LeastSquaresSolution(
            solution: b.rank == 1 ? x.reshaped(to: [n]) : x,
            residualSumOfSquares: b.rank == 1 ? residual.reshaped(to: []) : residual,
            rank: rank, singularValues: s)
    }

    /// Rows, columns, number of matrices and batch shape of a stack of matrices.
    static func matrixShape<Scalar>(_ a: Tensor<Scalar>, _ operation: StaticString) -> (m: Int, n: Int, count: Int, batchShape: [Int]) {
        precondition(a.rank >= 2 && a.shape[a.rank - 1] > 0 && a.shape[a.rank - 2] > 0,
                     "\(operation) needs non-empty matrices of shape [..., m, n], got shape \(a.shape)")
        let batchShape = Array(a.shape.dropLast(2))
        return (a.shape[a.rank - 2], a.shape[a.rank - 1], batchShape.reduce(1, *), batchShape)
    }
}
