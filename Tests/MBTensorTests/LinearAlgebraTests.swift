import ComplexModule
import Foundation
import Testing
@testable import MBTensor

/// Largest |a − b| over all elements (shapes must agree).
private func maximumDeviation<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Double {
    precondition(a.shape == b.shape, "shapes \(a.shape) and \(b.shape) differ")
    return zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, Swift.abs(Double($1.0) - Double($1.1))) }
}

/// (X + Xᵀ)/2 over the last two axes.
private func symmetrised<S>(_ x: Tensor<S>) -> Tensor<S> { (x + x.transposed()) * 0.5 }

/// A symmetric positive-definite matrix M Mᵀ + n I (batched like `shape`).
private func positiveDefinite(_ shape: [Int], seed: Int) -> Tensor<Double> {
    let m = sampleTensor(shape, seed: seed)
    let n = shape.last!
    return Tensor.matmul(m, m, transposeB: true) + LinearAlgebra.identity(n) * Double(n)
}

@Suite("Linear algebra: decompositions against independent constructions")
struct LinearAlgebraTests {
    @Test func symmetricEigenReconstructsBatchedDouble() throws {
        let a = symmetrised(sampleTensor([3, 6, 6], seed: 5))
        let e = try LinearAlgebra.symmetricEigen(a)
        #expect(e.eigenvalues.shape == [3, 6] && e.eigenvectors.shape == [3, 6, 6])
        let v = e.eigenvectors
        let reconstructed = Tensor.matmul(v * e.eigenvalues.expandingShape(at: -2), v, transposeB: true)
        #expect(maximumDeviation(reconstructed, a) < 1e-12)
        let gram = Tensor.matmul(v, v, transposeA: true)
        #expect(maximumDeviation(gram, LinearAlgebra.identity(6).broadcast(to: [3, 6, 6])) < 1e-12)
        for b in 0..<3 {
            for j in 1..<6 { #expect(e.eigenvalues[b, j - 1] <= e.eigenvalues[b, j]) }
        }
        let valuesOnly = try LinearAlgebra.symmetricEigenvalues(a)
        #expect(maximumDeviation(valuesOnly, e.eigenvalues) < 1e-12)
    }

    @Test func tridiagonalEigenSatisfiesTheEigenequation() throws {
        // T v_k = λ_k v_k row by row, orthonormal vectors, ascending values equal to ?syevd's.
        let d = [0.3, -1.2, 2.0, 0.7, -0.4], e = [0.5, 1.1, -0.8, 0.25]
        let (values, vectors) = try LinearAlgebra.tridiagonalEigen(diagonal: d, offDiagonal: e, vectors: true)
        let n = d.count
        for k in 0..<n {
            let v = Array(vectors[k * n ..< (k + 1) * n])
            for i in 0..<n {
                let tv = d[i] * v[i] + (i > 0 ? e[i - 1] * v[i - 1] : 0) + (i + 1 < n ? e[i] * v[i + 1] : 0)
                #expect(abs(tv - values[k] * v[i]) < 1e-13)
            }
            #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-13)
        }
        var dense = [Double](repeating: 0, count: n * n)
        for i in 0..<n { dense[i * n + i] = d[i]; if i + 1 < n { dense[i * n + i + 1] = e[i]; dense[(i + 1) * n + i] = e[i] } }
        let reference = try LinearAlgebra.symmetricEigenvalues(Tensor(shape: [n, n], scalars: dense))
        for k in 0..<n { #expect(abs(values[k] - reference[k]) < 1e-13) }
        let valuesOnly = try LinearAlgebra.tridiagonalEigen(diagonal: d, offDiagonal: e, vectors: false)
        #expect(valuesOnly.vectors.isEmpty && zip(valuesOnly.values, values).allSatisfy { abs($0 - $1) < 1e-13 })
        #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.tridiagonalEigen(diagonal: d, offDiagonal: [1], vectors: false) }
    }

    @Test func symmetricEigenFloat() throws {
        let a = Tensor<Float>(converting: symmetrised(sampleTensor([5, 5], seed: 9)))
        let e = try LinearAlgebra.symmetricEigen(a)
        let v = e.eigenvectors
        let reconstructed = Tensor.matmul(v * e.eigenvalues.expandingShape(at: -2), v, transposeB: true)
        #expect(maximumDeviation(reconstructed, a) < 1e-5)
    }

    @Test func tridiagonalToeplitzHasAnalyticSpectrum() throws {
        // tridiag(−1, 2, −1): λ_k = 2 − 2 cos(kπ/(n+1)), v_k[j] ∝ sin(jkπ/(n+1)), j, k = 1…n.
        let n = 12
        let a: Tensor<Double> = LinearAlgebra.constantMatrix(n) { i, j in i == j ? 2 : (Swift.abs(i - j) == 1 ? -1 : 0) }
        let e = try LinearAlgebra.symmetricEigen(a)
        for k in 1...n {
            let exact = 2 - 2 * cos(Double(k) * .pi / Double(n + 1))
            #expect(Swift.abs(e.eigenvalues[k - 1] - exact) < 1e-13)
            // Compare with the analytic eigenvector up to sign: |⟨v, u⟩| = 1 for normalised u.
            let u = (1...n).map { j in sin(Double(j * k) * .pi / Double(n + 1)) * (2 / Double(n + 1)).squareRoot() }
            let overlap = (0..<n).reduce(0.0) { $0 + e.eigenvectors[$1, k - 1] * u[$1] }
            #expect(Swift.abs(Swift.abs(overlap) - 1) < 1e-12)
        }
    }

    @Test func symmetricEigenReadsOnlyTheLowerTriangle() throws {
        let a = symmetrised(sampleTensor([4, 4], seed: 2))
        let upperGarbage: Tensor<Double> = LinearAlgebra.constantMatrix(4) { i, j in j > i ? 100 : 0 }
        let e1 = try LinearAlgebra.symmetricEigen(a), e2 = try LinearAlgebra.symmetricEigen(a + upperGarbage)
        #expect(maximumDeviation(e1.eigenvalues, e2.eigenvalues) < 1e-13)
        let l1 = try LinearAlgebra.cholesky(positiveDefinite([4, 4], seed: 1))
        let l2 = try LinearAlgebra.cholesky(positiveDefinite([4, 4], seed: 1) + upperGarbage)
        #expect(maximumDeviation(l1, l2) == 0)
    }

    @Test func hermitianPauliMatricesAndHeisenbergDimer() throws {
        let i = Complex<Double>.i, one = Complex<Double>.one, zero = Complex<Double>.zero
        let sx = ComplexMatrix(rows: 2, columns: 2, elements: [zero, one, one, zero])
        let sy = ComplexMatrix(rows: 2, columns: 2, elements: [zero, -i, i, zero])
        let sz = ComplexMatrix(rows: 2, columns: 2, elements: [one, zero, zero, -one])
        for s in [sx, sy, sz] {
            let e = try LinearAlgebra.hermitianEigen(s)
            #expect(Swift.abs(e.eigenvalues[0] + 1) < 1e-14 && Swift.abs(e.eigenvalues[1] - 1) < 1e-14)
            // σ v = λ v column by column.
            let v = e.eigenvectors
            let lambda = ComplexMatrix(rows: 2, columns: 2, elements: [Complex(e.eigenvalues[0]), zero, zero, Complex(e.eigenvalues[1])])
            #expect((s * v).maximumAbsoluteDifference(v * lambda) < 1e-14)
        }
        // S₁·S₂ for two spins ½ (Pauli units): σˣσˣ + σʸσʸ + σᶻσᶻ has the singlet at −3 and the triplet at +1.
        func kron(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix {
            var c = ComplexMatrix(rows: 4, columns: 4)
            for r in 0..<4 { for s in 0..<4 { c[r, s] = a[r / 2, s / 2] * b[r % 2, s % 2] } }
            return c
        }
        let heisenberg = kron(sx, sx) + kron(sy, sy) + kron(sz, sz)
        #expect(heisenberg.isHermitian())
        let e = try LinearAlgebra.hermitianEigen(heisenberg)
        for (value, exact) in zip(e.eigenvalues, [-3.0, 1, 1, 1]) { #expect(Swift.abs(value - exact) < 1e-13) }
    }

    @Test func hermitianRandomMatrixReconstructs() throws {
        let re = sampleTensor([5, 5], seed: 3), im = sampleTensor([5, 5], seed: 4)
        let m = ComplexMatrix(real: re, imaginary: im)
        let h = m + m.adjoint
        let e = try LinearAlgebra.hermitianEigen(h)
        var lambda = ComplexMatrix(rows: 5, columns: 5)
        for k in 0..<5 { lambda[k, k] = Complex(e.eigenvalues[k]) }
        let v = e.eigenvectors
        #expect((v * lambda * v.adjoint).maximumAbsoluteDifference(h) < 1e-13)
        #expect((v.adjoint * v).maximumAbsoluteDifference(.identity(5)) < 1e-13)
        // The trace is the sum of the eigenvalues.
        let trace = (0..<5).reduce(0.0) { $0 + h[$1, $1].real }
        #expect(Swift.abs(trace - e.eigenvalues.reduce(0, +)) < 1e-13)
    }

    @Test func solveResidualsVectorMatrixBatchedTransposedAndFloat() throws {
        let a = sampleTensor([2, 5, 5], seed: 7) + LinearAlgebra.identity(5) * 2.0
        let b = sampleTensor([2, 5, 3], seed: 8)
        let x = try LinearAlgebra.solve(a, b)
        #expect(maximumDeviation(Tensor.matmul(a, x), b) < 1e-13)
        let xt = try LinearAlgebra.solve(a, b, transposeA: true)
        #expect(maximumDeviation(Tensor.matmul(a, xt, transposeA: true), b) < 1e-13)
        let v = sampleTensor([2, 5], seed: 9)
        let xv = try LinearAlgebra.solve(a, v)
        #expect(xv.shape == [2, 5])
        #expect(maximumDeviation(Tensor.matmul(a, xv.expandingShape(at: -1)).squeezingShape(at: [-1]), v) < 1e-13)
        let af = Tensor<Float>(converting: a), bf = Tensor<Float>(converting: b)
        let xf = try LinearAlgebra.solve(af, bf)
        #expect(maximumDeviation(Tensor.matmul(af, xf), bf) < 1e-5)
    }

    @Test func singularSolveThrowsWithPivotAndBatchIndex() {
        // Second matrix of the batch has two equal rows: U[1,1] = 0 after one elimination step.
        let good: [Double] = [2, 1, 1, 3], singular: [Double] = [1, 2, 1, 2]
        let a = Tensor<Double>(shape: [2, 2, 2], scalars: good + singular)
        #expect(throws: LinearAlgebraError.singularMatrix(pivot: 1, batchIndex: 1)) {
            try LinearAlgebra.solve(a, Tensor<Double>(ones: [2, 2]))
        }
        #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.inverse(Tensor<Double>(shape: [2, 2], scalars: singular)) }
        let zeroDiagonal = Tensor<Double>(shape: [3, 3], scalars: [1, 0, 0, 5, 0, 0, 1, 1, 1])
        #expect(throws: LinearAlgebraError.singularMatrix(pivot: 1, batchIndex: nil)) {
            try LinearAlgebra.triangularSolve(zeroDiagonal, Tensor<Double>(ones: [3]), lower: true)
        }
        let message = LinearAlgebraError.singularMatrix(pivot: 1, batchIndex: 1).description
        #expect(message.contains("singular") && message.contains("pivot 1") && message.contains("1 of the batch"))
    }

    @Test func nanInputIsAnInvalidArgumentNotATrap() {
        let a = Tensor<Double>(shape: [2, 2], scalars: [1, 0, .nan, 1])
        do {
            _ = try LinearAlgebra.symmetricEigen(a)
            Issue.record("expected an error for NaN input")
        } catch {
            if case .invalidArgument = error {} else { Issue.record("unexpected error \(error)") }
            #expect(error.description.contains("NaN"))
        }
    }

    @Test func choleskyReconstructsAndRejectsIndefinite() throws {
        let a = positiveDefinite([2, 5, 5], seed: 11)
        let l = try LinearAlgebra.cholesky(a)
        #expect(maximumDeviation(Tensor.matmul(l, l, transposeB: true), a) < 1e-12)
        for b in 0..<2 {
            for i in 0..<5 {
                #expect(l[b, i, i] > 0)
                for j in (i + 1)..<5 { #expect(l[b, i, j] == 0) }
            }
        }
        let lf = try LinearAlgebra.cholesky(Tensor<Float>(converting: a))
        #expect(maximumDeviation(Tensor.matmul(lf, lf, transposeB: true), Tensor<Float>(converting: a)) < 1e-4)
        // diag(1, 2, −1, 4): the leading minor of order 3 is the first non-positive one.
        let indefinite: Tensor<Double> = LinearAlgebra.constantMatrix(4) { i, j in i == j ? [1, 2, -1, 4][i] : 0 }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minorOrder: 3, batchIndex: nil)) {
            try LinearAlgebra.cholesky(indefinite)
        }
        #expect(LinearAlgebraError.notPositiveDefinite(minorOrder: 3, batchIndex: nil).description.contains("order 3"))
    }

    @Test func triangularSolveBothTrianglesAndTransposes() throws {
        let full = sampleTensor([4, 4], seed: 12) + LinearAlgebra.identity(4) * 3.0
        let b = sampleTensor([4, 2], seed: 13)
        for lower in [true, false] {
            let mask: Tensor<Double> = LinearAlgebra.constantMatrix(4) { i, j in (lower ? j <= i : j >= i) ? 1 : 0 }
            let t = full * mask
            for transpose in [false, true] {
                let x = try LinearAlgebra.triangularSolve(full, b, lower: lower, transposeA: transpose)
                #expect(maximumDeviation(Tensor.matmul(t, x, transposeA: transpose), b) < 1e-13)
            }
        }
    }

    @Test func singularValueDecompositionThinAndFull() throws {
        for shape in [[2, 6, 4], [4, 7], [3, 5]] {
            let a = sampleTensor(shape, seed: shape.reduce(0, +))
            let m = shape[shape.count - 2], n = shape[shape.count - 1], k = Swift.min(m, n)
            let thin = try LinearAlgebra.singularValueDecomposition(a)
            let batch = Array(shape.dropLast(2))
            #expect(thin.u.shape == batch + [m, k] && thin.vt.shape == batch + [k, n] && thin.singularValues.shape == batch + [k])
            let us = thin.u * thin.singularValues.expandingShape(at: -2)
            #expect(maximumDeviation(Tensor.matmul(us, thin.vt), a) < 1e-13)
            #expect(maximumDeviation(Tensor.matmul(thin.u, thin.u, transposeA: true),
                                      LinearAlgebra.identity(k).broadcast(to: batch + [k, k])) < 1e-13)
            #expect(maximumDeviation(Tensor.matmul(thin.vt, thin.vt, transposeB: true),
                                      LinearAlgebra.identity(k).broadcast(to: batch + [k, k])) < 1e-13)
            let s = thin.singularValues.scalars
            for start in stride(from: 0, to: s.count, by: k) {
                for j in 1..<k { #expect(s[start + j - 1] >= s[start + j]) }
            }
            let full = try LinearAlgebra.singularValueDecomposition(a, fullMatrices: true)
            #expect(full.u.shape == batch + [m, m] && full.vt.shape == batch + [n, n])
            #expect(maximumDeviation(Tensor.matmul(full.u, full.u, transposeA: true),
                                      LinearAlgebra.identity(m).broadcast(to: batch + [m, m])) < 1e-13)
            #expect(maximumDeviation(Tensor.matmul(full.vt, full.vt, transposeB: true),
                                      LinearAlgebra.identity(n).broadcast(to: batch + [n, n])) < 1e-13)
            #expect(maximumDeviation(try LinearAlgebra.singularValues(a), thin.singularValues) < 1e-13)
            // σ² are the eigenvalues of A Aᵀ or AᵀA (an independent route through syevd).
            let gram = m <= n ? Tensor.matmul(a, a, transposeB: true) : Tensor.matmul(a, a, transposeA: true)
            let eigen = try LinearAlgebra.symmetricEigenvalues(gram).scalars
            let squares = thin.singularValues.square().scalars
            for start in stride(from: 0, to: squares.count, by: k) {
                for j in 0..<k { #expect(Swift.abs(squares[start + j] - eigen[start + k - 1 - j]) < 1e-12) }
            }
        }
        let af = Tensor<Float>(converting: sampleTensor([5, 3], seed: 4))
        let f = try LinearAlgebra.singularValueDecomposition(af)
        #expect(maximumDeviation(Tensor.matmul(f.u * f.singularValues.expandingShape(at: -2), f.vt), af) < 1e-5)
    }

    @Test func leastSquaresMatchesNormalEquationsAndHandlesRankDeficiency() throws {
        let a = sampleTensor([8, 3], seed: 21), b = sampleTensor([8], seed: 22)
        let result = try LinearAlgebra.leastSquares(a, b)
        #expect(result.rank == 3 && result.solution.shape == [3] && result.residualSumOfSquares.shape == [])
        // Normal equations AᵀA x = Aᵀb through Cholesky-free solve: an independent route.
        let normal = try LinearAlgebra.solve(Tensor.matmul(a, a, transposeA: true),
                                             Tensor.matmul(a, b.expandingShape(at: -1), transposeA: true))
        #expect(maximumDeviation(result.solution, normal.squeezingShape(at: [-1])) < 1e-12)
        let residual = Tensor.matmul(a, normal) - b.expandingShape(at: -1)
        #expect(Swift.abs(result.residualSumOfSquares.scalar - residual.square().sum().scalar) < 1e-12)
        // A consistent system is solved exactly, for several right-hand sides.
        let x = sampleTensor([3, 2], seed: 23)
        let exact = try LinearAlgebra.leastSquares(a, Tensor.matmul(a, x))
        #expect(maximumDeviation(exact.solution, x) < 1e-12)
        #expect(exact.residualSumOfSquares.scalars.allSatisfy { $0 < 1e-24 })
        // Rank 1: x₁ + x₂ = 2 in every row has the minimum-norm solution (1, 1).
        let deficient = try LinearAlgebra.leastSquares(Tensor<Double>(ones: [3, 2]), Tensor<Double>([2, 2, 2]))
        #expect(deficient.rank == 1)
        #expect(maximumDeviation(deficient.solution, Tensor([1, 1])) < 1e-12)
        // Underdetermined full-rank: minimum norm x = Aᵀ(AAᵀ)⁻¹b.
        let wide = sampleTensor([2, 5], seed: 24), rhs = Tensor<Double>([1, -1])
        let minimumNorm = Tensor.matmul(wide, try LinearAlgebra.solve(Tensor.matmul(wide, wide, transposeB: true),
                                                                      rhs.expandingShape(at: -1)), transposeA: true)
        #expect(maximumDeviation(try LinearAlgebra.leastSquares(wide, rhs).solution, minimumNorm.squeezingShape(at: [-1])) < 1e-12)
    }

    @Test func inverseAndDeterminants() throws {
        let a = sampleTensor([3, 4, 4], seed: 31) + LinearAlgebra.identity(4) * 1.5
        let inverse = try LinearAlgebra.inverse(a)
        #expect(maximumDeviation(Tensor.matmul(a, inverse), LinearAlgebra.identity(4).broadcast(to: [3, 4, 4])) < 1e-13)
        // Triangular: det = product of the diagonal; a row swap flips the sign.
        let t = Tensor<Double>(shape: [3, 3], scalars: [2, 0, 0, 7, -3, 0, 1, 5, 0.5])
        #expect(Swift.abs(LinearAlgebra.determinant(t).scalar - (-3)) < 1e-14)
        let swapped = Tensor<Double>(shape: [3, 3], scalars: [7, -3, 0, 2, 0, 0, 1, 5, 0.5])
        let (sign, logAbsolute) = LinearAlgebra.signedLogDeterminant(swapped)
        #expect(sign.scalar == 1 && Swift.abs(logAbsolute.scalar - Foundation.log(3.0)) < 1e-14)
        // det of a product is the product of dets, through the batch.
        let b = sampleTensor([3, 4, 4], seed: 32) + LinearAlgebra.identity(4) * 1.5
        let lhs = LinearAlgebra.determinant(Tensor.matmul(a, b))
        let rhs = LinearAlgebra.determinant(a) * LinearAlgebra.determinant(b)
        #expect(lhs.shape == [3] && maximumDeviation(lhs, rhs) < 1e-12)
        // Singular: sign 0, log|det| = −∞, det = 0, no error.
        let singular = LinearAlgebra.signedLogDeterminant(Tensor<Double>(ones: [3, 3]))
        #expect(singular.sign.scalar == 0 && singular.logAbsoluteValue.scalar == -.infinity)
        #expect(LinearAlgebra.determinant(Tensor<Double>(ones: [3, 3])).scalar == 0)
        // Positive-definite log det through Cholesky agrees with LU.
        let spd = positiveDefinite([2, 5, 5], seed: 33)
        #expect(maximumDeviation(try LinearAlgebra.positiveDefiniteLogDeterminant(spd),
                                  LinearAlgebra.signedLogDeterminant(spd).logAbsoluteValue) < 1e-12)
        let fdet = LinearAlgebra.determinant(Tensor<Float>(converting: t))
        #expect(Swift.abs(fdet.scalar + 3) < 1e-5)
    }
}

