import CLinearAlgebra

/// The LAPACK and BLAS calls behind `LinearAlgebra`, one concrete implementation per
/// precision, reached from generic code once per matrix (never per element).
///
/// Layout trick: a row-major n×n buffer read column-major is the transpose. So factorisations
/// of symmetric matrices (syevd, potrf) run column-major on the row-major data directly, and
/// LU factorises Aᵀ, which `getrs` with the opposite transpose flag turns back into a solve
/// with A. Column-major calls avoid LAPACKE's internal transposes (20–35% of dsyevd's time,
/// PERFORMANCE-NOTES). Pointers are raw so that the requirements are precision-free.
protocol LAPACKRoutines {
    /// Eigen-decomposition of the symmetric matrix whose column-major upper triangle is `a`
    /// (= row-major lower triangle); eigenvalues ascending into `w`, eigenvectors overwrite
    /// `a` column by column when `vectors`.
    static func syevd(vectors: Bool, n: Int, a: UnsafeMutableRawPointer, w: UnsafeMutableRawPointer) -> Int32
    /// Column-major LU with partial pivoting of the n×n matrix `a` (in place).
    static func getrf(n: Int, a: UnsafeMutableRawPointer, pivots: UnsafeMutablePointer<LAPACKInt>) -> Int32
    /// Column-major solve op(A) X = B from `getrf`'s factors; `b` is n×nrhs column-major.
    static func getrs(transpose: Bool, n: Int, rightHandSides: Int, lu: UnsafeRawPointer,
                      pivots: UnsafePointer<LAPACKInt>, b: UnsafeMutableRawPointer) -> Int32
    /// Column-major inverse from `getrf`'s factors (in place).
    static func getri(n: Int, lu: UnsafeMutableRawPointer, pivots: UnsafePointer<LAPACKInt>) -> Int32
    /// Column-major Cholesky A = UᵀU reading and writing the upper triangle.
    static func potrf(n: Int, a: UnsafeMutableRawPointer) -> Int32
    /// Row-major triangular solve op(T) X = B in place (B is n×nrhs), no singularity check.
    static func trsm(lower: Bool, transpose: Bool, n: Int, rightHandSides: Int, t: UnsafeRawPointer, b: UnsafeMutableRawPointer)
    /// Column-major divide-and-conquer SVD of the m×n matrix `a` (destroyed); `jobz` is
    /// "A" (full), "S" (thin) or "N" (values only).
    static func gesdd(jobz: UInt8, m: Int, n: Int, a: UnsafeMutableRawPointer, s: UnsafeMutableRawPointer,
                      u: UnsafeMutableRawPointer?, ldu: Int, vt: UnsafeMutableRawPointer?, ldvt: Int) -> Int32
    /// Row-major minimum-norm least squares by SVD (`a` m×n destroyed, `b` max(m,n)×nrhs).
    static func gelsd(m: Int, n: Int, rightHandSides: Int, a: UnsafeMutableRawPointer, b: UnsafeMutableRawPointer,
                      s: UnsafeMutableRawPointer, rcond: Double, rank: inout Int) -> Int32
    /// Index of the first zero on the diagonal of the n×n matrix, if any.
    static func firstZeroOnDiagonal(n: Int, a: UnsafeRawPointer) -> Int?
    /// Sign and log |det| from an LU factorisation (product of U's diagonal, pivot parity).
    static func luSignAndLogAbsoluteDeterminant(n: Int, lu: UnsafeRawPointer, pivots: UnsafePointer<LAPACKInt>)
        -> (sign: Double, logAbsoluteValue: Double)
    /// Sets the strictly upper triangle of the row-major n×n matrix to zero.
    static func zeroStrictlyUpper(n: Int, a: UnsafeMutableRawPointer)
}

/// LAPACKE's `lapack_int` (a C macro, so not imported): 32-bit in Debian's LP64 build.
typealias LAPACKInt = Int32

