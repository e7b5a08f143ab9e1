extension Tensor {
    /// x Wᵀ + b for x [N, in], W [out, in], b [out] (a dense layer), as one BLAS call that
    /// starts from the bias rows (β = 1), so neither a separate bias pass nor BLAS's own
    /// zeroing of the output is needed. Pullbacks: dx = g W, dW = gᵀ x, db = Σₙ g.
    public static func affineProduct(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
                     "affine product needs x [N, in] and weight [out, in], got shapes \(x.shape) and \(weight.shape)")
        let (n, inputs, outputs) = (x.shape[0], x.shape[1], weight.shape[0])
        if let bias {
            precondition(bias.shape == [outputs], "bias shape \(bias.shape) does not match weight shape \(weight.shape)")
        }
        var y = Tensor(uninitializedShape: [n, outputs])
        if let bias {
            // Row blocks of about 2¹⁶ outputs, each filled with the bias and accumulated into
            // while it is in cache (a whole-output fill first costs one more trip through
            // memory for large N); workers take contiguous runs of blocks.
            let block = Swift.max(16, (1 << 16) / Swift.max(outputs, 1))
            let blocks = (n + block - 1) / block
            ComputeThreads.parallelFor(blocks, minimumChunk: Swift.max(1, (1 << 22) / Swift.max(block * outputs * inputs, 1))) { range in
                for b in range {
                    let start = b * block, rows = Swift.min(block, n - start)
                    let c = y.storage.pointer + start * outputs
                    Scalar.stridedCopyKernel(bias.storage.pointer, [0, 1], c, [rows, outputs], 2)
                    Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, alpha: 1,
                                a: x.storage.pointer + start * inputs, lda: inputs, b: weight.storage.pointer, ldb: inputs,
                                beta: 1, c: c, ldc: outputs)
                }
            }
        } else {
            Scalar.parallelGemm(transposeA: false, transposeB: true, m: n, n: outputs, k: inputs, alpha: 1,
                                a: x.storage.pointer, lda: inputs, b: weight.storage.pointer, ldb: inputs,
                                beta: 0, c: y.storage.pointer, ldc: outputs)
        }
        y.node = nil
        let rule: PullbackRule<Scalar> = { g, c in
            var cotangents = [c.needs[0] ? g.matmul(c.inputs[1]) : nil,
                              c.needs[1] ? g.matmul(c.inputs[0], transposeSelf: true) : nil]
            if c.inputs.count > 2 { cotangents.append(c.needs[2] ? g.sum(alongAxis: 0) : nil) }
            return cotangents
        }
        if let bias { return record("affineProduct", output: y, inputs: [x, weight, bias], rule: rule) }
        return record("affineProduct", output: y, x, weight, rule: rule)
    }
}
