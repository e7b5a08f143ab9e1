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
