extension TensorScalar {
    /// `gemm` split over the thread budget: the output is cut into row blocks (or column
    /// blocks when it is wide and short), each computed by one single-threaded BLAS call on its
    /// own worker. Products below about four million multiply–adds run on the calling thread:
    /// waking the workers costs more than it saves there (measured on the RealNVP shapes).
    /// Block boundaries depend only on the shape and the thread count, so results repeat.
    public static func parallelGemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
        c: UnsafeMutablePointer<Self>, ldc: Int
    ) {
        let threads = ComputeThreads.count
        guard threads > 1, m * n * k >= 1 << 22 else {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // Very large products: OpenBLAS's own threads share the packed panels and run faster
        // than independent blocks. Not below: afterwards OpenBLAS's idle threads spin for a
        // while and slow our own parallel loops (measured on the attention and CNN models).
        if m * n * k >= 1 << 28 {
            ComputeThreads.withBLASThreads {
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                     a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            }
            return
        }
        // Split the longer output dimension into blocks of at least 16 (a multiple of the
        // BLAS micro-kernel widths).
        let splitRows = m >= n
        let extent = splitRows ? m : n
        let blocks = Swift.max(1, Swift.min(threads, extent / 16))
        let shared = UncheckedSendable(value: (a, b, c))
        ComputeThreads.parallelFor(blocks) { range in
            let (a, b, c) = shared.value
            for block in range {
                let start = extent * block / blocks, end = extent * (block + 1) / blocks
                if splitRows {
                    // Rows start..<end of op(A) and of C.
                    let aBlock = transposeA ? a + start : a + start * lda
                    gemm(transposeA: transposeA, transposeB: transposeB, m: end - start, n: n, k: k, alpha: alpha,
                         a: aBlock, lda: lda, b: b, ldb: ldb, beta: beta, c: c + start * ldc, ldc: ldc)
                } else {
                    // Columns start..<end of op(B) and of C.
                    let bBlock = transposeB ? b + start * ldb : b + start
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: end - start, k: k, alpha: alpha,
                         a: a, lda: lda, b: bBlock, ldb: ldb, beta: beta, c: c + start, ldc: ldc)
                }
            }
        }
    }
}
