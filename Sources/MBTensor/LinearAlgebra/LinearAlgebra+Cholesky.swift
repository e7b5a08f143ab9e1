extension LinearAlgebra {
    /// The lower-triangular Cholesky factor L of a symmetric positive-definite A = L Lᵀ (?potrf),
    /// batched over leading axes. Only the lower triangle of `a` is read.
    ///
    /// Differentiable (Murray 2016, "Differentiation of the Cholesky decomposition",
    /// arXiv:1602.07527): with Φ(X) the lower triangle of X with its diagonal halved,
    /// S = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹ and Ā = (S + Sᵀ)/2, the gradient with respect to a symmetric A.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` with the order of the first
    ///   non-positive leading minor.
    public static func cholesky<Scalar>(_ a: Tensor<Scalar>) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let (n, count, _) = squareShape(a, "cholesky")
        let routines = lapackRoutines(for: Scalar.self)
        // Column-major "U" on the row-major buffer reads A's lower triangle and writes Uᵀ = L there.
        let l = a.copiedValue()
        for m in 0..<count where n > 0 {
            let index = batchIndex(m, rank: a.rank)
            let matrix = l.matrixAddress(m, stride: n * n)
            try check(routines.potrf(n: n, a: matrix), "potrf") { .notPositiveDefinite(minorOrder: $0, batchIndex: index) }
            routines.zeroStrictlyUpper(n: n, a: matrix)
        }
        return Tensor.record("cholesky", output: l, input: a) { g, c in
            let l = c.output
            let phi: Tensor<Scalar> = constantMatrix(n) { i, j in i > j ? 1 : (i == j ? 0.5 : 0) }
            let p = Tensor.matmul(l, g, transposeA: true) * phi
            let s = inRule("cholesky") { () throws(LinearAlgebraError) in
                let y = try triangularSolvePrimitive(l, p, lower: true, transposeA: true)  // L⁻ᵀ P
                return try triangularSolvePrimitive(l, y.transposed(), lower: true, transposeA: true).transposed()  // Y L⁻¹
            }
            return [(s + s.transposed()) * 0.5]
        }
    }

    /// log det A = 2 Σᵢ log Lᵢᵢ for symmetric positive-definite A, by Cholesky; shape `[...]`.
    /// Differentiable (composed of `cholesky` and element-wise operations).
    /// - Throws: `LinearAlgebraError.notPositiveDefinite`.
    public static func positiveDefiniteLogDeterminant<Scalar>(_ a: Tensor<Scalar>) throws(LinearAlgebraError) -> Tensor<Scalar> {
        let (n, _, _) = squareShape(a, "positiveDefiniteLogDeterminant")
        let l = try cholesky(a)
        let diagonal = (l * identity(n)).sum(alongAxis: -1)
        return diagonal.log().sum(alongAxis: -1) * 2
    }
}
