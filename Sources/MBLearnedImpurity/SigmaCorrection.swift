import ComplexModule
import RealModule
import Foundation
import MBImpurity

/// The `sigma` variant's way back from Σ³ to G (the seed's "learn Σ³, not Σ").
///
/// With Σ = Σ_IPT + Σ³ on the F lowest frequencies (Σ³ = 0 above) and Dyson's equation with the
/// problem's Δ,
///
///     G(iω_n) = 1/(iω_n + μ − Δ(iω_n) − Σ(iω_n)),   δG(iω_n) = G(iω_n) − G_IPT(iω_n),
///
/// (G_IPT from the same Dyson equation with Σ_IPT), and on the x grid
///
///     G(x_k) = G_IPT(x_k) + (2/β) Σ_{n<F} Re[δG(iω_n) e^{−iω_nτ_k}],   τ_k = β(1 + x_k)/2,
///
/// the Fourier series of δG truncated at F frequencies (δG decays like Σ³/ω_n²).
///
/// The network's target is Σ³ weighted by w_n = |G_IPT(iω_n) D|², s_n = w_n Σ³(iω_n)/D (real parts,
/// then imaginary parts): to first order δG = G² Σ³, so s_n is the size of the change of G it
/// causes (in units of 1/D), and an MSE on s weighs the frequencies and samples by their effect
/// on G. Unweighted, the loss is dominated by the huge low-frequency Σ³ of insulating samples
/// (Σ ~ U²/(4iω)), which hardly change G, and the trained network does worse than IPT.
public enum SigmaCorrection {
    /// w_n = |G_IPT(iω_n) D|², n < count.
    public static func weights(iptGreensFunction g: [Complex<Double>], halfBandwidth d: Double, count: Int) -> [Double] {
        (0..<count).map { n in
            let x = g[n] * Complex(d, 0)
            return max(x.lengthSquared, 1e-300)
        }
    }

    /// The network's target s = w Σ³/D from Σ³ (energy units).
    public static func target(_ correction: [Complex<Double>], weights w: [Double], halfBandwidth d: Double) -> [Double] {
        correction.enumerated().map { $0.element.real * w[$0.offset] / d } + correction.enumerated().map { $0.element.imaginary * w[$0.offset] / d }
    }

    /// ε of the regularised inverse below.
    public static let weightFloor = 0.01

    /// Σ³ in energy units from the network's output s (Re…, Im…): Σ³ = D s w/(w² + ε²), the
    /// inverse of the weighting where w ≫ ε = 0.01 and a smooth cut where |G_IPT D| ≲ 0.1 (ω ≳ 10D):
    /// there Σ³ changes G by only G²Σ³ ~ (D/ω)²Σ³, while D s/w would blow the network's residual
    /// noise up by 1/w and, through Dyson, make G diverge (seen at β = 1 with 64 frequencies up to ω ≈ 400D).
    public static func selfEnergyCorrection(_ output: [Double], weights w: [Double], halfBandwidth d: Double) -> [Complex<Double>] {
        let f = output.count / 2, e2 = weightFloor * weightFloor
        return (0..<f).map { n in
            let factor = d * w[n] / (w[n] * w[n] + e2)
            return Complex(output[n] * factor, output[f + n] * factor)
        }
    }

    /// G(iω_n), n < F, from Dyson with Σ_IPT + Σ³.
    public static func greensFunction(mu: Double, beta: Double, hybridization delta: [Complex<Double>],
                                      iptSelfEnergy sigma: [Complex<Double>], correction: [Complex<Double>]) -> [Complex<Double>] {
        (0..<correction.count).map { n in
            let omega = Double(2 * n + 1) * Double.pi / beta
            return 1 / (Complex(mu, omega) - delta[n] - sigma[n] - correction[n])
        }
    }

    /// G(x_k) on `points` (see the type's description).
    public static func imaginaryTime(points: [Double], iptImaginaryTime gIPT: [Double], mu: Double, beta: Double,
                                     hybridization delta: [Complex<Double>], iptSelfEnergy sigma: [Complex<Double>],
                                     correction: [Complex<Double>]) -> [Double] {
        let f = correction.count
        let withCorrection = greensFunction(mu: mu, beta: beta, hybridization: delta, iptSelfEnergy: sigma, correction: correction)
        let withoutCorrection = greensFunction(mu: mu, beta: beta, hybridization: delta, iptSelfEnergy: sigma,
                                               correction: Array(repeating: .zero, count: f))
        let difference = zip(withCorrection, withoutCorrection).map { $0 - $1 }
        return points.enumerated().map { k, x in
            var sum = 0.0
            for n in 0..<f {
                let phase = Double(2 * n + 1) * Double.pi * (1 + x) / 2
                sum += difference[n].real * Foundation.cos(phase) + difference[n].imaginary * Foundation.sin(phase)
            }
            return gIPT[k] + 2 / beta * sum
        }
    }
}