/// Finite-difference checks (Double) of the differentiable linear-algebra primitives.
@Suite("Linear algebra gradients")
struct LinearAlgebraGradientTests {
    func check(_ inputs: [Tensor<Double>], tolerance: Double = 1e-6, _ f: @escaping ([Tensor<Double>]) -> Tensor<Double>,
               sourceLocation: SourceLocation = #_sourceLocation) {
        let error = GradientCheck.maximumError(at: inputs, of: f)
        #expect(error < tolerance, "max gradient error \(error)", sourceLocation: sourceLocation)
    }

    let matrix = sampleTensor([2, 4, 4], seed: 41) + LinearAlgebra.identity(4) * 2.0

    @Test func solveAndTriangularSolve() {
        let b = sampleTensor([2, 4, 3], seed: 42), v = sampleTensor([2, 4], seed: 43)
        check([matrix, b]) { try! LinearAlgebra.solve($0[0], $0[1]) }
        check([matrix, b]) { try! LinearAlgebra.solve($0[0], $0[1], transposeA: true) }
        check([matrix, v]) { try! LinearAlgebra.solve($0[0], $0[1]) }
        for lower in [true, false] {
            for transpose in [false, true] {
                check([matrix, b]) { try! LinearAlgebra.triangularSolve($0[0], $0[1], lower: lower, transposeA: transpose) }
            }
        }
    }

