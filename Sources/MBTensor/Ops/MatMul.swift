import CKernels

extension Tensor {
    /// Matrix product on BLAS, batched over leading axes with broadcasting.
    ///
    /// `a` is `[..., m, k]` (or `[..., k, m]` with `transposeA`), `b` is `[..., k, n]` (or
    /// `[..., n, k]` with `transposeB`); the result is `[..., m, n]`. Rank-1 operands are not
    /// promoted: reshape them explicitly.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        Tensor.matmul(self, other, transposeA: transposeSelf, transposeB: transposeOther)
    }

    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let output = matmulValue(a, b, transposeA: transposeA, transposeB: transposeB)
        return record("matmul", output: output, a, b) { g, c in
            let (a, b) = (c.inputs[0], c.inputs[1])
            // C = A B: dA = G Bᵀ, dB = Aᵀ G, with the transposes folded into the BLAS call.
            var da: Tensor?, db: Tensor?
            if c.needs[0] {
                da = transposeA ? matmul(b, g, transposeA: transposeB, transposeB: true)
                                : matmul(g, b, transposeA: false, transposeB: !transposeB)
                da = da!.summed(toShape: a.shape)
            }
            if c.needs[1] {
                db = transposeB ? matmul(g, a, transposeA: true, transposeB: transposeA)
                                : matmul(a, g, transposeA: !transposeA, transposeB: false)
                db = db!.summed(toShape: b.shape)
            }
            return [da, db]
        }
    }

    static func matmulValue(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        precondition(a.rank >= 2 && b.rank >= 2, "matmul needs rank ≥ 2 operands, got shapes \(a.shape) and \(b.shape)")
        let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let (m, k) = transposeA ? (ac, ar) : (ar, ac)
        let (k2, n) = transposeB ? (bc, br) : (br, bc)
        precondition(k == k2, "matmul inner dimensions differ: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")")
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = Shape.broadcast(batchA, batchB)
        var result = Tensor(uninitializedShape: batch + [m, n])
        let batchCount = batch.reduce(1, *)
        let aStrides = Shape.broadcastStrides(batchA, to: batch), bStrides = Shape.broadcastStrides(batchB, to: batch)
        let batchStrides = Shape.strides(batch)
        let pa = a.storage.pointer, pb = b.storage.pointer, pc = result.storage.pointer
        func offsets(_ i: Int) -> (Int, Int) {
            var oa = 0, ob = 0, rem = i
            for d in 0..<batch.count {
                let idx = rem / batchStrides[d]
                rem %= batchStrides[d]
                oa += idx * aStrides[d]
                ob += idx * bStrides[d]
            }
            return (oa * ar * ac, ob * br * bc)
        }
        if batchCount >= ComputeThreads.count && m * n * k < 1 << 22 {
            // Many small products (attention heads): whole products side by side on the workers.
            let shared = UncheckedSendable(value: (pa, pb, pc))
            ComputeThreads.parallelFor(batchCount, minimumChunk: Swift.max(1, (1 << 16) / Swift.max(m * n * k, 1))) { range in
                let (pa, pb, pc) = shared.value
                for i in range {
                    let (oa, ob) = offsets(i)
                    Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                                a: pa + oa, lda: ac, b: pb + ob, ldb: bc, beta: 0, c: pc + i * m * n, ldc: n)
                }
            }
        } else {
            for i in 0..<batchCount {
                let (oa, ob) = offsets(i)
                Scalar.parallelGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                                    a: pa + oa, lda: ac, b: pb + ob, ldb: bc, beta: 0, c: pc + i * m * n, ldc: n)
            }
        }
        result.node = nil
        return result
    }
}

extension Tensor {
    /// The affine map of a linear layer: y = x Wᵀ + b over the last axis of `x`.
    ///
    /// `x` is [..., inputs], `weight` [outputs, inputs] (PyTorch's layout), `bias` [outputs]
    /// or nil; the result is [..., outputs]. One primitive: each worker fills its block of
    /// output rows with the bias and accumulates the product into it (BLAS with β = 1), so
    /// there is no separate pass to add the bias (nor BLAS's pass zeroing the output).
    /// Pullback: dx = g W, dW = gᵀ x, db = Σ_rows g (differentiable tensor operations).
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(weight.rank == 2, "linear weight must be [outputs, inputs], got \(weight.shape)")
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == inputs,
                     "input shape \(x.shape) does not end in the \(inputs) input dimensions of weight \(weight.shape)")
        if let bias { precondition(bias.shape == [outputs], "linear bias shape \(bias.shape) does not match weight \(weight.shape)") }
        let rows = x.count / Swift.max(inputs, 1)
        let outputShape = Array(x.shape.dropLast()) + [outputs]
        let output = linearValue(x, weight: weight, bias: bias, rows: rows, outputShape: outputShape)
        let inputShape = x.shape
        return record("linear", output: output, inputs: bias.map { [x, weight, $0] } ?? [x, weight]) { g, c in
            let g2 = g.reshaped(to: [rows, outputs])
            let dx = c.needs[0] ? g2.matmul(c.inputs[1]).reshaped(to: inputShape) : nil
            let dw = c.needs[1] ? g2.matmul(c.inputs[0].reshaped(to: [rows, inputs]), transposeSelf: true) : nil
            let db = c.inputs.count > 2 && c.needs[2] ? g2.sum(alongAxes: [0]) : nil
            return c.inputs.count > 2 ? [dx, dw, db] : [dx, dw]
        }
    }

    static func linearValue(_ x: Tensor, weight: Tensor, bias: Tensor?, rows: Int, outputShape: [Int]) -> Tensor {
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        let result = Tensor(uninitializedShape: outputShape)
        guard result.count > 0 else { return result }
        let pa = x.storage.pointer, pw = weight.storage.pointer, pc = result.storage.pointer
        let pb = bias?.storage.pointer
        // Row blocks of 2¹⁶ output elements, each filled with the bias and multiplied while in
        // cache; the workers take contiguous runs of rows (boundaries depend only on the shape
        // and the thread count).
        let block = bias == nil ? rows : Swift.max(16, (1 << 16) / Swift.max(outputs, 1))
        let minimumRows = Swift.max(1, (1 << 20) / Swift.max(outputs * inputs, 1))
        let shared = UncheckedSendable(value: (pa, pw, pc, pb))
        ComputeThreads.parallelFor(rows, minimumChunk: minimumRows) { range in
            let (pa, pw, pc, pb) = shared.value
            var start = range.lowerBound
            while start < range.upperBound {
                let count = Swift.min(block, range.upperBound - start)
                let c = pc + start * outputs
                if let pb {
                    if isSinglePrecision {
                        mb_fill_rows_f32(UnsafeRawPointer(pb).assumingMemoryBound(to: Float.self),
                                         UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), count, outputs)
                    } else {
                        mb_fill_rows_f64(UnsafeRawPointer(pb).assumingMemoryBound(to: Double.self),
                                         UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), count, outputs)
                    }
                }
                Scalar.gemm(transposeA: false, transposeB: true, m: count, n: outputs, k: inputs, alpha: 1,
                            a: pa + start * inputs, lda: inputs, b: pw, ldb: inputs, beta: pb == nil ? 0 : 1, c: c, ldc: outputs)
                start += count
            }
        }
        return result
    }
}
