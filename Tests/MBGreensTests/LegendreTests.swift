import ComplexModule
import Foundation
import MBTensor
import Testing
@testable import MBGreens

/// Measured: β = 10, 2049 τ, 50 coefficients: max |ΔG_l| 7.8e-13 against quadrature of the exact
/// G(τ), G_l → τ 3.9e-13, G_l → iω 2.9e-13; β = 50, 4097 τ, 120 coefficients: τ → l → τ 1.6e-11,
/// Legendre and Fourier routes to G(iω) agree to 5e-13.
@Suite("Legendre representation")
struct LegendreTests {
    let bath = DiscreteBath.standard

    @Test("Legendre polynomials: end values, P_2, orthogonality under Gauss–Legendre quadrature")
    func polynomials() {
        let p1 = LegendreBasis.polynomials(count: 30, at: 1), pm1 = LegendreBasis.polynomials(count: 30, at: -1)
        for l in 0..<30 {
            #expect(abs(p1[l] - 1) < 1e-13)
            #expect(abs(pm1[l] - (l % 2 == 0 ? 1 : -1)) < 1e-13)
        }
        #expect(abs(LegendreBasis.polynomials(count: 3, at: 0.3)[2] - (3 * 0.09 - 1) / 2) < 1e-15)
        let rule = GaussLegendre.rule(points: 40)
        #expect(abs(rule.weights.reduce(0, +) - 2) < 1e-13)
        let values = rule.nodes.map { LegendreBasis.polynomials(count: 30, at: $0) }
        for l in [0, 3, 17, 29] {
            for m in [0, 3, 16, 29] {
                let integral = zip(values, rule.weights).reduce(0) { $0 + $1.0[l] * $1.0[m] * $1.1 }
                #expect(abs(integral - (l == m ? 2 / Double(2 * l + 1) : 0)) < 1e-13)
            }
        }
    }

    @Test("spherical Bessel functions: closed forms, both recurrences agree, huge arguments")
    func sphericalBessel() {
        for x in [0.3, 1.5707963267948966, 3.141592653589793, 7.0, 55.0, 6434.0] {
            let j = LegendreBasis.sphericalBessel(count: 3, at: x)
            let j0 = sin(x) / x, j1 = sin(x) / (x * x) - cos(x) / x
            let j2 = (3 / (x * x) - 1) * sin(x) / x - 3 * cos(x) / (x * x)
            #expect(abs(j[0] - j0) < 1e-14 && abs(j[1] - j1) < 1e-14 && abs(j[2] - j2) < 1e-13, "x = \(x): \(j)")
        }
        // Where both are valid (l < x) the upward and Miller recurrences agree.
        for x in [40.5, 80.1, 157.1] {
            let count = Int(x)
            let upward = LegendreBasis.sphericalBesselUpward(count: count, at: x)
            let miller = LegendreBasis.sphericalBesselMiller(count: count, at: x)
            #expect(maximumDifference(upward, miller) < 1e-12, "x = \(x)")
        }
        // Small argument: j_l(x) ≈ x^l/(2l+1)!! deep in the decaying region.
        let x = 0.5
        let j = LegendreBasis.sphericalBessel(count: 30, at: x)
        var doubleFactorial = 1.0
        for l in 1...20 { doubleFactorial *= Double(2 * l + 1) }
        let leading = pow(x, 20) / doubleFactorial * (1 - x * x / (2 * 43))
        #expect(abs(j[20] / leading - 1) < 1e-4)
        // Large argument: x j_l(x) = sin(x − lπ/2) + cos(x − lπ/2) l(l+1)/(2x) + O(x⁻²).
        let huge = 6434.0
        let large = LegendreBasis.sphericalBessel(count: 6, at: huge)
        let phase = huge - 5 * Double.pi / 2
        #expect(abs(huge * large[5] - (sin(phase) + cos(phase) * 30 / (2 * huge))) < 1e-5)
    }

    @Test("T_nl equals direct quadrature of √(2l+1)/β ∫ e^{iωτ} P_l(2τ/β − 1) dτ")
    func transformationMatrix() {
        let rule = GaussLegendre.rule(points: 200)
        for statistic in Statistic.allCases {
            for n in [0, 1, 2, 7, 30] {
                let t = LegendreBasis.matsubaraCoefficients(frequencyIndex: n, count: 40, statistic: statistic)
                // In x = 2τ/β − 1: (√(2l+1)/2) ∫ e^{i(ωβ/2)(x+1)} P_l(x) dx.
                let a = statistic == .fermion ? Double(2 * n + 1) * .pi / 2 : Double(2 * n) * .pi / 2
                for l in [0, 1, 5, 12, 39] {
                    var sum = Complex<Double>.zero
                    for (x, w) in zip(rule.nodes, rule.weights) {
                        let p = LegendreBasis.polynomials(count: l + 1, at: x)[l]
                        sum += Complex(cos(a * (x + 1)), sin(a * (x + 1))).multiplied(by: w * p)
                    }
                    sum = sum.multiplied(by: Double(2 * l + 1).squareRoot() / 2)
                    #expect((sum - t[l]).length < 1e-12, "\(statistic) n = \(n), l = \(l): \(sum) vs \(t[l])")
                }
            }
        }
    }

