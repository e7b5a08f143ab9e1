/// Why a LAPACK-backed factorisation or solve could not produce a result.
///
/// These are data-dependent failures (a singular or indefinite matrix, a non-converging
/// iteration), so they are thrown rather than trapped. Shape mismatches are programmer errors
/// and are `precondition`s. `batchIndex` names the failing matrix of a batched call
/// (row-major index over the leading axes) and is `nil` for a single matrix.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The LU factorisation found `U[pivot, pivot] == 0` (0-based), or a triangular matrix has
    /// a zero on its diagonal: the matrix is exactly singular.
    case singularMatrix(pivot: Int, batchIndex: Int?)
    /// The leading minor of order `minorOrder` (1-based) is not positive definite, so the
    /// Cholesky factorisation does not exist.
    case notPositiveDefinite(minorOrder: Int, batchIndex: Int?)
    /// An iterative routine (eigenvalues, SVD) did not converge; `info` is LAPACK's code.
    case didNotConverge(routine: String, info: Int, batchIndex: Int?)
    /// LAPACK rejected argument `position` (1-based) of `routine`. With LAPACKE's input check
    /// this is almost always a NaN in the matrix.
    case invalidArgument(routine: String, position: Int)
    /// LAPACKE could not allocate its workspace.
    case outOfMemory(routine: String)

    public var description: String {
        switch self {
        case let .singularMatrix(pivot, batch):
            return "matrix\(Self.where(batch)) is singular: pivot \(pivot) (0-based) of its LU factorisation is exactly zero"
        case let .notPositiveDefinite(order, batch):
            return "matrix\(Self.where(batch)) is not positive definite: its leading minor of order \(order) is not positive"
        case let .didNotConverge(routine, info, batch):
            return "\(routine) did not converge for matrix\(Self.where(batch)) (LAPACK info = \(info)); "
                + "the input may be badly scaled or contain huge values"
        case let .invalidArgument(routine, position):
            return "\(routine): argument \(position) had an illegal value; this usually means the matrix contains NaN or infinity"
        case let .outOfMemory(routine):
            return "\(routine): LAPACKE could not allocate its workspace"
        }
    }

    private static func `where`(_ batch: Int?) -> String {
        batch.map { " \($0) of the batch" } ?? ""
    }

    /// Maps a negative LAPACKE return code (illegal argument or memory failure).
    static func fromNegativeInfo(_ info: Int32, routine: String) -> LinearAlgebraError {
        info <= -1010 ? .outOfMemory(routine: routine) : .invalidArgument(routine: routine, position: Int(-info))
    }
}