    @Test func throwingClosuresDifferentiateExactly() throws {
        // ∂/∂b Σ (A⁻¹ b) = A⁻ᵀ 1 and ∂/∂A log|det A| = A⁻ᵀ, through `try` inside the closure.
        let a = matrix, b = sampleTensor([2, 4], seed: 48)
        let gb = try gradient(at: b) { try LinearAlgebra.solve(a, $0).sum() }
        #expect(maximumDeviation(gb, try LinearAlgebra.solve(a, Tensor<Double>(ones: [2, 4]), transposeA: true)) < 1e-13)
        let ga = gradient(at: a) { LinearAlgebra.signedLogDeterminant($0).logAbsoluteValue.sum() }
        #expect(maximumDeviation(ga, try LinearAlgebra.inverse(a).transposed()) < 1e-13)
        // ∂λ/∂A = v vᵀ for each (simple) eigenvalue.
        let s = symmetrised(sampleTensor([4, 4], seed: 49))
        let e = try LinearAlgebra.symmetricEigen(s)
        let gl = try gradient(at: s) { (try LinearAlgebra.symmetricEigen($0).eigenvalues * Tensor<Double>([0, 0, 1, 0])).sum() }
        let v2 = Tensor<Double>((0..<4).map { e.eigenvectors[$0, 2] }).reshaped(to: [4, 1])
        #expect(maximumDeviation(gl, Tensor.matmul(v2, v2, transposeB: true)) < 1e-13)
    }

