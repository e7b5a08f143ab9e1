import CFFTW
import ComplexModule
import Foundation
import RealModule

/// One-dimensional complex DFTs through FFTW 3 (double precision).
///
/// FFTW's planner is not thread-safe (only `fftw_execute*` is), so plans are created under a
/// lock and cached per (size, sign) for the life of the process; execution runs outside the
/// lock on fresh `fftw_malloc` buffers with the new-array interface, which is safe because
/// every `fftw_malloc` buffer has the SIMD alignment the plans were made for. Plans use
/// `FFTW_ESTIMATE`, which never touches the arrays while planning.
enum FFTW {
    /// The sign of the exponent: forward y_k = Σ_j x_j e^{−2πi jk/n}, backward e^{+2πi jk/n}.
    enum Direction: Int32, Sendable {
        case forward = -1
        case backward = 1
    }

    /// y_k = Σ_{j<n} x_j e^{±2πi jk/n}, k = 0..<n (unnormalised).
    static func transform(_ input: [Complex<Double>], direction: Direction) -> [Complex<Double>] {
        let n = input.count
        if n == 0 { return [] }
        precondition(n <= Int(Int32.max), "FFTW plans take 32-bit sizes, got \(n)")
        let bytes = n * MemoryLayout<fftw_complex>.stride
        guard let inRaw = fftw_malloc(bytes), let outRaw = fftw_malloc(bytes) else {
            preconditionFailure("fftw_malloc failed for a DFT of size \(n)")
        }
        defer {
            fftw_free(inRaw)
            fftw_free(outRaw)
        }
        let inPointer = inRaw.bindMemory(to: fftw_complex.self, capacity: n)
        let outPointer = outRaw.bindMemory(to: fftw_complex.self, capacity: n)
        for j in 0..<n { inPointer[j] = (input[j].real, input[j].imaginary) }
        let plan = PlanCache.shared.plan(size: n, direction: direction)
        fftw_execute_dft(plan, inPointer, outPointer)
        return (0..<n).map { Complex(outPointer[$0].0, outPointer[$0].1) }
    }

    /// Plans keyed by size and direction, created under a lock (FFTW's planner is not
    /// thread-safe). Never freed: a program uses a handful of sizes.
    private final class PlanCache: @unchecked Sendable {
        static let shared = PlanCache()
        private let lock = NSLock()
        private var plans: [Int64: OpaquePointer] = [:]

        func plan(size: Int, direction: Direction) -> OpaquePointer {
            let key = Int64(size) * 2 + (direction == .forward ? 0 : 1)
            lock.lock()
            defer { lock.unlock() }
            if let plan = plans[key] { return plan }
            let bytes = size * MemoryLayout<fftw_complex>.stride
            guard let a = fftw_malloc(bytes), let b = fftw_malloc(bytes) else {
                preconditionFailure("fftw_malloc failed while planning a DFT of size \(size)")
            }
            defer {
                fftw_free(a)
                fftw_free(b)
            }
            guard let plan = fftw_plan_dft_1d(
                Int32(size),
                a.bindMemory(to: fftw_complex.self, capacity: size),
                b.bindMemory(to: fftw_complex.self, capacity: size),
                direction.rawValue, UInt32(FFTW_ESTIMATE))
            else { preconditionFailure("FFTW could not plan a DFT of size \(size)") }
            plans[key] = plan
            return plan
        }
    }
}
