import ComplexModule
import Foundation
import Testing
@testable import MBGreens

/// Measured: 40 points at β = 50 reproduce G(ω + 0.05i) of the 5-pole bath to 1.4e-10; peaks at
/// η = 1e-3 within 3.4e-5 of the poles, weights within 2.8e-4.
@Suite("Padé continuation")
struct PadeTests {
    let bath = DiscreteBath.standard
    let beta = 50.0

    @Test("the approximant interpolates its data and reproduces a rational function")
    func interpolation() throws {
        let points = (0..<12).map { Complex(0, Double(2 * $0 + 1) * .pi / 10) }
        let f = { (z: Complex<Double>) in (z - Complex(0.5)) / ((z - Complex(1, -0.1)) * (z + Complex(0.7))) }
        let pade = try PadeApproximant(points: points, values: points.map(f))
        for z in points { #expect((pade(z) - f(z)).length < 1e-12) }
        for z in [Complex(0.3, 0.05), Complex(-2, 0.01), Complex(4, 1)] { #expect((pade(z) - f(z)).length < 1e-9) }
    }

    @Test("a discrete-bath G0 continued from 40 Matsubara points has the exact poles and weights")
    func discreteBath() throws {
        let mesh = try MatsubaraMesh(beta: beta, count: 200)
        let g = MatsubaraGreensFunction(mesh: mesh) { bath.value(at: $0) }
        // Retarded function at η = 0.05 against the exact one.
        let window = try RealFrequencyMesh(range: -3...3, count: 601)
        let continued = try g.padeContinuation(to: window, pointCount: 40, broadening: 0.05)
        let exact = RealFrequencyGreensFunction(mesh: window) { bath.value(at: Complex($0, 0.05)) }
        let error = maximumDifference(continued.values, exact.values)
        #expect(error < 1e-9, "max |ΔG(ω + iη)| = \(error)")
        // Peaks of A(ω) at small η sit on the poles; the weight under each peak is w_p.
        let eta = 1e-3
        let fine = try RealFrequencyMesh(range: -3...3, count: 60001)
        let spectrum = try g.padeContinuation(to: fine, pointCount: 40, broadening: eta).spectralFunction
        let poles = bath.poles
        for (index, pole) in poles.enumerated() {
            let lower = index == 0 ? -3.0 : 0.5 * (poles[index - 1].energy + pole.energy)
            let upper = index == poles.count - 1 ? 3.0 : 0.5 * (poles[index + 1].energy + pole.energy)
            var peak = 0, weight = 0.0
            for k in 0..<fine.count where fine.frequency(k) >= lower && fine.frequency(k) < upper {
                if spectrum[k] > spectrum[peak] || fine.frequency(peak) < lower { peak = k }
                weight += spectrum[k] * fine.spacing
            }
            #expect(abs(fine.frequency(peak) - pole.energy) <= fine.spacing, "pole \(pole.energy) found at \(fine.frequency(peak))")
            // Lorentzian tails leaking across the window edges (≈ η/(π·distance), partly cancelling) limit this.
            #expect(abs(weight - pole.weight) < 1e-3, "weight \(weight) vs \(pole.weight)")
        }
    }

    @Test("bad input throws: empty data, bad broadening, point count out of range")
    func errors() throws {
        #expect(throws: GreensFunctionError.self) { try PadeApproximant(points: [], values: []) }
        #expect(throws: GreensFunctionError.self) { try PadeApproximant(points: [Complex(0, 1), Complex(0, 1)], values: [Complex(1), Complex(2)]) }
        let g = MatsubaraGreensFunction(mesh: try MatsubaraMesh(beta: beta, count: 10)) { bath.value(at: $0) }
        let window = try RealFrequencyMesh(range: -1...1, count: 11)
        #expect(throws: GreensFunctionError.self) { try g.padeContinuation(to: window, pointCount: 11) }
        #expect(throws: GreensFunctionError.self) { try g.padeContinuation(to: window, pointCount: 0) }
        #expect(throws: GreensFunctionError.self) { try g.padeContinuation(to: window, broadening: 0) }
    }
}
