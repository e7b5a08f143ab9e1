import MBTensor

extension MaxEnt {
    /// The error-weighted problem in Bryan's singular space.
    ///
    /// With K̂ = diag(1/e) K (n × N, no quadrature weights) = P S Uᵀ kept to singular values
    /// S_l > cutoff · S_0, and Ĝ = Λ/e, the misfit of σ on the grid (A_j = σ(ω_j), w_j the
    /// weights) is
    ///
    ///     χ²(A) = ‖Ĝ − K̂ W A‖² = ‖c − S ∘ Uᵀ(W A)‖² + χ²_⊥,   c = Pᵀ Ĝ,  χ²_⊥ = ‖Ĝ − P c‖²,
    ///
    /// where χ²_⊥ is the part of the data no kept direction can fit. Stationary points of
    /// α S − χ²/2 satisfy ln(A/m) ∈ range(U) (Bryan 1990), so A = m ∘ exp(U S b) with b ∈ ℝˢ;
    /// `exponentMatrix` is Y = U diag(S) (N × s, row-major).
    struct SingularSpace {
        let timeCount: Int
        let frequencyCount: Int
        /// s, the number of kept singular values.
        let dimension: Int
        let singularValues: [Double]
        /// U, N × s row-major.
        let right: [Double]
        /// Y = U diag(S), N × s row-major.
        let exponentMatrix: [Double]
        /// c = Pᵀ Ĝ.
        let projectedData: [Double]
        /// χ²_⊥ = ‖Ĝ − P c‖².
        let orthogonalChiSquared: Double

        /// Error ratios above this use the SVD of the full weighted kernel instead of
        /// re-weighting the prepared one (whose rounding-level truncation the ratio amplifies).
        static let maximumErrorRatioForReweighting = 1e4

        init(kernel: MaxEntKernel, data: [Double], errors: [Double], cutoff: Double, forceDirect: Bool = false) throws(MaxEntError) {
            let n = kernel.tau.count, columns = kernel.grid.count
            timeCount = n
            frequencyCount = columns
            let inverseErrors = errors.map { 1 / $0 }
            let ratio = errors.max()! / errors.min()!
            // P (n × k), S (k) and U (N × k) of the weighted kernel, before the cutoff.
            var p: [Double], s: [Double], u: [Double], k: Int
            do {
                if ratio <= Self.maximumErrorRatioForReweighting, !forceDirect {
                    // diag(1/e) V Σ Uᵀ = (P S Qᵀ) Uᵀ, so the right vectors are U Q.
                    let r = kernel.rank
                    var b = kernel.scaledLeft
                    for i in 0..<n {
                        for l in 0..<r { b[i * r + l] *= inverseErrors[i] }
                    }
                    let svd = try LinearAlgebra.singularValueDecomposition(Tensor<Double>(shape: [n, r], scalars: b))
                    k = min(n, r)
                    p = svd.u.scalars
                    s = svd.singularValues.scalars
                    let qt = svd.vt.scalars  // k × r
                    u = [Double](repeating: 0, count: columns * k)
                    for j in 0..<columns {
                        for m in 0..<r {
                            let ujm = kernel.right[j * r + m]
                            for l in 0..<k { u[j * k + l] += ujm * qt[l * r + m] }
                        }
                    }
                } else {
                    var weighted = kernel.matrix
                    for i in 0..<n {
                        for j in 0..<columns { weighted[i * columns + j] *= inverseErrors[i] }
                    }
                    let svd = try LinearAlgebra.singularValueDecomposition(Tensor<Double>(shape: [n, columns], scalars: weighted))
                    k = min(n, columns)
                    p = svd.u.scalars
                    s = svd.singularValues.scalars
                    let vt = svd.vt.scalars
                    u = [Double](repeating: 0, count: columns * k)
                    for l in 0..<k {
                        for j in 0..<columns { u[j * k + l] = vt[l * columns + j] }
                    }
                }
            } catch {
                throw .linearAlgebra(error)
            }
            let kept = max(1, s.prefix { $0 > cutoff * s[0] }.count)
            dimension = kept
            singularValues = Array(s.prefix(kept))
            var keptRight = [Double](repeating: 0, count: columns * kept)
            var exponent = [Double](repeating: 0, count: columns * kept)
            for j in 0..<columns {
                for l in 0..<kept {
                    keptRight[j * kept + l] = u[j * k + l]
                    exponent[j * kept + l] = u[j * k + l] * s[l]
                }
            }
            right = keptRight
            exponentMatrix = exponent
            let scaledData = zip(data, inverseErrors).map { $0 * $1 }
            var c = [Double](repeating: 0, count: kept)
            for i in 0..<n {
                for l in 0..<kept { c[l] += p[i * k + l] * scaledData[i] }
            }
            var orthogonal = 0.0
            for i in 0..<n {
                var fitted = 0.0
                for l in 0..<kept { fitted += p[i * k + l] * c[l] }
                orthogonal += (scaledData[i] - fitted) * (scaledData[i] - fitted)
            }
            projectedData = c
            orthogonalChiSquared = orthogonal
        }

        /// S ∘ Uᵀ v for a vector v on the grid (e.g. v = W A): the kept singular-space image.
        func image(of v: [Double]) -> [Double] {
            let s = dimension
            var f = [Double](repeating: 0, count: s)
            right.withUnsafeBufferPointer { u in
                f.withUnsafeMutableBufferPointer { f in
                    for j in 0..<frequencyCount {
                        let vj = v[j]
                        for l in 0..<s { f[l] += u[j * s + l] * vj }
                    }
                }
            }
            for l in 0..<s { f[l] *= singularValues[l] }
            return f
        }
    }
}