/// The implementation for `Scalar` (Float or Double).
func lapackRoutines<Scalar: TensorScalar>(for _: Scalar.Type) -> any LAPACKRoutines.Type {
    Scalar.self == Float.self ? FloatLAPACK.self : DoubleLAPACK.self
}

@inline(__always) private func character(_ c: UInt8) -> CChar { CChar(bitPattern: c) }
@inline(__always) private func ld(_ n: Int) -> LAPACKInt { LAPACKInt(Swift.max(n, 1)) }

enum DoubleLAPACK: LAPACKRoutines {
    typealias T = Double
    static func syevd(vectors: Bool, n: Int, a: UnsafeMutableRawPointer, w: UnsafeMutableRawPointer) -> Int32 {
        ComputeThreads.withBLASThreads(work: n * n * n) { LAPACKE_dsyevd(LAPACK_COL_MAJOR, character(vectors ? 86 : 78), character(85), LAPACKInt(n),
                       a.assumingMemoryBound(to: T.self), ld(n), w.assumingMemoryBound(to: T.self)) }
    }
    static func getrf(n: Int, a: UnsafeMutableRawPointer, pivots: UnsafeMutablePointer<LAPACKInt>) -> Int32 {
        ComputeThreads.withBLASThreads(work: n * n * n) { LAPACKE_dgetrf(LAPACK_COL_MAJOR, LAPACKInt(n), LAPACKInt(n), a.assumingMemoryBound(to: T.self), ld(n), pivots) }
    }
    static func getrs(transpose: Bool, n: Int, rightHandSides: Int, lu: UnsafeRawPointer,
                      pivots: UnsafePointer<LAPACKInt>, b: UnsafeMutableRawPointer) -> Int32 {
        ComputeThreads.withBLASThreads(work: n * n * rightHandSides) { LAPACKE_dgetrs(LAPACK_COL_MAJOR, character(transpose ? 84 : 78), LAPACKInt(n), LAPACKInt(rightHandSides),
                       lu.assumingMemoryBound(to: T.self), ld(n), pivots, b.assumingMemoryBound(to: T.self), ld(n)) }
    }
    static func getri(n: Int, lu: UnsafeMutableRawPointer, pivots: UnsafePointer<LAPACKInt>) -> Int32 {
        ComputeThreads.withBLASThreads(work: n * n * n) { LAPACKE_dgetri(LAPACK_COL_MAJOR, LAPACKInt(n), lu.assumingMemoryBound(to: T.self), ld(n), pivots) }
    }
    static func potrf(n: Int, a: UnsafeMutableRawPointer) -> Int32 {
        ComputeThreads.withBLASThreads(work: n * n * n) { LAPACKE_dpotrf(LAPACK_COL_MAJOR, character(85), LAPACKInt(n), a.assumingMemoryBound(to: T.self), ld(n)) }
    }
    static func trsm(lower: Bool, transpose: Bool, n: Int, rightHandSides: Int, t: UnsafeRawPointer, b: UnsafeMutableRawPointer) {
        guard n > 0, rightHandSides > 0 else { return }
        ComputeThreads.withBLASThreads(work: n * n * rightHandSides) { cblas_dtrsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                    CblasNonUnit, blasint(n), blasint(rightHandSides), 1, t.assumingMemoryBound(to: T.self), blasint(n),
                    b.assumingMemoryBound(to: T.self), blasint(rightHandSides)) }
    }
    static func gesdd(jobz: UInt8, m: Int, n: Int, a: UnsafeMutableRawPointer, s: UnsafeMutableRawPointer,
                      u: UnsafeMutableRawPointer?, ldu: Int, vt: UnsafeMutableRawPointer?, ldvt: Int) -> Int32 {
        ComputeThreads.withBLASThreads(work: m * n * Swift.min(m, n)) { LAPACKE_dgesdd(LAPACK_COL_MAJOR, character(jobz), LAPACKInt(m), LAPACKInt(n), a.assumingMemoryBound(to: T.self), ld(m),
                       s.assumingMemoryBound(to: T.self), u?.assumingMemoryBound(to: T.self), ld(ldu),
                       vt?.assumingMemoryBound(to: T.self), ld(ldvt)) }
    }
    static func gelsd(m: Int, n: Int, rightHandSides: Int, a: UnsafeMutableRawPointer, b: UnsafeMutableRawPointer,
                      s: UnsafeMutableRawPointer, rcond: Double, rank: inout Int) -> Int32 {
        var r: LAPACKInt = 0
        let info = ComputeThreads.withBLASThreads(work: m * n * Swift.min(m, n)) { LAPACKE_dgelsd(LAPACK_ROW_MAJOR, LAPACKInt(m), LAPACKInt(n), LAPACKInt(rightHandSides),
                                  a.assumingMemoryBound(to: T.self), ld(n), b.assumingMemoryBound(to: T.self), ld(rightHandSides),
                                  s.assumingMemoryBound(to: T.self), rcond, &r) }
        rank = Int(r)
        return info
    }
    static func firstZeroOnDiagonal(n: Int, a: UnsafeRawPointer) -> Int? {
        let p = a.assumingMemoryBound(to: T.self)
        for i in 0..<n where p[i * n + i] == 0 { return i }
        return nil
    }
    static func luSignAndLogAbsoluteDeterminant(n: Int, lu: UnsafeRawPointer, pivots: UnsafePointer<LAPACKInt>)
        -> (sign: Double, logAbsoluteValue: Double) {
        let p = lu.assumingMemoryBound(to: T.self)
        var sign = 1.0, logAbs = 0.0
        for i in 0..<n {
            let d = Double(p[i * n + i])
            if d == 0 { return (0, -.infinity) }
            if d < 0 { sign = -sign }
            if Int(pivots[i]) != i + 1 { sign = -sign }
            logAbs += _log(Swift.abs(d))
        }
        return (sign, logAbs)
    }
    static func zeroStrictlyUpper(n: Int, a: UnsafeMutableRawPointer) {
        let p = a.assumingMemoryBound(to: T.self)
        for i in 0..<n { (p + i * n + i + 1).update(repeating: 0, count: n - i - 1) }
    }
}

