import MBTensor

/// Connectivity masks of MADE (Germain, Gregor, Murray & Larochelle, ICML 2015).
///
/// Every unit has a degree. Inputs and outputs are the sites: site i (0-based) has degree
/// i + 1. A hidden unit of degree m may see inputs of degree ≤ m, and output i may see
/// hidden units of degree < i + 1, so output i depends only on inputs 0..<i: the network is
/// autoregressive in site order and output 0 depends only on its bias.
///
/// Masks have the layout of the weights they multiply, `[outputs, inputs]`, with 1 for an
/// allowed connection and 0 otherwise.
public enum MADEMasks {
    /// Degrees of the deterministic assignment (as in `shared/perf/architectures.md` §2(i)):
    /// inputs 1...n; hidden unit k of every hidden layer gets (k mod (n − 1)) + 1 ∈ 1...n−1.
    /// Returns `[inputDegrees, hidden₁Degrees, …]`.
    public static func deterministicDegrees(siteCount n: Int, hiddenSizes: [Int]) -> [[Int]] {
        precondition(n >= 2, "MADE needs at least 2 sites, got \(n)")
        precondition(hiddenSizes.allSatisfy { $0 > 0 }, "hidden sizes must be positive, got \(hiddenSizes)")
        return [Array(1...n)] + hiddenSizes.map { size in (0..<size).map { $0 % (n - 1) + 1 } }
    }

    /// One mask `[outputDegrees.count, inputDegrees.count]`: entry [k, j] is 1 when
    /// `outputDegrees[k] ≥ inputDegrees[j]` (hidden layers), or when
    /// `outputDegrees[k] > inputDegrees[j]` with `strict` (the output layer).
    public static func mask<Scalar: TensorScalar>(inputDegrees: [Int], outputDegrees: [Int], strict: Bool) -> Tensor<Scalar> {
        let rows = outputDegrees.count, columns = inputDegrees.count
        var values = [Double](repeating: 0, count: rows * columns)
        for (k, dk) in outputDegrees.enumerated() {
            for (j, dj) in inputDegrees.enumerated() where strict ? dk > dj : dk >= dj {
                values[k * columns + j] = 1
            }
        }
        return Tensor(converting: Tensor<Double>(shape: [rows, columns], scalars: values))
    }

    /// The masks of every layer of a MADE whose units have the given degrees:
    /// `degrees = [inputDegrees, hidden₁, …, hidden_L]`. The output layer reuses the input
    /// degrees (output i predicts site i) with the strict rule. Returns L + 1 masks, the
    /// first `[hidden₁, inputs]`, the last `[inputs, hidden_L]`.
    public static func masks<Scalar: TensorScalar>(degrees: [[Int]]) -> [Tensor<Scalar>] {
        precondition(degrees.count >= 2, "MADE masks need input degrees and at least one hidden layer")
        var result: [Tensor<Scalar>] = []
        for l in 1..<degrees.count {
            result.append(mask(inputDegrees: degrees[l - 1], outputDegrees: degrees[l], strict: false))
        }
        result.append(mask(inputDegrees: degrees[degrees.count - 1], outputDegrees: degrees[0], strict: true))
        return result
    }

    /// The masks of the deterministic degree assignment (`deterministicDegrees`).
    public static func deterministic<Scalar: TensorScalar>(siteCount n: Int, hiddenSizes: [Int]) -> [Tensor<Scalar>] {
        masks(degrees: deterministicDegrees(siteCount: n, hiddenSizes: hiddenSizes))
    }
}
