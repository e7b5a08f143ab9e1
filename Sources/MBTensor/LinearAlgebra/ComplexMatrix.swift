import CLinearAlgebra
import ComplexModule
import RealModule

/// A dense complex matrix of `Complex<Double>` (swift-numerics), row-major, for the linear
/// algebra that needs complex numbers (Hermitian eigenproblems). Element (i, j) is
/// `elements[i * columns + j]`. Products run on BLAS (zgemm).
public struct ComplexMatrix: Sendable, Equatable, CustomStringConvertible {
    public let rows: Int
    public let columns: Int
    /// Row-major elements, `rows * columns` of them.
    public var elements: [Complex<Double>]

    public init(rows: Int, columns: Int, elements: [Complex<Double>]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns,
                     "a \(rows)×\(columns) complex matrix needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// The zero matrix.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: .zero, count: rows * columns))
    }

    /// From real and (optionally) imaginary parts, each a `[rows, columns]` tensor.
    public init(real: Tensor<Double>, imaginary: Tensor<Double>? = nil) {
        precondition(real.rank == 2, "ComplexMatrix needs a rank-2 real part, got shape \(real.shape)")
        precondition(imaginary == nil || imaginary!.shape == real.shape,
                     "real part shape \(real.shape) and imaginary part shape \(imaginary!.shape) differ")
        let re = real.scalars, im = imaginary?.scalars ?? Array(repeating: 0, count: re.count)
        self.init(rows: real.shape[0], columns: real.shape[1], elements: zip(re, im).map { Complex($0, $1) })
    }

    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, columns: n)
        for i in 0..<n { m.elements[i * n + i] = .one }
        return m
    }

    public subscript(row: Int, column: Int) -> Complex<Double> {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) out of range for a \(rows)×\(columns) matrix")
            return elements[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) out of range for a \(rows)×\(columns) matrix")
            elements[row * columns + column] = newValue
        }
    }

    /// The conjugate transpose Mᴴ.
    public var adjoint: ComplexMatrix {
        var result = ComplexMatrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { result.elements[j * rows + i] = elements[i * columns + j].conjugate }
        }
        return result
    }

    /// Real parts as a `[rows, columns]` tensor.
    public var realPart: Tensor<Double> { Tensor(shape: [rows, columns], scalars: elements.map(\.real)) }
    /// Imaginary parts as a `[rows, columns]` tensor.
    public var imaginaryPart: Tensor<Double> { Tensor(shape: [rows, columns], scalars: elements.map(\.imaginary)) }

    /// True if |Mᵢⱼ − conj(Mⱼᵢ)| ≤ tolerance for all i, j.
    public func isHermitian(tolerance: Double = 0) -> Bool {
        guard rows == columns else { return false }
        for i in 0..<rows {
            for j in 0...i where (elements[i * columns + j] - elements[j * columns + i].conjugate).length > tolerance {
                return false
            }
        }
        return true
    }

    /// Largest |Mᵢⱼ − Nᵢⱼ| over all elements.
    public func maximumAbsoluteDifference(_ other: ComplexMatrix) -> Double {
        precondition(rows == other.rows && columns == other.columns,
                     "cannot compare a \(rows)×\(columns) matrix with a \(other.rows)×\(other.columns) one")
        return zip(elements, other.elements).reduce(0) { Swift.max($0, ($1.0 - $1.1).length) }
    }

    /// Matrix product on BLAS (zgemm).
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.columns == b.rows, "complex matmul inner dimensions differ: \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        var c = ComplexMatrix(rows: a.rows, columns: b.columns)
        guard a.rows > 0, b.columns > 0, a.columns > 0 else { return c }
        var alpha = Complex<Double>.one, beta = Complex<Double>.zero
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(a.rows), blasint(b.columns), blasint(a.columns),
                                &alpha, pa.baseAddress, blasint(a.columns), pb.baseAddress, blasint(b.columns),
                                &beta, pc.baseAddress, blasint(b.columns))
                }
            }
        }
        return c
    }

    public static func + (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "cannot add a \(a.rows)×\(a.columns) and a \(b.rows)×\(b.columns) matrix")
        return ComplexMatrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 + $1 })
    }

    public static func - (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "cannot subtract a \(b.rows)×\(b.columns) from a \(a.rows)×\(a.columns) matrix")
        return ComplexMatrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 - $1 })
    }

    public static func * (s: Complex<Double>, m: ComplexMatrix) -> ComplexMatrix {
        ComplexMatrix(rows: m.rows, columns: m.columns, elements: m.elements.map { s * $0 })
    }

    public var description: String {
        let shown = elements.prefix(8).map { "\($0.real)\($0.imaginary < 0 ? "-" : "+")\(Swift.abs($0.imaginary))i" }
        return "ComplexMatrix(\(rows)×\(columns), [\(shown.joined(separator: ", "))\(elements.count > 8 ? ", …" : "")])"
    }
}

extension LinearAlgebra {
    /// Eigenvalues (ascending, real) and orthonormal eigenvectors (columns) of a Hermitian
    /// matrix by divide and conquer (zheevd). Only the lower triangle is read. Not differentiable.
    /// - Throws: `LinearAlgebraError.didNotConverge`.
    public static func hermitianEigen(_ h: ComplexMatrix) throws(LinearAlgebraError) -> HermitianEigendecomposition {
        precondition(h.rows == h.columns, "hermitianEigen needs a square matrix, got \(h.rows)×\(h.columns)")
        let n = h.rows
        guard n > 0 else { return HermitianEigendecomposition(eigenvalues: [], eigenvectors: h) }
        // Read column-major, the row-major buffer is Hᵀ = conj(H) ("U" = H's lower triangle);
        // conj(H) has the same eigenvalues and the conjugate eigenvectors, returned as
        // contiguous columns, so V[i, j] = conj(buffer[j n + i]).
        var buffer = h.elements
        var eigenvalues = [Double](repeating: 0, count: n)
        let info = buffer.withUnsafeMutableBufferPointer { p in
            p.withMemoryRebound(to: mb_complex_double.self) { z in
                LAPACKE_zheevd(LAPACK_COL_MAJOR, CChar(bitPattern: 86), CChar(bitPattern: 85), LAPACKInt(n),
                               z.baseAddress, LAPACKInt(n), &eigenvalues)
            }
        }
        try check(info, "zheevd") { .didNotConverge(routine: "zheevd", info: $0, batchIndex: nil) }
        var vectors = ComplexMatrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n { vectors.elements[i * n + j] = buffer[j * n + i].conjugate }
        }
        return HermitianEigendecomposition(eigenvalues: eigenvalues, eigenvectors: vectors)
    }
}
