import ComplexModule
import Foundation
import RealModule

extension GreensFunction where MeshType == MatsubaraMesh {
    /// G(τ) = T Σ_n G(iω_n) e^{−iω_nτ} on `mesh` (sum over all n, negative n by conjugation).
    ///
    /// The tail c1/(iω) + c2/(iω)² + c3/(iω)³ is subtracted before the (FFTW) sum and added back
    /// in closed form (``HighFrequencyTail/imaginaryTime(_:beta:statistic:)``), so the finite sum
    /// only carries a remainder that decays as 1/ω⁴: its truncation error is about
    /// (2/β) Σ_{n ≥ N} |c4|/ω_n⁴ ≈ |c4| β³/(24 π⁴ N³). With `tail == nil` c2 and c3 are fitted
    /// with c1 fixed (``HighFrequencyTail/fitted(to:c1:fraction:)``). The end points are the
    /// one-sided limits G(0⁺), G(β⁻). With τ_k = kβ/L (L = count − 1) the sum is a length-L DFT
    /// of the frequencies folded modulo L, so any number of frequencies works with any mesh.
    ///
    /// Throws if β differs between the meshes, for non-finite values, or when a fit is needed
    /// and the mesh has fewer than 4 (fitted) frequencies.
    public func fourierTransformed(to mesh: ImaginaryTimeMesh, tail: HighFrequencyTail? = nil,
                                   c1: Double = 1) throws(GreensFunctionError) -> ImaginaryTimeGreensFunction {
        guard mesh.beta == self.mesh.beta else { throw .meshMismatch(self.mesh.description, mesh.description) }
        guard !hasNonFiniteValues else { throw .nonFiniteValues("Matsubara Green's function") }
        let expansion: HighFrequencyTail
        if let tail { expansion = tail } else { expansion = try HighFrequencyTail.fitted(to: self, c1: c1) }
        let beta = mesh.beta
        let statistic = self.mesh.statistic
        let intervals = mesh.count - 1
        var folded = [Complex<Double>](repeating: .zero, count: intervals)
        for n in 0..<count {
            let remainder = values[n] - expansion.value(at: Complex(0, self.mesh.frequency(n)))
            folded[n % intervals] += remainder
        }
        let sums = FFTW.transform(folded, direction: .forward)
        let zeroFrequency = statistic == .boson ? (values[0] - expansion.value(at: .zero)).real : 0
        let result = (0...intervals).map { k -> Double in
            let tau = mesh.time(k)
            var sum = sums[k % intervals]
            if statistic == .fermion {
                sum = sum * Complex(cos(Double.pi * Double(k) / Double(intervals)), -sin(Double.pi * Double(k) / Double(intervals)))
            }
            return (2 * sum.real - zeroFrequency) / beta + expansion.imaginaryTime(tau, beta: beta, statistic: statistic)
        }
        return ImaginaryTimeGreensFunction(uncheckedMesh: mesh, values: result)
    }
}

extension GreensFunction where MeshType == ImaginaryTimeMesh {
    /// G(iω_n) = ∫₀^β dτ e^{iω_nτ} G(τ) on `mesh` (fermionic or bosonic).
    ///
    /// The tail's imaginary-time function is subtracted, which removes the jump of G and of its
    /// first two derivatives at the boundary; the smooth (anti)periodic remainder is interpolated
    /// by the (anti)periodic cubic spline through the samples and integrated exactly against
    /// e^{iωτ}: for a uniform spline that is h·W(ωh)·Σ_k f_k e^{iωτ_k} with the attenuation
    /// factor W(θ) = (sin(θ/2)/(θ/2))⁴ · 3/(2 + cos θ) (cubic B-spline transform over the
    /// interpolation condition), so one FFTW transform serves all frequencies. The tail is added
    /// back exactly, so frequencies beyond the τ mesh's Nyquist limit keep their 1/(iω) form.
    /// The error is the spline's, O(h⁴) with h = β/(count − 1). With `tail == nil` the tail is
    /// read off the data (``HighFrequencyTail/estimated(from:statistic:)``); since the spline
    /// carries whatever the tail misses, errors in c2, c3 only matter near the Nyquist frequency.
    ///
    /// Throws if β differs between the meshes or for non-finite values.
    public func fourierTransformed(to mesh: MatsubaraMesh,
                                   tail: HighFrequencyTail? = nil) throws(GreensFunctionError) -> MatsubaraGreensFunction {
        guard mesh.beta == self.mesh.beta else { throw .meshMismatch(self.mesh.description, mesh.description) }
        guard !hasNonFiniteValues else { throw .nonFiniteValues("imaginary-time Green's function") }
        let statistic = mesh.statistic
        let tail = tail ?? HighFrequencyTail.estimated(from: self, statistic: statistic)
        let beta = mesh.beta
        let intervals = count - 1
        let h = self.mesh.spacing
        let remainder = (0...intervals).map { values[$0] - tail.imaginaryTime(self.mesh.time($0), beta: beta, statistic: statistic) }
        // One period of samples; the two ends of the data both describe the point τ = 0 ≡ β.
        var samples = [Complex<Double>](repeating: .zero, count: intervals)
        let boundary = statistic == .fermion
            ? (remainder[0] - remainder[intervals]) / 2
            : (remainder[0] + remainder[intervals]) / 2
        for k in 0..<intervals {
            let f = k == 0 ? boundary : remainder[k]
            if statistic == .fermion {
                let phase = Double.pi * Double(k) / Double(intervals)
                samples[k] = Complex(f * cos(phase), f * sin(phase))
            } else {
                samples[k] = Complex(f)
            }
        }
        let sums = FFTW.transform(samples, direction: .backward)
        let result = (0..<mesh.count).map { n -> Complex<Double> in
            let omega = mesh.frequency(n)
            let weight = h * splineAttenuation(omega * h)
            return sums[n % intervals].multiplied(by: weight) + tail.value(at: Complex(0, omega))
        }
        return MatsubaraGreensFunction(uncheckedMesh: mesh, values: result)
    }
}

/// W(θ) = (sin(θ/2)/(θ/2))⁴ · 3/(2 + cos θ): the ratio of the Fourier integral of the periodic
/// cubic spline through uniform samples to the samples' discrete sum (W(0) = 1).
func splineAttenuation(_ theta: Double) -> Double {
    let half = theta / 2
    let sinc = abs(half) < 1e-4 ? 1 - half * half / 6 : sin(half) / half
    let sinc2 = sinc * sinc
    return sinc2 * sinc2 * 3 / (2 + cos(theta))
}
