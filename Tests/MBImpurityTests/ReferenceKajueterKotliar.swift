import ComplexModule
import Foundation
import MBGreens
import MBImpurity

/// The Kajueter–Kotliar IPT as first written (commit ca7c9ee): occupations by a full FFT to
/// imaginary time, damped iteration of n, bisection in μ0. Kept only as the reference for the
/// faster solver (`IterativePerturbationTheory.solve(hybridization:U:mu:)`), which must agree
/// with it to 1e-8.
func referenceKajueterKotliar(_ ipt: IterativePerturbationTheory, hybridization delta: MatsubaraGreensFunction,
                              U: Double, mu: Double) throws -> (g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction,
                                                                occupation: Double, mu0: Double) {
    let mesh = delta.mesh
    let times = try ImaginaryTimeMesh(beta: mesh.beta, count: ipt.timeFactor * mesh.count + 1)
    func occupation(_ g: MatsubaraGreensFunction) throws -> Double {
        -(try g.fourierTransformed(to: times))[times.count - 1]
    }
    func attempt(_ mu0: Double) throws -> (g: MatsubaraGreensFunction, sigma: MatsubaraGreensFunction, n: Double, mu0: Double, mismatch: Double) {
        let weiss = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in 1 / (Complex(mu0, mesh.frequency(k)) - delta[k]) }
        let n0 = try occupation(weiss)
        let sigma2 = try ipt.secondOrderSelfEnergy(weissField: weiss, U: U)
        var n = n0, g = weiss, sigma = sigma2
        for _ in 0..<200 {
            let a = n * (1 - n) / (n0 * (1 - n0))
            let b = ((1 - n) * U - mu + mu0) / (n0 * (1 - n0) * U * U)
            sigma = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in
                Complex(U * n, 0) + Complex(a, 0) * sigma2[k] / (1 - Complex(b, 0) * sigma2[k])
            }
            g = MatsubaraGreensFunction(mesh: mesh) { (k: Int) in 1 / (Complex(mu, mesh.frequency(k)) - delta[k] - sigma[k]) }
            let updated = try occupation(g)
            if abs(updated - n) < 1e-12 { n = updated; break }
            n = 0.5 * n + 0.5 * updated
        }
        return (g, sigma, n, mu0, n0 - n)
    }
    if U == 0 { let s = try attempt(mu); return (s.g, s.sigma, s.n, s.mu0) }
    var low = mu - U - 1, high = mu + 1
    var lowMismatch = try attempt(low).mismatch, highMismatch = try attempt(high).mismatch
    var widen = 0
    while lowMismatch * highMismatch > 0 && widen < 20 {
        low -= 2 * U + 1
        high += 2 * U + 1
        lowMismatch = try attempt(low).mismatch
        highMismatch = try attempt(high).mismatch
        widen += 1
    }
    var best = try attempt((low + high) / 2)
    for _ in 0..<60 {
        let middle = (low + high) / 2
        best = try attempt(middle)
        if abs(best.mismatch) < 1e-11 || high - low < 1e-12 { break }
        if (best.mismatch < 0) == (lowMismatch < 0) { low = middle; lowMismatch = best.mismatch } else { high = middle }
    }
    return (best.g, best.sigma, best.n, best.mu0)
}
