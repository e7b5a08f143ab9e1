import ComplexModule
import Testing
@testable import MBGreens

@Suite("Meshes")
struct MeshTests {
    @Test("Matsubara frequencies follow ω_n = (2n+1)π/β and Ω_n = 2nπ/β")
    func matsubaraFrequencies() throws {
        let fermion = try MatsubaraMesh(beta: 10, count: 4)
        let boson = try MatsubaraMesh(beta: 10, count: 4, statistic: .boson)
        for n in 0..<4 {
            #expect(abs(fermion.points[n] - Double(2 * n + 1) * .pi / 10) < 1e-15)
            #expect(abs(boson.points[n] - Double(2 * n) * .pi / 10) < 1e-15)
            #expect(fermion.imaginaryFrequencies[n] == Complex(0, fermion.points[n]))
        }
        #expect(fermion != boson)
        #expect(try MatsubaraMesh(beta: 10, count: 4) == fermion)
    }

    @Test("imaginary-time mesh includes both ends: τ_k = kβ/(n − 1)")
    func imaginaryTimePoints() throws {
        let mesh = try ImaginaryTimeMesh(beta: 3, count: 4)
        #expect(mesh.points == [0, 1, 2, 3])
        #expect(mesh.spacing == 1)
        let odd = try ImaginaryTimeMesh(beta: 0.7, count: 11)
        #expect(odd.points.last == 0.7)
        #expect(odd.points.first == 0)
    }

    @Test("real-frequency mesh spans its closed range; Legendre points are the orders")
    func realFrequencyAndLegendre() throws {
        let mesh = try RealFrequencyMesh(range: -2...2, count: 5)
        #expect(mesh.points == [-2, -1, 0, 1, 2])
        #expect(try LegendreMesh(beta: 5, count: 3).points == [0, 1, 2])
    }

    @Test("invalid meshes throw typed errors")
    func validation() {
        #expect(throws: GreensFunctionError.nonPositiveBeta(0)) { try MatsubaraMesh(beta: 0, count: 10) }
        #expect(throws: GreensFunctionError.nonPositiveBeta(-1)) { try ImaginaryTimeMesh(beta: -1, count: 10) }
        #expect(throws: GreensFunctionError.self) { try LegendreMesh(beta: .nan, count: 10) }
        #expect(throws: GreensFunctionError.self) { try LegendreMesh(beta: .infinity, count: 10) }
        #expect(throws: GreensFunctionError.tooFewPoints(mesh: "Matsubara mesh", count: 0, minimum: 1)) {
            try MatsubaraMesh(beta: 1, count: 0)
        }
        #expect(throws: GreensFunctionError.tooFewPoints(mesh: "imaginary-time mesh", count: 1, minimum: 2)) {
            try ImaginaryTimeMesh(beta: 1, count: 1)
        }
        #expect(throws: GreensFunctionError.tooFewPoints(mesh: "Legendre mesh", count: -3, minimum: 1)) {
            try LegendreMesh(beta: 1, count: -3)
        }
        #expect(throws: GreensFunctionError.invalidFrequencyRange(lower: 1, upper: 1)) {
            try RealFrequencyMesh(range: 1...1, count: 10)
        }
        #expect(throws: GreensFunctionError.self) { try RealFrequencyMesh(range: -1...1, count: 1) }
        #expect(GreensFunctionError.nonPositiveBeta(0).description.contains("β"))
    }
}
