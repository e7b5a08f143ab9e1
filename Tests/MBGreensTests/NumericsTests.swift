import ComplexModule
import Foundation
import Testing
@testable import MBGreens

@Suite("Numerical building blocks")
struct NumericsTests {
    @Test("FFTW wrapper equals the direct DFT in both directions, also for odd and prime sizes")
    func directTransform() {
        for size in [1, 2, 7, 16, 97] {
            let x = (0..<size).map { Complex(sin(Double($0) * 1.3), cos(Double($0 * $0) * 0.4)) }
            for direction in [FFTW.Direction.forward, .backward] {
                let fast = FFTW.transform(x, direction: direction)
                let sign = Double(direction.rawValue)
                let direct = (0..<size).map { k in
                    (0..<size).reduce(Complex<Double>.zero) { sum, j in
                        let angle = sign * 2 * Double.pi * Double(j * k) / Double(size)
                        return sum + x[j] * Complex(cos(angle), sin(angle))
                    }
                }
                #expect(maximumDifference(fast, direct) < 1e-12, "size \(size) \(direction)")
            }
        }
    }

    @Test("concurrent transforms (planner guarded by a lock) agree with serial ones")
    func concurrentPlanning() {
        let sizes = (0..<24).map { 100 + 37 * $0 }
        let inputs = sizes.map { n in (0..<n).map { Complex(Double($0 % 11), Double($0 % 5)) } }
        final class Results: @unchecked Sendable {
            var values: [[Complex<Double>]]
            let lock = NSLock()
            init(_ n: Int) { values = Array(repeating: [], count: n) }
        }
        let results = Results(sizes.count)
        DispatchQueue.concurrentPerform(iterations: sizes.count) { i in
            let y = FFTW.transform(inputs[i], direction: .forward)
            results.lock.lock()
            results.values[i] = y
            results.lock.unlock()
        }
        for i in 0..<sizes.count {
            #expect(results.values[i] == FFTW.transform(inputs[i], direction: .forward))
            // The zero-frequency term is the plain sum.
            let sum = inputs[i].reduce(Complex<Double>.zero, +)
            #expect((results.values[i][0] - sum).length < 1e-9)
        }
    }

    @Test("spline attenuation factor: W(0) = 1 and its small-θ expansion 1 − θ⁴/720")
    func attenuation() {
        #expect(splineAttenuation(0) == 1)
        for theta in [1e-5, 1e-3, 0.05] {
            #expect(abs(splineAttenuation(theta) - (1 - pow(theta, 4) / 720)) < pow(theta, 6) / 1000 + 1e-15, "θ = \(theta)")
        }
    }

    @Test("clamped cubic spline is fourth-order accurate (error falls 16× when h halves)")
    func splineConvergence() {
        func error(_ intervals: Int) -> Double {
            let h = 2.0 / Double(intervals)
            let spline = CubicSpline(start: 0, spacing: h, values: (0...intervals).map { exp(-Double($0) * h) * cos(3 * Double($0) * h) })
            return stride(from: 0.0, through: 2.0, by: 0.001).map { abs(spline($0) - exp(-$0) * cos(3 * $0)) }.max()!
        }
        // Measured maxima: 2.6e-6, 7.7e-8, 3.6e-9, 2.3e-10 for 40, 80, 160, 320 intervals.
        let coarse = error(80), fine = error(160)
        #expect(coarse < 1e-7)
        #expect(coarse / fine > 12 && coarse / fine < 25, "ratio \(coarse / fine)")
        // Exact for cubics when the end slopes are given.
        let cubic = { (x: Double) in x * x * x - 2 * x + 1 }
        let s = CubicSpline(start: -1, spacing: 0.5, values: (0...4).map { cubic(-1 + 0.5 * Double($0)) }, startSlope: 1, endSlope: 1)
        #expect(abs(s(0.3) - cubic(0.3)) < 1e-14)
    }

    @Test("arithmetic between functions on different meshes stops with a precondition failure")
    func meshMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            let a = MatsubaraGreensFunction(zerosOn: try! MatsubaraMesh(beta: 10, count: 8))
            let b = MatsubaraGreensFunction(zerosOn: try! MatsubaraMesh(beta: 20, count: 8))
            _ = a + b
        }
    }
}
