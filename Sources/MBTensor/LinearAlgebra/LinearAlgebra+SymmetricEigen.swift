extension LinearAlgebra {
    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of symmetric matrices
    /// by divide and conquer (?syevd), batched over leading axes. Only the lower triangle of
    /// `a` is read.
    ///
    /// Differentiable with respect to a symmetric A (Giles 2008, "An extended collection of
    /// matrix derivative results"): eigenvalues give Ā = V diag(λ̄) Vᵀ; eigenvectors give
    /// Ā = sym(V (F ∘ Vᵀ V̄) Vᵀ) with F_ij = 1/(λ_j − λ_i) off the diagonal, so eigenvector
    /// gradients are defined only for distinct eigenvalues, and only losses invariant under
    /// each eigenvector's sign are meaningful. Both rules are tensor operations, so second
    /// derivatives (e.g. of eigenvalue losses) work.
    /// - Throws: `LinearAlgebraError.didNotConverge`.
    public static func symmetricEigen<Scalar>(_ a: Tensor<Scalar>) throws(LinearAlgebraError) -> SymmetricEigendecomposition<Scalar> {
        let (n, count, batchShape) = squareShape(a, "symmetricEigen")
        let routines = lapackRoutines(for: Scalar.self)
        // The row-major buffer is the symmetric A itself read column-major ("U" = row-major lower);
        // the eigenvectors come back column-major, i.e. as rows of the row-major buffer.
        let buffer = a.copiedValue()
        let values = Tensor<Scalar>(uninitializedShape: batchShape + [n])
        for m in 0..<count where n > 0 {
            let info = routines.syevd(vectors: true, n: n, a: buffer.matrixAddress(m, stride: n * n),
                                      w: values.matrixAddress(m, stride: n))
            let index = batchIndex(m, rank: a.rank)
            try check(info, "syevd") { .didNotConverge(routine: "syevd", info: $0, batchIndex: index) }
        }
        let vectorsValue = buffer.transposedValue()
        let vectors = Tensor.record("symmetricEigenvectors", output: vectorsValue, input: a) { g, c in
            let (a, v) = (c.inputs[0], c.output)
            let eye: Tensor<Scalar> = identity(n)
            let offDiagonal: Tensor<Scalar> = constantMatrix(n) { i, j in i == j ? 0 : 1 }
            // λ_j = v_jᵀ A v_j, written differentiably so the rule can itself be differentiated.
            let lambda = (Tensor.matmul(a, v) * v).sum(alongAxis: -2)
            let gaps = lambda.expandingShape(at: -2) - lambda.expandingShape(at: -1)  // [i, j] = λ_j − λ_i
            let f = offDiagonal / (gaps + eye)
            let s = Tensor.matmul(Tensor.matmul(v, f * Tensor.matmul(v, g, transposeA: true)), v, transposeB: true)
            return [(s + s.transposed()) * 0.5]
        }
        // The eigenvectors are a second input so that the rule sees them as a (tracked)
        // function of A; no cotangent flows to them from the eigenvalues.
        let eigenvalues = Tensor.record("symmetricEigenvalues", output: values, inputs: [a, vectors]) { g, c in
            let v = c.inputs[1]
            return [Tensor.matmul(v * g.expandingShape(at: -2), v, transposeB: true), nil]
        }
        return SymmetricEigendecomposition(eigenvalues: eigenvalues, eigenvectors: vectors)
    }

    /// Eigenvalues only (ascending), cheaper than `symmetricEigen` when vectors are not needed.
    /// When `a` is being differentiated this is `symmetricEigen(a).eigenvalues`.
    /// - Throws: `LinearAlgebraError.didNotConverge`.
    public static func symmetricEigenvalues<Scalar>(_ a: Tensor<Scalar>) throws(LinearAlgebraError) -> Tensor<Scalar> {
        if a.isTracked { return try symmetricEigen(a).eigenvalues }
        let (n, count, batchShape) = squareShape(a, "symmetricEigenvalues")
        let routines = lapackRoutines(for: Scalar.self)
        let buffer = a.copiedValue()
        let values = Tensor<Scalar>(uninitializedShape: batchShape + [n])
        for m in 0..<count where n > 0 {
            let info = routines.syevd(vectors: false, n: n, a: buffer.matrixAddress(m, stride: n * n),
                                      w: values.matrixAddress(m, stride: n))
            let index = batchIndex(m, rank: a.rank)
            try check(info, "syevd") { .didNotConverge(routine: "syevd", info: $0, batchIndex: index) }
        }
        return values
    }
}