    @Test func inverseAndLogDeterminant() {
        check([matrix]) { try! LinearAlgebra.inverse($0[0]) }
        check([matrix]) { LinearAlgebra.signedLogDeterminant($0[0]).logAbsoluteValue }
        check([matrix]) { LinearAlgebra.determinant($0[0]) }
    }

    @Test func choleskyOfSymmetrisedInput() {
        let shift = LinearAlgebra.identity(4) * 4.0
        check([sampleTensor([2, 4, 4], seed: 44)]) { try! LinearAlgebra.cholesky(symmetrised($0[0]) + shift) }
        check([sampleTensor([4, 4], seed: 45)]) { try! LinearAlgebra.positiveDefiniteLogDeterminant(symmetrised($0[0]) + shift) }
    }

    @Test func symmetricEigenvaluesAndSignInvariantEigenvectorLoss() {
        let x = sampleTensor([2, 5, 5], seed: 46)
        check([x]) { try! LinearAlgebra.symmetricEigen(symmetrised($0[0])).eigenvalues }
        check([x]) { try! LinearAlgebra.symmetricEigenvalues(symmetrised($0[0])) }
        // Each eigenvector's sign is arbitrary: v ∘ v and v vᵀ-type losses are well defined.
        check([x]) { xs in
            let v = try! LinearAlgebra.symmetricEigen(symmetrised(xs[0])).eigenvectors
            return v * v
        }
    }

    @Test func secondDerivatives() {
        let shift = LinearAlgebra.identity(4) * 4.0
        let fs: [(Tensor<Double>) -> Tensor<Double>] = [
            { try! LinearAlgebra.symmetricEigen(symmetrised($0)).eigenvalues.square().sum() },
            { try! LinearAlgebra.solve($0 + shift, Tensor<Double>(ones: [4, 2])).square().sum() },
            { try! LinearAlgebra.cholesky(symmetrised($0) + shift).square().sum() },
            { LinearAlgebra.signedLogDeterminant($0 + shift).logAbsoluteValue },
        ]
        let x = sampleTensor([4, 4], seed: 47)
        for f in fs {
            let error = GradientCheck.maximumError(at: [x]) { xs in gradient(at: xs[0]) { f($0) } }
            #expect(error < 1e-6, "second derivative error \(error)")
        }
    }
}
