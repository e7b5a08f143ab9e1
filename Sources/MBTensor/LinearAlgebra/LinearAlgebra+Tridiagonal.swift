import CLinearAlgebra

extension LinearAlgebra {
    /// Eigenvalues (ascending) of the real symmetric tridiagonal matrix with `diagonal` (n) and
    /// `offDiagonal` (n − 1) entries, by LAPACK ?stev (implicit QL/QR); with `vectors`, also the
    /// orthonormal eigenvectors, row k of the returned n×n row-major array being eigenvector k.
    /// Not differentiable (plain arrays: the Krylov solvers' Jacobi matrices).
    /// - Throws: `LinearAlgebraError.didNotConverge`, `.invalidArgument` for a wrong off-diagonal length.
    public static func tridiagonalEigen(diagonal: [Double], offDiagonal: [Double], vectors: Bool)
        throws(LinearAlgebraError) -> (values: [Double], vectors: [Double]) {
        let n = diagonal.count
        guard n > 0 else { return ([], []) }
        guard offDiagonal.count == n - 1 else { throw .invalidArgument(routine: "stev", position: 5) }
        var d = diagonal
        var e = offDiagonal + [0]
        var z = [Double](repeating: 0, count: vectors ? n * n : 1)
        // Column-major eigenvectors: eigenvector k occupies z[k·n ..< (k+1)·n], i.e. row k read row-major.
        let info = LAPACKE_dstev(LAPACK_COL_MAJOR, CChar(UInt8(ascii: vectors ? "V" : "N")), Int32(n), &d, &e, &z,
                                 Int32(vectors ? n : 1))
        try check(info, "stev") { .didNotConverge(routine: "stev", info: $0, batchIndex: nil) }
        return (d, vectors ? z : [])
    }
}
