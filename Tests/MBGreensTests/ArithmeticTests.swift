import ComplexModule
import Testing
@testable import MBGreens

@Suite("Green's-function containers and arithmetic")
struct ArithmeticTests {
    let mesh = try! MatsubaraMesh(beta: 10, count: 8)

    @Test("element-wise +, −, ·, / and inversion match point-wise complex arithmetic")
    func elementWise() throws {
        let a = MatsubaraGreensFunction(mesh: mesh) { z in 1 / (z - Complex(0.3)) }
        let b = MatsubaraGreensFunction(mesh: mesh) { z in z * z + Complex(1, 0.5) }
        let sum = a + b, difference = a - b, product = a * b, quotient = a / b, inverse = a.inverted()
        for n in 0..<mesh.count {
            let z = Complex(0, mesh.frequency(n))
            let x = 1 / (z - Complex(0.3)), y = z * z + Complex(1, 0.5)
            #expect((sum[n] - (x + y)).length < 1e-14)
            #expect((difference[n] - (x - y)).length < 1e-14)
            #expect((product[n] - x * y).length < 1e-14)
            #expect((quotient[n] - x / y).length < 1e-14)
            #expect((inverse[n] - (z - Complex(0.3))).length < 1e-13)
        }
        // Dyson: (G⁻¹ + 0.3)⁻¹ is 1/z.
        let free = (inverse + 0.3).inverted()
        #expect((free[3] - 1 / Complex(0, mesh.frequency(3))).length < 1e-14)
        #expect(((2.0 * a) / 2.0)[2] == a[2])
        #expect((-a + a)[5] == .zero)
    }

    @Test("real-valued functions: scalar operations and inversion")
    func realValued() throws {
        let tau = try ImaginaryTimeMesh(beta: 2, count: 5)
        let g = ImaginaryTimeGreensFunction(mesh: tau) { t in -0.5 - 0.1 * t }
        let h = 2.0 * g - 1.0
        #expect(h.values == g.values.map { 2 * $0 - 1 })
        #expect(g.inverted().values == g.values.map { 1 / $0 })
    }

    @Test("checkSameMesh throws for different meshes; the values initializer checks counts")
    func meshChecks() throws {
        let a = MatsubaraGreensFunction(zerosOn: mesh)
        let other = MatsubaraGreensFunction(zerosOn: try MatsubaraMesh(beta: 11, count: 8))
        let boson = MatsubaraGreensFunction(zerosOn: try MatsubaraMesh(beta: 10, count: 8, statistic: .boson))
        try a.checkSameMesh(a)
        #expect(throws: GreensFunctionError.self) { try a.checkSameMesh(other) }
        #expect(throws: GreensFunctionError.self) { try a.checkSameMesh(boson) }
        let tau = ImaginaryTimeGreensFunction(zerosOn: try ImaginaryTimeMesh(beta: 10, count: 8))
        #expect(throws: GreensFunctionError.self) { try a.checkSameMesh(tau) }
        #expect(throws: GreensFunctionError.valueCountMismatch(mesh: mesh.description, meshCount: 8, valueCount: 3)) {
            try MatsubaraGreensFunction(mesh: mesh, values: [.zero, .zero, .zero])
        }
        do {
            try a.checkSameMesh(other)
        } catch {
            #expect(error.description.contains("β: 10.0") && error.description.contains("β: 11.0"))
        }
    }

    @Test("negative frequencies by conjugation")
    func negativeFrequencies() throws {
        let g = MatsubaraGreensFunction(mesh: mesh) { z in 1 / (z - Complex(0.4)) }
        for n in -mesh.count..<0 {
            let z = Complex(0, Double(2 * n + 1) * .pi / 10)
            #expect((g.value(atFrequencyIndex: n) - 1 / (z - Complex(0.4))).length < 1e-14)
        }
        let bosonMesh = try MatsubaraMesh(beta: 10, count: 4, statistic: .boson)
        let chi = MatsubaraGreensFunction(mesh: bosonMesh) { z in 1 / (z - Complex(0.4)) }
        #expect((chi.value(atFrequencyIndex: -2) - 1 / (Complex(0, -4 * Double.pi / 10) - Complex(0.4))).length < 1e-14)
    }
}
