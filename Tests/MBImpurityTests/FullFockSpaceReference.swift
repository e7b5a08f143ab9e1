import ComplexModule
import RealModule
import Foundation
import MBImpurity
import MBTensor

/// An independent exact solution of the Anderson model for the tests: the whole Fock space
/// (2^{2(Nb+1)} states) with Jordan–Wigner matrices for every annihilator, a dense H built
/// from operator products, one dense diagonalisation, and the textbook Lehmann sums.
///
/// Deliberately unlike the solver: the modes are interleaved (mode 2k + s for orbital k,
/// spin s = 0 up / 1 down, k = 0 the impurity), there are no particle-number blocks, and
/// every matrix is built by multiplying operators rather than by bit manipulation.
struct FullFockSpaceReference {
    let energies: [Double]
    /// ⟨m|c†_{0σ}|n⟩ in the eigenbasis, [dim, dim] row-major (m = row, n = column).
    let creationUp: [Double]
    let creationDown: [Double]
    let dimension: Int
    let beta: Double
    let boltzmann: [Double]
    let z: Double
    let occupationUp: Double
    let occupationDown: Double
    let doubleOccupancy: Double
    let energy: Double

    init(model: AndersonImpurityModel) throws {
        let orbitals = model.bathSiteCount + 1
        let modes = 2 * orbitals
        let dim = 1 << modes
        dimension = dim
        beta = model.beta
        func annihilator(_ mode: Int) -> Tensor<Double> {
            var m = [Double](repeating: 0, count: dim * dim)
            for x in 0..<dim where (x >> mode) & 1 == 1 {
                let parity = (x & ((1 << mode) - 1)).nonzeroBitCount
                m[(x ^ (1 << mode)) * dim + x] = parity % 2 == 0 ? 1 : -1
            }
            return Tensor(shape: [dim, dim], scalars: m)
        }
        let c = (0..<modes).map(annihilator)
        func number(_ mode: Int) -> Tensor<Double> { Tensor.matmul(c[mode], c[mode], transposeA: true) }
        func mode(_ orbital: Int, _ spin: Int) -> Int { 2 * orbital + spin }
        let nUp = number(mode(0, 0)), nDown = number(mode(0, 1))
        let doubleOperator = Tensor.matmul(nUp, nDown)
        var h = doubleOperator * model.U - (nUp + nDown) * model.mu
        for i in 0..<model.bathSiteCount {
            for spin in 0..<2 {
                let a = c[mode(i + 1, spin)], d = c[mode(0, spin)]
                h = h + number(mode(i + 1, spin)) * model.bathEnergies[i]
                let hop = Tensor.matmul(d, a, transposeA: true)  // c†_0 a_i
                h = h + (hop + hop.transposed()) * model.bathHoppings[i]
            }
        }
        let eig = try LinearAlgebra.symmetricEigen(h)
        let u = eig.eigenvectors
        energies = eig.eigenvalues.scalars
        func inEigenbasis(_ o: Tensor<Double>) -> Tensor<Double> {
            Tensor.matmul(Tensor.matmul(u, o, transposeA: true), u)
        }
        creationUp = inEigenbasis(c[mode(0, 0)].transposed()).scalars
        creationDown = inEigenbasis(c[mode(0, 1)].transposed()).scalars
        let e0 = eig.eigenvalues.scalars.min()!
        let weights = eig.eigenvalues.scalars.map { exp(-model.beta * ($0 - e0)) }
        let zSum = weights.reduce(0, +)
        boltzmann = weights
        z = zSum
        func thermal(_ o: Tensor<Double>) -> Double {
            let diagonal = Tensor.matmul(Tensor.matmul(u, o, transposeA: true), u).scalars
            return (0..<dim).reduce(0) { $0 + weights[$1] * diagonal[$1 * dim + $1] } / zSum
        }
        occupationUp = thermal(nUp)
        occupationDown = thermal(nDown)
        doubleOccupancy = thermal(doubleOperator)
        energy = thermal(h)
    }

    /// G_σ(iω_n) = Σ_{n,m} |⟨m|c†|n⟩|² (b_n + b_m)/Z / (iω_n + E_n − E_m).
    func greensFunction(count: Int, spinUp: Bool = true) -> [Complex<Double>] {
        let matrix = spinUp ? creationUp : creationDown
        return (0..<count).map { k in
            let z = Complex<Double>(0, Double(2 * k + 1) * .pi / beta)
            var g = Complex<Double>.zero
            for m in 0..<dimension {
                for n in 0..<dimension {
                    let a = matrix[m * dimension + n]
                    guard a != 0 else { continue }
                    g += Complex(a * a * (boltzmann[n] + boltzmann[m]) / self.z) / (z + Complex(energies[n] - energies[m]))
                }
            }
            return g
        }
    }

    /// G↑(τ) = −Σ_{n,m} |⟨m|c†|n⟩|² e^{−(β−τ)E_n} e^{−τE_m}/Z (energies shifted by E0).
    func imaginaryTime(_ taus: [Double]) -> [Double] {
        let e0 = energies.min()!
        return taus.map { tau in
            var g = 0.0
            for m in 0..<dimension {
                for n in 0..<dimension {
                    let a = creationUp[m * dimension + n]
                    guard a != 0 else { continue }
                    g -= a * a * exp(-(beta - tau) * (energies[n] - e0) - tau * (energies[m] - e0)) / z
                }
            }
            return g
        }
    }
}
