import ComplexModule
import Foundation
import Testing
@testable import MBGreens

@Suite("Bethe lattice")
struct BetheLatticeTests {
    /// ∫_{−D}^{D} f(ε) ρ(ε) dε with ε = D sin θ (removes the square-root end points), midpoint rule.
    func integrate(_ lattice: BetheLattice, _ f: (Double) -> Complex<Double>, points: Int = 20000) -> Complex<Double> {
        let d = lattice.halfBandwidth
        var sum = Complex<Double>.zero
        for k in 0..<points {
            let theta = -Double.pi / 2 + (Double(k) + 0.5) * Double.pi / Double(points)
            let epsilon = d * sin(theta)
            sum += f(epsilon).multiplied(by: lattice.densityOfStates(epsilon) * d * cos(theta) * Double.pi / Double(points))
        }
        return sum
    }

    @Test("the semicircle is normalised with second moment D²/4")
    func normalisation() throws {
        for d in [1.0, 2.5] {
            let lattice = try BetheLattice(halfBandwidth: d)
            #expect(abs(integrate(lattice, { _ in Complex(1) }).real - 1) < 1e-10)
            #expect(abs(integrate(lattice, { Complex($0 * $0) }).real - d * d / 4) < 1e-10)
            #expect(lattice.densityOfStates(1.01 * d) == 0)
            #expect(abs(lattice.densityOfStates(0) - 2 / (Double.pi * d)) < 1e-15)
        }
    }

    @Test("Hilbert transform equals numerical integration of ρ/(z − ε); causal branch; 1/z tail")
    func hilbertTransform() throws {
        let lattice = try BetheLattice(halfBandwidth: 2)
        for z in [Complex(0, 0.3), Complex(0, 5), Complex(0.7, 0.2), Complex(-1.9, 0.5), Complex(3, -0.4), Complex(-2.5, 0)] {
            let numeric = integrate(lattice, { 1 / (z - Complex($0)) })
            #expect((lattice.hilbertTransform(z) - numeric).length < 1e-8, "z = \(z)")
        }
        for real in stride(from: -3.0, through: 3.0, by: 0.25) {
            let g = lattice.hilbertTransform(Complex(real, 1e-3))
            #expect(g.imaginary < 0)
        }
        // On the real axis inside the band: −Im G/π = ρ.
        #expect(abs(-lattice.hilbertTransform(Complex(0.6, 0)).imaginary / .pi - lattice.densityOfStates(0.6)) < 1e-14)
        let z = Complex(0.0, 1e4)
        #expect((lattice.hilbertTransform(z) * z - 1).length < 1e-7)
    }

    @Test("Matsubara G of the half-filled Bethe lattice; self-consistency Δ = t²G")
    func matsubara() throws {
        let lattice = try BetheLattice()
        let mesh = try MatsubaraMesh(beta: 20, count: 64)
        let g = try lattice.greensFunction(on: mesh)
        for n in [0, 1, 10, 63] {
            let numeric = integrate(lattice, { 1 / (Complex(0, mesh.frequency(n)) - Complex($0)) })
            #expect((g[n] - numeric).length < 1e-8)
            #expect(abs(g[n].real) < 1e-15 && g[n].imaginary < 0)
        }
        let delta = lattice.hybridization(from: g)
        #expect((delta[0] - g[0].multiplied(by: 0.25)).length < 1e-16)
        // With a self-energy: G = Hilbert(iω + μ − Σ).
        let sigma = MatsubaraGreensFunction(mesh: mesh) { z in Complex(0.3) + Complex(0.2) / z }
        let dressed = try lattice.greensFunction(on: mesh, chemicalPotential: 0.1, selfEnergy: sigma)
        let z = Complex(0.1, mesh.frequency(3)) - sigma[3]
        #expect((dressed[3] - integrate(lattice, { 1 / (z - Complex($0)) })).length < 1e-8)
        let other = MatsubaraGreensFunction(zerosOn: try MatsubaraMesh(beta: 10, count: 64))
        #expect(throws: GreensFunctionError.self) { try lattice.greensFunction(on: mesh, selfEnergy: other) }
        #expect(throws: GreensFunctionError.self) { try BetheLattice(halfBandwidth: 0) }
        #expect(throws: GreensFunctionError.self) { try BetheLattice(halfBandwidth: -1) }
    }

    @Test("Bethe G(τ) by Fourier transform: jump −1, particle-hole symmetric G(β/2) and G(0⁺) = −1/2")
    func imaginaryTime() throws {
        let lattice = try BetheLattice()
        let mesh = try MatsubaraMesh(beta: 20, count: 2048)
        let g = try lattice.greensFunction(on: mesh)
        let tau = try g.fourierTransformed(to: try ImaginaryTimeMesh(beta: 20, count: 201))
        #expect(abs(tau.values.first! + 0.5) < 1e-9 && abs(tau.values.last! + 0.5) < 1e-9)
        for k in 0..<201 { #expect(abs(tau.values[k] - tau.values[200 - k]) < 1e-9) }
        // Independent: G(β/2) = −∫ρ(ε)/(2 cosh(βε/2)) dε.
        let exact = integrate(lattice, { Complex(-1 / (2 * cosh(10 * $0))) }).real
        #expect(abs(tau.values[100] - exact) < 1e-9)
    }
}
