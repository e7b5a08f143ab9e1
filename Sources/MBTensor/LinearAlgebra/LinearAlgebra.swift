import CLinearAlgebra

/// Dense linear algebra on LAPACK (OpenBLAS + LAPACKE): eigen-decompositions, solves,
/// factorisations, SVD and least squares.
///
/// Matrices are the last two axes of a row-major tensor, `[..., m, n]`; most operations loop
/// over the leading (batch) axes. Data-dependent failures throw `LinearAlgebraError`; shape
/// errors are preconditions. `solve`, `triangularSolve`, `inverse`, `cholesky`,
/// `signedLogDeterminant` (and everything composed from them) and `symmetricEigen` are
/// differentiable, with rules written in tensor operations so they can be differentiated again.
public enum LinearAlgebra {}

extension LinearAlgebra {
    /// Matrix size, number of matrices and batch shape of a stack of square matrices.
    static func squareShape<Scalar>(_ a: Tensor<Scalar>, _ operation: StaticString) -> (n: Int, count: Int, batchShape: [Int]) {
        precondition(a.rank >= 2 && a.shape[a.rank - 1] == a.shape[a.rank - 2],
                     "\(operation) needs square matrices of shape [..., n, n], got shape \(a.shape)")
        let n = a.shape[a.rank - 1]
        let batchShape = Array(a.shape.dropLast(2))
        return (n, batchShape.reduce(1, *), batchShape)
    }

    /// The batch index to report in errors: `nil` for a single matrix.
    static func batchIndex(_ index: Int, rank: Int) -> Int? { rank > 2 ? index : nil }

    /// Turns a LAPACKE return code into a thrown error; `positive` maps info > 0.
    static func check(_ info: Int32, _ routine: String, positive: (Int) -> LinearAlgebraError) throws(LinearAlgebraError) {
        if info < 0 { throw LinearAlgebraError.fromNegativeInfo(info, routine: routine) }
        if info > 0 { throw positive(Int(info)) }
    }

    /// Runs a factorisation inside a pullback rule. The forward pass already factorised the
    /// same matrix successfully, so a failure here is an internal inconsistency.
    static func inRule<T>(_ operation: StaticString, _ body: () throws(LinearAlgebraError) -> T) -> T {
        do {
            return try body()
        } catch {
            preconditionFailure("pullback of \(operation) failed although its forward pass succeeded: \(error)")
        }
    }

    /// An n×n constant built in Double (concrete code) and converted once.
    static func constantMatrix<Scalar: TensorScalar>(_ n: Int, _ value: (Int, Int) -> Double) -> Tensor<Scalar> {
        var scalars = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { scalars[i * n + j] = value(i, j) }
        }
        return Tensor<Scalar>(converting: Tensor<Double>(shape: [n, n], scalars: scalars))
    }

    /// The n×n identity matrix.
    public static func identity<Scalar: TensorScalar>(_ n: Int) -> Tensor<Scalar> {
        constantMatrix(n) { i, j in i == j ? 1 : 0 }
    }
}

extension Tensor {
    /// A fresh, untracked copy of the elements (LAPACK overwrites its inputs).
    func copiedValue() -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(copying: storage.pointer, count: count))
    }

    /// The transpose of the last two axes, untracked.
    func transposedValue() -> Tensor {
        rank < 2 ? detached() : detached().transposed()
    }

    /// Raw address of matrix `index` in a stack of `stride`-element matrices.
    func matrixAddress(_ index: Int, stride: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(storage.pointer + index * stride)
    }
}
