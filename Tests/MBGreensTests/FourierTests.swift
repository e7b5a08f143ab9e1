import ComplexModule
import Foundation
import Testing
@testable import MBGreens

/// Measured (β = 50, 2048 frequencies, 4097 τ points, Linux x86-64): iω → τ max error
/// 5.9e-10 (known or fitted tail), τ → iω 1.2e-11, round trip iω → τ → iω 1.2e-11.
@Suite("Fourier transforms with high-frequency tails")
struct FourierTests {
    let bath = DiscreteBath.standard
    let beta = 50.0
    let frequencies = try! MatsubaraMesh(beta: 50, count: 2048)
    let times = try! ImaginaryTimeMesh(beta: 50, count: 4097)

    var exactMatsubara: MatsubaraGreensFunction { MatsubaraGreensFunction(mesh: frequencies) { bath.value(at: $0) } }
    var exactImaginaryTime: ImaginaryTimeGreensFunction { ImaginaryTimeGreensFunction(mesh: times) { bath.imaginaryTime($0, beta: beta) } }

    @Test("the test bath's partial fractions reproduce G(z) (weights sum to 1)")
    func partialFractions() {
        let poles = bath.poles
        #expect(poles.count == 5)
        #expect(abs(poles.reduce(0) { $0 + $1.weight } - 1) < 1e-13)
        for z in [Complex(0.1, 0.3), Complex(-2, 0.05), Complex(0, 7)] {
            let sum = poles.reduce(Complex<Double>.zero) { $0 + Complex($1.weight) / (z - Complex($1.energy)) }
            #expect((sum - bath.value(at: z)).length < 1e-12)
        }
    }

    @Test("iω → τ matches the exact G(τ) of a discrete bath (β = 50, 2048 frequencies, 4097 τ)")
    func matsubaraToImaginaryTime() throws {
        let exact = exactImaginaryTime.values
        let known = try exactMatsubara.fourierTransformed(to: times, tail: bath.tail)
        let fitted = try exactMatsubara.fourierTransformed(to: times)
        let knownError = maximumDifference(known.values, exact)
        let fittedError = maximumDifference(fitted.values, exact)
        #expect(knownError < 2e-9, "known tail: max |ΔG(τ)| = \(knownError)")
        #expect(fittedError < 2e-9, "fitted tail: max |ΔG(τ)| = \(fittedError)")
        let fit = try HighFrequencyTail.fitted(to: exactMatsubara)
        #expect(abs(fit.c2 - bath.tail.c2) < 1e-6 && abs(fit.c3 - bath.tail.c3) < 1e-4, "\(fit) vs \(bath.tail)")
        // The jump: G(0⁺) + G(β⁻) = −1.
        #expect(abs(fitted.values.first! + fitted.values.last! + 1) < 1e-8)
        // Without a tail the truncated sum misses the jump entirely (the test can fail).
        let naive = try exactMatsubara.fourierTransformed(to: times, tail: HighFrequencyTail(c1: 0))
        #expect(maximumDifference(naive.values, exact) > 0.1)
    }

    @Test("iω → τ with more frequencies than τ intervals (folding) and a coarse τ mesh")
    func folding() throws {
        let coarse = try ImaginaryTimeMesh(beta: beta, count: 65)
        let g = try exactMatsubara.fourierTransformed(to: coarse, tail: bath.tail)
        let exact = coarse.points.map { bath.imaginaryTime($0, beta: beta) }
        #expect(maximumDifference(g.values, exact) < 1e-8)
    }

    @Test("τ → iω matches the exact G(iω_n) and decays as 1/(iω)")
    func imaginaryTimeToMatsubara() throws {
        let exact = exactMatsubara.values
        let estimated = try exactImaginaryTime.fourierTransformed(to: frequencies)
        let known = try exactImaginaryTime.fourierTransformed(to: frequencies, tail: bath.tail)
        let estimatedError = maximumDifference(estimated.values, exact)
        let knownError = maximumDifference(known.values, exact)
        #expect(estimatedError < 1e-10, "estimated tail: max |ΔG(iω)| = \(estimatedError)")
        #expect(knownError < 1e-10, "known tail: max |ΔG(iω)| = \(knownError)")
        let tail = HighFrequencyTail.estimated(from: exactImaginaryTime, statistic: .fermion)
        #expect(abs(tail.c1 - 1) < 1e-12 && abs(tail.c2 - bath.tail.c2) < 1e-6 && abs(tail.c3 - bath.tail.c3) < 1e-4, "\(tail)")
        // Far beyond the τ mesh's Nyquist frequency the result still behaves as 1/(iω).
        let high = try MatsubaraMesh(beta: beta, count: 20000)
        let g = try exactImaginaryTime.fourierTransformed(to: high)
        let z = Complex(0, high.frequency(19999))
        #expect(((g[19999] * z) - 1).length < 1e-4)
        #expect((g[19999] - bath.value(at: z)).length < 1e-8)
    }

    @Test("round trip iω → τ → iω")
    func roundTrip() throws {
        let tau = try exactMatsubara.fourierTransformed(to: times)
        let back = try tau.fourierTransformed(to: frequencies)
        let error = maximumDifference(back.values, exactMatsubara.values)
        #expect(error < 1e-10, "round trip max |ΔG(iω)| = \(error)")
    }

    @Test("bosonic transforms: 1/(iΩ − ε) ↔ −e^{−ετ}/(1 − e^{−βε})")
    func bosonic() throws {
        let beta = 10.0, epsilon = 0.7
        let mesh = try MatsubaraMesh(beta: beta, count: 1024, statistic: .boson)
        let time = try ImaginaryTimeMesh(beta: beta, count: 2049)
        let g = MatsubaraGreensFunction(mesh: mesh) { 1 / ($0 - Complex(epsilon)) }
        let exactTau = time.points.map { -exp(-epsilon * $0) / (1 - exp(-beta * epsilon)) }
        let tau = try g.fourierTransformed(to: time, tail: HighFrequencyTail(c1: 1, c2: epsilon, c3: epsilon * epsilon))
        #expect(maximumDifference(tau.values, exactTau) < 1e-8)
        let fittedTau = try g.fourierTransformed(to: time)
        #expect(maximumDifference(fittedTau.values, exactTau) < 1e-7)
        let back = try ImaginaryTimeGreensFunction(mesh: time, values: exactTau).fourierTransformed(to: mesh)
        #expect(maximumDifference(back.values, g.values) < 1e-7)
        let estimated = HighFrequencyTail.estimated(from: tau, statistic: .boson)
        #expect(abs(estimated.c1 - 1) < 1e-8 && abs(estimated.c2 - epsilon) < 1e-6 && abs(estimated.c3 - epsilon * epsilon) < 1e-4, "\(estimated)")
    }

    @Test("mismatched β and non-finite data throw")
    func errors() throws {
        let other = try ImaginaryTimeMesh(beta: 10, count: 11)
        #expect(throws: GreensFunctionError.self) { try exactMatsubara.fourierTransformed(to: other) }
        var broken = exactMatsubara
        broken[3] = Complex(.nan, 0)
        #expect(throws: GreensFunctionError.self) { try broken.fourierTransformed(to: times) }
        let few = MatsubaraGreensFunction(zerosOn: try MatsubaraMesh(beta: 50, count: 3))
        #expect(throws: GreensFunctionError.self) { try few.fourierTransformed(to: times) }
        _ = try few.fourierTransformed(to: times, tail: HighFrequencyTail())
    }
}
