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
            Scalar.stridedCopyKernel(bias.storage.pointer, [0, 1], y.storage.pointer, [n, outputs], 2)
        }
        Scalar.parallelGemm(transposeA: false, transposeB: true, m: n, n: outputs, k: inputs, alpha: 1,
                            a: x.storage.pointer, lda: inputs, b: weight.storage.pointer, ldb: inputs,
                            beta: bias == nil ? 0 : 1, c: y.storage.pointer, ldc: outputs)
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
