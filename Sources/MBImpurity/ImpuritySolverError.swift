/// Why an impurity solver could not (or would not) produce a solution.
public enum ImpuritySolverError: Error, Equatable, CustomStringConvertible {
    /// Full diagonalisation of a block of this dimension exceeds the solver's limit.
    case blockTooLarge(bathSites: Int, largestBlock: Int, limit: Int)
    /// The estimated memory (bytes) exceeds the solver's limit.
    case memoryLimitExceeded(bathSites: Int, estimatedBytes: Int, limitBytes: Int, method: String)
    /// A LAPACK eigensolver failed on the block (N↑, N↓).
    case eigensolverFailed(up: Int, down: Int, message: String)
    /// Lanczos did not reach the residual tolerance for the lowest states of (N↑, N↓).
    case lanczosDidNotConverge(up: Int, down: Int, residual: Double, iterations: Int)
    /// G(τ) was asked at τ outside [0, β].
    case imaginaryTimeOutOfRange(tau: Double, beta: Double)
    /// A solver option is out of its range.
    case invalidOption(name: String, value: Double, requirement: String)

    public var description: String {
        switch self {
        case let .blockTooLarge(bathSites, largestBlock, limit):
            return "exact diagonalisation with \(bathSites) bath sites needs a dense block of \(largestBlock) states, "
                + "above the limit of \(limit) for full diagonalisation; use the Krylov (Lanczos) solver "
                + "(KrylovExactDiagonalization) or fewer bath sites"
        case let .memoryLimitExceeded(bathSites, bytes, limit, method):
            return "\(method) with \(bathSites) bath sites needs about \(megabytes(bytes)) of memory, above the limit of "
                + "\(megabytes(limit)); use " + (method == "full diagonalisation" ? "the Krylov (Lanczos) solver or " : "")
                + "fewer bath sites"
        case let .eigensolverFailed(up, down, message):
            return "LAPACK eigensolver failed on the block N_up = \(up), N_down = \(down): \(message)"
        case let .lanczosDidNotConverge(up, down, residual, iterations):
            return "Lanczos did not converge for the block N_up = \(up), N_down = \(down): residual \(residual) after "
                + "\(iterations) iterations; raise the iteration limit or the basis size"
        case let .imaginaryTimeOutOfRange(tau, beta):
            return "imaginary time tau = \(tau) is outside [0, beta] = [0, \(beta)]"
        case let .invalidOption(name, value, requirement):
            return "solver option \(name) = \(value) is invalid: \(requirement)"
        }
    }
}

private func megabytes(_ bytes: Int) -> String {
    let mb = Double(bytes) / 1_048_576
    return mb >= 1024 ? "\((mb / 1024 * 10).rounded() / 10) GiB" : "\(Int(mb.rounded())) MiB"
}
