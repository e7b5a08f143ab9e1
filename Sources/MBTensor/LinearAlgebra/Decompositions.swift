import ComplexModule
import RealModule

/// A = V diag(λ) Vᵀ for symmetric A.
public struct SymmetricEigendecomposition<Scalar: TensorScalar> {
    /// Eigenvalues in ascending order, shape `[..., n]`.
    public var eigenvalues: Tensor<Scalar>
    /// Orthonormal eigenvectors as columns, shape `[..., n, n]`: column j belongs to eigenvalue j.
    public var eigenvectors: Tensor<Scalar>
}

/// A = U diag(S) Vᵀ for an m×n matrix A, k = min(m, n).
public struct SingularValueDecomposition<Scalar: TensorScalar> {
    /// Left singular vectors as columns: `[..., m, m]` (full) or `[..., m, k]` (thin).
    public var u: Tensor<Scalar>
    /// Singular values in descending order, `[..., k]`.
    public var singularValues: Tensor<Scalar>
    /// Right singular vectors as rows: `[..., n, n]` (full) or `[..., k, n]` (thin).
    public var vt: Tensor<Scalar>
}

/// The minimum-norm minimiser of ‖A x − b‖₂ and its diagnostics.
public struct LeastSquaresSolution<Scalar: TensorScalar> {
    /// `[n]` for a vector right-hand side, `[n, k]` for k of them.
    public var solution: Tensor<Scalar>
    /// ‖A x − b‖² per right-hand side: shape `[]` or `[k]`.
    public var residualSumOfSquares: Tensor<Scalar>
    /// Effective rank: singular values above `rcond · σ_max` count.
    public var rank: Int
    /// Singular values of A in descending order, `[min(m, n)]`.
    public var singularValues: Tensor<Scalar>
}

/// H = V diag(λ) Vᴴ for Hermitian H.
public struct HermitianEigendecomposition: Sendable {
    /// Real eigenvalues in ascending order.
    public var eigenvalues: [Double]
    /// Orthonormal eigenvectors as columns (column j belongs to eigenvalue j).
    public var eigenvectors: ComplexMatrix
}