    /// Reference coefficients by 400-point Gauss–Legendre quadrature of the exact G(τ).
    func exactCoefficients(beta: Double, count: Int) -> [Double] {
        let rule = GaussLegendre.rule(points: 400)
        var result = [Double](repeating: 0, count: count)
        for (x, w) in zip(rule.nodes, rule.weights) {
            let g = bath.imaginaryTime(beta * (x + 1) / 2, beta: beta)
            let p = LegendreBasis.polynomials(count: count, at: x)
            for l in 0..<count { result[l] += w * beta / 2 * p[l] * g }
        }
        return result.enumerated().map { Double(2 * $0.offset + 1).squareRoot() * $0.element }
    }

    @Test("τ → G_l on a 2049-point mesh matches quadrature of the exact G(τ); G_l → τ and → iω reproduce the exact G")
    func knownGreensFunction() throws {
        let beta = 10.0
        let times = try ImaginaryTimeMesh(beta: beta, count: 2049)
        let g = ImaginaryTimeGreensFunction(mesh: times) { bath.imaginaryTime($0, beta: beta) }
        let legendre = try g.legendreTransformed(to: try LegendreMesh(beta: beta, count: 50))
        let exact = exactCoefficients(beta: beta, count: 50)
        let coefficientError = maximumDifference(legendre.values, exact)
        #expect(coefficientError < 5e-12, "max |ΔG_l| = \(coefficientError)")
        #expect(abs(legendre.values[49]) < 1e-12, "coefficients have decayed: G_49 = \(legendre.values[49])")
        let back = try legendre.imaginaryTime(on: times)
        #expect(maximumDifference(back.values, g.values) < 2e-12)
        #expect(abs(back.values.first! + back.values.last! + 1) < 1e-10)
        let frequencies = try MatsubaraMesh(beta: beta, count: 300)
        let matsubara = try legendre.matsubara(on: frequencies)
        let exactMatsubara = MatsubaraGreensFunction(mesh: frequencies) { bath.value(at: $0) }
        #expect(maximumDifference(matsubara.values, exactMatsubara.values) < 2e-12)
        let tail = legendre.highFrequencyTail
        #expect(abs(tail.c1 - 1) < 1e-10 && abs(tail.c2 - bath.tail.c2) < 1e-8 && abs(tail.c3 - bath.tail.c3) < 1e-8, "\(tail)")
    }

    @Test("β = 50: Legendre round trip τ → l → τ and agreement with the Fourier transform")
    func lowTemperature() throws {
        let beta = 50.0
        let times = try ImaginaryTimeMesh(beta: beta, count: 4097)
        let g = ImaginaryTimeGreensFunction(mesh: times) { bath.imaginaryTime($0, beta: beta) }
        let legendre = try g.legendreTransformed(to: try LegendreMesh(beta: beta, count: 120))
        let back = try legendre.imaginaryTime(on: times)
        #expect(maximumDifference(back.values, g.values) < 1e-10)
        let frequencies = try MatsubaraMesh(beta: beta, count: 512)
        let viaLegendre = try legendre.matsubara(on: frequencies)
        let viaFourier = try g.fourierTransformed(to: frequencies)
        #expect(maximumDifference(viaLegendre.values, viaFourier.values) < 1e-11)
    }

    @Test("mismatched β throws")
    func errors() throws {
        let g = ImaginaryTimeGreensFunction(zerosOn: try ImaginaryTimeMesh(beta: 5, count: 11))
        #expect(throws: GreensFunctionError.self) { try g.legendreTransformed(to: try LegendreMesh(beta: 6, count: 10)) }
        let l = LegendreGreensFunction(zerosOn: try LegendreMesh(beta: 5, count: 10))
        #expect(throws: GreensFunctionError.self) { try l.matsubara(on: try MatsubaraMesh(beta: 4, count: 10)) }
        #expect(throws: GreensFunctionError.self) { try l.imaginaryTime(on: try ImaginaryTimeMesh(beta: 4, count: 10)) }
    }
}
