import CLinearAlgebra

extension LinearAlgebra {
    /// Solves A X = B (or Aᵀ X = B with `transposeA`) by LU with partial pivoting (?getrf/?getrs).
    ///
    /// `a` is `[..., n, n]`; `b` is `[..., n, k]` (k right-hand sides) or `[..., n]` (one), with
    /// the same leading axes as `a`. Differentiable in both arguments:
    /// B̄ = A⁻ᵀ X̄ and Ā = −B̄ Xᵀ (for A X = B).
    /// - Throws: `LinearAlgebraError.singularMatrix` if a pivot is exactly zero.
    public static func solve<Scalar>(
        _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool = false
    ) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let isVector = b.rank == a.rank - 1
        let rhs = isVector ? b.expandingShape(at: -1) : b
        let x = try solvePrimitive(a, rhs, transposeA: transposeA)
        return isVector ? x.squeezingShape(at: [-1]) : x
    }

    static func solvePrimitive<Scalar>(
        _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool
    ) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let x = try solveValue(a, b, transposeA: transposeA)
        return Tensor.record("solve", output: x, a, b) { g, c in
            let (a, x) = (c.inputs[0], c.output)
            let gb = inRule("solve") { () throws(LinearAlgebraError) in try solvePrimitive(a, g, transposeA: !transposeA) }
            var ga: Tensor<Scalar>?
            if c.needs[0] {
                // A X = B: Ā = −B̄ Xᵀ;  Aᵀ X = B: Ā = −X B̄ᵀ.
                ga = transposeA ? -Tensor.matmul(x, gb, transposeB: true) : -Tensor.matmul(gb, x, transposeB: true)
            }
            return [ga, c.needs[1] ? gb : nil]
        }
    }

    static func solveValue<Scalar>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let (n, count, batchShape) = squareShape(a, "solve")
        precondition(b.rank == a.rank && Array(b.shape.dropLast(2)) == batchShape && b.shape[b.rank - 2] == n,
                     "solve: right-hand sides of shape \(b.shape) do not match matrices of shape \(a.shape) "
                        + "(need [..., n, k] or [..., n] with the same leading axes)")
        let k = b.shape[b.rank - 1]
        let routines = lapackRoutines(for: Scalar.self)
        guard n > 0, k > 0 else { return b.copiedValue() }
        let lu = a.copiedValue()
        // getrs wants column-major n×k right-hand sides: the row-major transpose.
        let x = k == 1 ? b.copiedValue() : b.transposedValue()
        var pivots = [LAPACKInt](repeating: 0, count: n)
        for m in 0..<count {
            let index = batchIndex(m, rank: a.rank)
            let factors = lu.matrixAddress(m, stride: n * n)
            // The column-major view of the row-major buffer is Aᵀ, so solving with A needs "T".
            try check(routines.getrf(n: n, a: factors, pivots: &pivots), "getrf") { .singularMatrix(pivot: $0 - 1, batchIndex: index) }
            try check(routines.getrs(transpose: !transposeA, n: n, rightHandSides: k, lu: factors, pivots: pivots,
                                     b: x.matrixAddress(m, stride: n * k)), "getrs") { .singularMatrix(pivot: $0 - 1, batchIndex: index) }
        }
        return k == 1 ? x : x.transposedValue()
    }

    /// Solves op(T) X = B for triangular T (?trsm), where T is the lower (`lower`) or upper
    /// triangle of `t` including the diagonal; the other triangle is ignored.
    ///
    /// Shapes as in `solve`. Differentiable: B̄ = op(T)⁻ᵀ X̄, T̄ = triangle(−B̄ Xᵀ) (or −X B̄ᵀ for
    /// the transposed solve).
    /// - Throws: `LinearAlgebraError.singularMatrix` if a diagonal element is zero.
    public static func triangularSolve<Scalar>(
        _ t: Tensor<Scalar>, _ b: Tensor<Scalar>, lower: Bool, transposeA: Bool = false
    ) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let isVector = b.rank == t.rank - 1
        let rhs = isVector ? b.expandingShape(at: -1) : b
        let x = try triangularSolvePrimitive(t, rhs, lower: lower, transposeA: transposeA)
        return isVector ? x.squeezingShape(at: [-1]) : x
    }

    static func triangularSolvePrimitive<Scalar>(
        _ t: Tensor<Scalar>, _ b: Tensor<Scalar>, lower: Bool, transposeA: Bool
    ) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let (n, count, batchShape) = squareShape(t, "triangularSolve")
        precondition(b.rank == t.rank && Array(b.shape.dropLast(2)) == batchShape && b.shape[b.rank - 2] == n,
                     "triangularSolve: right-hand sides of shape \(b.shape) do not match matrices of shape \(t.shape) "
                        + "(need [..., n, k] or [..., n] with the same leading axes)")
        let k = b.shape[b.rank - 1]
        let routines = lapackRoutines(for: Scalar.self)
        let x = b.copiedValue()
        for m in 0..<count {
            let matrix = t.matrixAddress(m, stride: n * n)
            if let zero = routines.firstZeroOnDiagonal(n: n, a: matrix) {
                throw .singularMatrix(pivot: zero, batchIndex: batchIndex(m, rank: t.rank))
            }
            routines.trsm(lower: lower, transpose: transposeA, n: n, rightHandSides: k, t: matrix,
                          b: x.matrixAddress(m, stride: n * k))
        }
        return Tensor.record("triangularSolve", output: x, t, b) { g, c in
            let (t, x) = (c.inputs[0], c.output)
            let gb = inRule("triangularSolve") { () throws(LinearAlgebraError) in
                try triangularSolvePrimitive(t, g, lower: lower, transposeA: !transposeA)
            }
            var gt: Tensor<Scalar>?
            if c.needs[0] {
                let mask: Tensor<Scalar> = constantMatrix(n) { i, j in (lower ? j <= i : j >= i) ? 1 : 0 }
                gt = (transposeA ? -Tensor.matmul(x, gb, transposeB: true) : -Tensor.matmul(gb, x, transposeB: true)) * mask
            }
            return [gt, c.needs[1] ? gb : nil]
        }
    }

    /// A⁻¹ by LU (?getrf/?getri), batched over leading axes. Differentiable: Ā = −Xᵀ X̄ Xᵀ
    /// with X = A⁻¹. Prefer `solve` to multiplying by the inverse.
    /// - Throws: `LinearAlgebraError.singularMatrix` if a pivot is exactly zero.
    public static func inverse<Scalar>(_ a: Tensor<Scalar>) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let (n, count, _) = squareShape(a, "inverse")
        let routines = lapackRoutines(for: Scalar.self)
        // (Aᵀ)⁻¹ computed column-major is A⁻¹ read row-major.
        let x = a.copiedValue()
        var pivots = [LAPACKInt](repeating: 0, count: Swift.max(n, 1))
        for m in 0..<count where n > 0 {
            let index = batchIndex(m, rank: a.rank)
            let factors = x.matrixAddress(m, stride: n * n)
            try check(routines.getrf(n: n, a: factors, pivots: &pivots), "getrf") { .singularMatrix(pivot: $0 - 1, batchIndex: index) }
            try check(routines.getri(n: n, lu: factors, pivots: pivots), "getri") { .singularMatrix(pivot: $0 - 1, batchIndex: index) }
        }
        return Tensor.record("inverse", output: x, input: a) { g, c in
            let x = c.output
            return [-Tensor.matmul(Tensor.matmul(x, g, transposeA: true), x, transposeB: true)]
        }
    }

    /// sign(det A) and log |det A| by LU, batched: both have the batch shape `[...]`.
    ///
    /// A singular matrix gives sign 0 and log |det| = −∞; NaN input gives NaN. The log is
    /// differentiable with ∂ log|det A| / ∂A = A⁻ᵀ (defined only for non-singular A); the
    /// sign is a constant.
    public static func signedLogDeterminant<Scalar>(_ a: Tensor<Scalar>) -> (sign: Tensor<Scalar>, logAbsoluteValue: Tensor<Scalar>) {
        let (n, count, batchShape) = squareShape(a, "signedLogDeterminant")
        let routines = lapackRoutines(for: Scalar.self)
        let lu = a.copiedValue()
        var pivots = [LAPACKInt](repeating: 0, count: Swift.max(n, 1))
        var signs = [Double](repeating: 1, count: count), logs = [Double](repeating: 0, count: count)
        for m in 0..<count where n > 0 {
            let factors = lu.matrixAddress(m, stride: n * n)
            let info = routines.getrf(n: n, a: factors, pivots: &pivots)
            if info < 0 {
                (signs[m], logs[m]) = (.nan, .nan)
            } else {
                (signs[m], logs[m]) = routines.luSignAndLogAbsoluteDeterminant(n: n, lu: factors, pivots: pivots)
            }
        }
        let sign = Tensor<Scalar>(converting: Tensor<Double>(shape: batchShape, scalars: signs))
        let logValue = Tensor<Scalar>(converting: Tensor<Double>(shape: batchShape, scalars: logs))
        let logAbsolute = Tensor.record("logAbsoluteDeterminant", output: logValue, input: a) { g, c in
            let a = c.inputs[0]
            let inverse = inRule("signedLogDeterminant") { () throws(LinearAlgebraError) in try LinearAlgebra.inverse(a) }
            return [g.reshaped(to: batchShape + [1, 1]) * inverse.transposed()]
        }
        return (sign, logAbsolute)
    }

    /// det A = sign · exp(log |det A|), batched; differentiable where A is non-singular.
    public static func determinant<Scalar>(_ a: Tensor<Scalar>) -> Tensor<Scalar> {
        let (sign, logAbsolute) = signedLogDeterminant(a)
        return sign * logAbsolute.exp()
    }
}
