import CKernels
import CLinearAlgebra

/// The element types a `Tensor` can hold: `Float` and `Double`.
///
/// Every per-element loop runs in a concrete, non-generic kernel reached through these
/// requirements, so generic tensor code pays one dispatch per operation, not per element.
public protocol TensorScalar: BinaryFloatingPoint, Sendable, CustomStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    /// Short name used in checkpoints and error messages (`"F32"`, `"F64"`, as safetensors).
    static var dtypeName: String { get }
    static func unaryKernel(_ op: mb_unary_op, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    static func binaryKernel(
        _ op: mb_binary_op, _ a: UnsafePointer<Self>, _ aStrides: UnsafePointer<Int>,
        _ b: UnsafePointer<Self>, _ bStrides: UnsafePointer<Int>, _ y: UnsafeMutablePointer<Self>,
        _ shape: UnsafePointer<Int>, _ rank: Int)
    static func affineKernel(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int, _ a: Self, _ b: Self)
    static func sumAxisKernel(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ outer: Int, _ n: Int, _ inner: Int)
    static func maxAxisKernel(
        _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ index: UnsafeMutablePointer<Int64>?,
        _ outer: Int, _ n: Int, _ inner: Int)
    static func stridedCopyKernel(
        _ x: UnsafePointer<Self>, _ strides: UnsafePointer<Int>, _ y: UnsafeMutablePointer<Self>,
        _ shape: UnsafePointer<Int>, _ rank: Int)
    static func selectKernel(
        _ c: UnsafePointer<Self>, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
    static func clampKernel(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int, _ lo: Self, _ hi: Self)
    static func hasNonFiniteKernel(_ x: UnsafePointer<Self>, _ n: Int) -> Bool
    /// C = alpha op(A) op(B) + beta C, row-major, with leading dimensions.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
        a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
        c: UnsafeMutablePointer<Self>, ldc: Int)
    static func toDouble(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Double>, _ n: Int)
    static func fromDouble(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
}

extension Float: TensorScalar {
    public static var dtypeName: String { "F32" }
    public static func unaryKernel(_ op: mb_unary_op, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        mb_unary_f32(Int32(op.rawValue), x, y, n)
    }
    public static func binaryKernel(
        _ op: mb_binary_op, _ a: UnsafePointer<Float>, _ aStrides: UnsafePointer<Int>, _ b: UnsafePointer<Float>,
        _ bStrides: UnsafePointer<Int>, _ y: UnsafeMutablePointer<Float>, _ shape: UnsafePointer<Int>, _ rank: Int
    ) {
        mb_binary_f32(Int32(op.rawValue), a, aStrides, b, bStrides, y, shape, Int32(rank))
    }
    public static func affineKernel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ a: Float, _ b: Float) {
        mb_affine_f32(x, y, n, a, b)
    }
    public static func sumAxisKernel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ outer: Int, _ n: Int, _ inner: Int) {
        mb_sum_axis_f32(x, y, outer, n, inner)
    }
    public static func maxAxisKernel(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int64>?,
        _ outer: Int, _ n: Int, _ inner: Int
    ) {
        mb_max_axis_f32(x, y, index, outer, n, inner)
    }
    public static func stridedCopyKernel(
        _ x: UnsafePointer<Float>, _ strides: UnsafePointer<Int>, _ y: UnsafeMutablePointer<Float>,
        _ shape: UnsafePointer<Int>, _ rank: Int
    ) {
        mb_strided_copy_f32(x, strides, y, shape, Int32(rank))
    }
    public static func selectKernel(
        _ c: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int
    ) {
        mb_select_f32(c, a, b, y, n)
    }
    public static func clampKernel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ lo: Float, _ hi: Float) {
        mb_clamp_f32(x, y, n, lo, hi)
    }
    public static func hasNonFiniteKernel(_ x: UnsafePointer<Float>, _ n: Int) -> Bool { mb_has_nonfinite_f32(x, n) != 0 }
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if SmallProduct.prefersOwnKernel(transposeB: transposeB, m: m, n: n, k: k),
           mb_gemm_small_f32(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) != 0 {
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func toDouble(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        mb_convert_f32_f64(x, y, n)
    }
    public static func fromDouble(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        mb_convert_f64_f32(x, y, n)
    }
}

extension Double: TensorScalar {
    public static var dtypeName: String { "F64" }
    public static func unaryKernel(_ op: mb_unary_op, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        mb_unary_f64(Int32(op.rawValue), x, y, n)
    }
    public static func binaryKernel(
        _ op: mb_binary_op, _ a: UnsafePointer<Double>, _ aStrides: UnsafePointer<Int>, _ b: UnsafePointer<Double>,
        _ bStrides: UnsafePointer<Int>, _ y: UnsafeMutablePointer<Double>, _ shape: UnsafePointer<Int>, _ rank: Int
    ) {
        mb_binary_f64(Int32(op.rawValue), a, aStrides, b, bStrides, y, shape, Int32(rank))
    }
    public static func affineKernel(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int, _ a: Double, _ b: Double) {
        mb_affine_f64(x, y, n, a, b)
    }
    public static func sumAxisKernel(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ outer: Int, _ n: Int, _ inner: Int) {
        mb_sum_axis_f64(x, y, outer, n, inner)
    }
    public static func maxAxisKernel(
        _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ index: UnsafeMutablePointer<Int64>?,
        _ outer: Int, _ n: Int, _ inner: Int
    ) {
        mb_max_axis_f64(x, y, index, outer, n, inner)
    }
    public static func stridedCopyKernel(
        _ x: UnsafePointer<Double>, _ strides: UnsafePointer<Int>, _ y: UnsafeMutablePointer<Double>,
        _ shape: UnsafePointer<Int>, _ rank: Int
    ) {
        mb_strided_copy_f64(x, strides, y, shape, Int32(rank))
    }
    public static func selectKernel(
        _ c: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
        _ n: Int
    ) {
        mb_select_f64(c, a, b, y, n)
    }
    public static func clampKernel(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int, _ lo: Double, _ hi: Double) {
        mb_clamp_f64(x, y, n, lo, hi)
    }
    public static func hasNonFiniteKernel(_ x: UnsafePointer<Double>, _ n: Int) -> Bool { mb_has_nonfinite_f64(x, n) != 0 }
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
        c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        if SmallProduct.prefersOwnKernel(transposeB: transposeB, m: m, n: n, k: k),
           mb_gemm_small_f64(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) != 0 {
            return
        }
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func toDouble(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        y.update(from: x, count: n)
    }
    public static func fromDouble(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        y.update(from: x, count: n)
    }
}

/// When our small-product kernel beats OpenBLAS (measured on the DMFT MLP and RealNVP shapes:
/// 1.4–2.5× below these sizes, slower above them). Its dot-product form (op(B) = Bᵀ) needs a
/// long enough inner dimension to fill vectors.
enum SmallProduct {
    @inline(__always)
    static func prefersOwnKernel(transposeB: Bool, m: Int, n: Int, k: Int) -> Bool {
        let work = m * n * k
        return transposeB ? (k >= 64 && work <= 1 << 17) : work <= 1 << 18
    }
}