enum FloatLAPACK: LAPACKRoutines {
    typealias T = Float
    static func syevd(vectors: Bool, n: Int, a: UnsafeMutableRawPointer, w: UnsafeMutableRawPointer) -> Int32 {
        ComputeThreads.withBLASThreads { LAPACKE_ssyevd(LAPACK_COL_MAJOR, character(vectors ? 86 : 78), character(85), LAPACKInt(n),
                       a.assumingMemoryBound(to: T.self), ld(n), w.assumingMemoryBound(to: T.self)) }
    }
    static func getrf(n: Int, a: UnsafeMutableRawPointer, pivots: UnsafeMutablePointer<LAPACKInt>) -> Int32 {
        ComputeThreads.withBLASThreads { LAPACKE_sgetrf(LAPACK_COL_MAJOR, LAPACKInt(n), LAPACKInt(n), a.assumingMemoryBound(to: T.self), ld(n), pivots) }
    }
    static func getrs(transpose: Bool, n: Int, rightHandSides: Int, lu: UnsafeRawPointer,
                      pivots: UnsafePointer<LAPACKInt>, b: UnsafeMutableRawPointer) -> Int32 {
        ComputeThreads.withBLASThreads { LAPACKE_sgetrs(LAPACK_COL_MAJOR, character(transpose ? 84 : 78), LAPACKInt(n), LAPACKInt(rightHandSides),
                       lu.assumingMemoryBound(to: T.self), ld(n), pivots, b.assumingMemoryBound(to: T.self), ld(n)) }
    }
    static func getri(n: Int, lu: UnsafeMutableRawPointer, pivots: UnsafePointer<LAPACKInt>) -> Int32 {
        ComputeThreads.withBLASThreads { LAPACKE_sgetri(LAPACK_COL_MAJOR, LAPACKInt(n), lu.assumingMemoryBound(to: T.self), ld(n), pivots) }
    }
    static func potrf(n: Int, a: UnsafeMutableRawPointer) -> Int32 {
        ComputeThreads.withBLASThreads { LAPACKE_spotrf(LAPACK_COL_MAJOR, character(85), LAPACKInt(n), a.assumingMemoryBound(to: T.self), ld(n)) }
    }
    static func trsm(lower: Bool, transpose: Bool, n: Int, rightHandSides: Int, t: UnsafeRawPointer, b: UnsafeMutableRawPointer) {
        guard n > 0, rightHandSides > 0 else { return }
        ComputeThreads.withBLASThreads { cblas_strsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                    CblasNonUnit, blasint(n), blasint(rightHandSides), 1, t.assumingMemoryBound(to: T.self), blasint(n),
                    b.assumingMemoryBound(to: T.self), blasint(rightHandSides)) }
    }
    static func gesdd(jobz: UInt8, m: Int, n: Int, a: UnsafeMutableRawPointer, s: UnsafeMutableRawPointer,
                      u: UnsafeMutableRawPointer?, ldu: Int, vt: UnsafeMutableRawPointer?, ldvt: Int) -> Int32 {
        ComputeThreads.withBLASThreads { LAPACKE_sgesdd(LAPACK_COL_MAJOR, character(jobz), LAPACKInt(m), LAPACKInt(n), a.assumingMemoryBound(to: T.self), ld(m),
                       s.assumingMemoryBound(to: T.self), u?.assumingMemoryBound(to: T.self), ld(ldu),
                       vt?.assumingMemoryBound(to: T.self), ld(ldvt)) }
    }
    static func gelsd(m: Int, n: Int, rightHandSides: Int, a: UnsafeMutableRawPointer, b: UnsafeMutableRawPointer,
                      s: UnsafeMutableRawPointer, rcond: Double, rank: inout Int) -> Int32 {
        var r: LAPACKInt = 0
        let info = ComputeThreads.withBLASThreads { LAPACKE_sgelsd(LAPACK_ROW_MAJOR, LAPACKInt(m), LAPACKInt(n), LAPACKInt(rightHandSides),
                                  a.assumingMemoryBound(to: T.self), ld(n), b.assumingMemoryBound(to: T.self), ld(rightHandSides),
                                  s.assumingMemoryBound(to: T.self), Float(rcond), &r) }
        rank = Int(r)
        return info
    }
    static func firstZeroOnDiagonal(n: Int, a: UnsafeRawPointer) -> Int? {
        let p = a.assumingMemoryBound(to: T.self)
        for i in 0..<n where p[i * n + i] == 0 { return i }
        return nil
    }
    static func luSignAndLogAbsoluteDeterminant(n: Int, lu: UnsafeRawPointer, pivots: UnsafePointer<LAPACKInt>)
        -> (sign: Double, logAbsoluteValue: Double) {
        let p = lu.assumingMemoryBound(to: T.self)
        var sign = 1.0, logAbs = 0.0
        for i in 0..<n {
            let d = Double(p[i * n + i])
            if d == 0 { return (0, -.infinity) }
            if d < 0 { sign = -sign }
            if Int(pivots[i]) != i + 1 { sign = -sign }
            logAbs += _log(Swift.abs(d))
        }
        return (sign, logAbs)
    }
    static func zeroStrictlyUpper(n: Int, a: UnsafeMutableRawPointer) {
        let p = a.assumingMemoryBound(to: T.self)
        for i in 0..<n { (p + i * n + i + 1).update(repeating: 0, count: n - i - 1) }
    }
}
