import ComplexModule
import Foundation
@testable import MBGreens

/// The non-interacting impurity Green's function of a discrete bath,
/// G(z) = 1/(z + μ − Σ_i V_i²/(z − ε_i)), and its exact partial-fraction form
/// G(z) = Σ_p w_p/(z − E_p): the poles E_p are the roots of f(E) = E + μ − Σ V²/(E − ε)
/// (one below the lowest ε, one between each pair, one above the highest; f increases on each
/// bracket, so bisection finds them to rounding), the weights are w_p = 1/f′(E_p). Then
/// G(τ) = −Σ_p w_p e^{−τE_p}/(1 + e^{−βE_p}). An independent construction for the tests.
struct DiscreteBath {
    let chemicalPotential: Double
    let energies: [Double]
    let hoppings: [Double]
    let poles: [(energy: Double, weight: Double)]

    init(chemicalPotential: Double, energies: [Double], hoppings: [Double]) {
        self.chemicalPotential = chemicalPotential
        self.energies = energies
        self.hoppings = hoppings
        self.poles = Self.poles(chemicalPotential: chemicalPotential, energies: energies, hoppings: hoppings)
    }

    func value(at z: Complex<Double>) -> Complex<Double> {
        var hybridization = Complex<Double>.zero
        for (e, v) in zip(energies, hoppings) { hybridization += Complex(v * v) / (z - Complex(e)) }
        return 1 / (z + Complex(chemicalPotential) - hybridization)
    }

    /// c1 = 1, c2 = −μ, c3 = μ² + Σ V².
    var tail: HighFrequencyTail {
        HighFrequencyTail(c1: 1, c2: -chemicalPotential, c3: chemicalPotential * chemicalPotential + hoppings.reduce(0) { $0 + $1 * $1 })
    }

    private static func poles(chemicalPotential: Double, energies: [Double], hoppings: [Double]) -> [(energy: Double, weight: Double)] {
        func f(_ x: Double) -> Double {
            x + chemicalPotential - zip(energies, hoppings).reduce(0) { $0 + $1.1 * $1.1 / (x - $1.0) }
        }
        let sorted = energies.sorted()
        let radius = 10 + abs(chemicalPotential) + hoppings.reduce(0) { $0 + $1 * $1 } + sorted.map(abs).max()!
        let edges = [-radius] + sorted + [radius]
        return (0..<(edges.count - 1)).map { i in
            var lo = edges[i], hi = edges[i + 1]
            while true {
                let mid = 0.5 * (lo + hi)
                if mid <= lo || mid >= hi { break }
                if f(mid) < 0 { lo = mid } else { hi = mid }
            }
            let e = 0.5 * (lo + hi)
            let slope = 1 + zip(energies, hoppings).reduce(0) { $0 + $1.1 * $1.1 / ((e - $1.0) * (e - $1.0)) }
            return (e, 1 / slope)
        }
    }

    /// Exact G(τ), 0 ≤ τ ≤ β (ends as one-sided limits), overflow-free for either sign of E.
    func imaginaryTime(_ tau: Double, beta: Double) -> Double {
        poles.reduce(0) { sum, pole in
            let e = pole.energy
            let term = e >= 0 ? exp(-tau * e) / (1 + exp(-beta * e)) : exp((beta - tau) * e) / (exp(beta * e) + 1)
            return sum - pole.weight * term
        }
    }

    static let standard = DiscreteBath(chemicalPotential: 0.2, energies: [-1.0, -0.3, 0.4, 1.2], hoppings: [0.4, 0.3, 0.35, 0.5])
}

func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

func maximumDifference(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    zip(a, b).map { ($0 - $1).length }.max() ?? 0
}
