import CKernels

extension Tensor {
    /// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016):
    /// y = (x − μ) / √(σ² + ε) · gain + bias, with μ and σ² (population variance) per row.
    ///
    /// `gain` and `bias` have shape [features] (the last extent) or are omitted. The forward
    /// pass is one fused kernel. The pullback is a fused kernel when no higher-order graph is
    /// being built, and the same formula in tensor operations otherwise, so it can be
    /// differentiated again.
    public func layerNormalized(gain: Tensor? = nil, bias: Tensor? = nil, epsilon: Scalar = 1e-5) -> Tensor {
        precondition(rank >= 1, "layer norm needs rank ≥ 1, got shape \(shape)")
        let n = shape[rank - 1], rows = count / Swift.max(n, 1)
        if let gain { precondition(gain.shape == [n], "layer norm gain shape \(gain.shape) does not match features of \(shape)") }
        if let bias { precondition(bias.shape == [n], "layer norm bias shape \(bias.shape) does not match features of \(shape)") }
        let result = Tensor(uninitializedShape: shape)
        let geometry = RowGeometry(shape: [rows, n], axis: 1)
        geometry.parallelRows { range, offset in
            if Tensor.isSinglePrecision {
                mb_layer_norm_f32(floatPointer + offset, gain?.floatPointer, bias?.floatPointer, result.floatPointer + offset,
                                  range.count, n, Float(epsilon))
            } else {
                mb_layer_norm_f64(doublePointer + offset, gain?.doublePointer, bias?.doublePointer, result.doublePointer + offset,
                                  range.count, n, Double(epsilon))
            }
        }
        var inputs = [self]
        let gainIndex = gain.map { _ in inputs.count }
        if let gain { inputs.append(gain) }
        let biasIndex = bias.map { _ in inputs.count }
        if let bias { inputs.append(bias) }
        return Tensor.record("layerNorm", output: result, inputs: inputs) { g, c in
            let x = c.inputs[0]
            let gainValue = gainIndex.map { c.inputs[$0] }
            var cotangents = [Tensor?](repeating: nil, count: c.inputs.count)
            if !g.isTracked && c.inputs.allSatisfy({ !$0.isTracked }) {
                let (dx, dgain, dbias) = Tensor.layerNormBackwardValue(
                    g, x, gain: gainValue, needsGain: gainIndex.map { c.needs[$0] } ?? false,
                    needsBias: biasIndex.map { c.needs[$0] } ?? false, epsilon: epsilon)
                cotangents[0] = c.needs[0] ? dx : nil
                if let i = gainIndex { cotangents[i] = dgain }
                if let i = biasIndex { cotangents[i] = dbias }
                return cotangents
            }
            let centred = x - x.mean(alongAxes: [-1], keepingDimensions: true)
            let rstd = (centred.square().mean(alongAxes: [-1], keepingDimensions: true) + epsilon).rsqrt()
            let normalized = centred * rstd
            if c.needs[0] {
                let gh = gainValue.map { g * $0 } ?? g
                cotangents[0] = rstd * (gh - gh.mean(alongAxes: [-1], keepingDimensions: true)
                    - normalized * (gh * normalized).mean(alongAxes: [-1], keepingDimensions: true))
            }
            if let i = gainIndex, c.needs[i] { cotangents[i] = (g * normalized).summed(toShape: [n]) }
            if let i = biasIndex, c.needs[i] { cotangents[i] = g.summed(toShape: [n]) }
            return cotangents
        }
    }

    /// Fused layer-norm pullback: dx, and Σ_rows g·x̂, Σ_rows g when asked (no differentiation).
    /// Row chunks accumulate their own partial sums, added in a fixed order (deterministic).
    static func layerNormBackwardValue(
        _ g: Tensor, _ x: Tensor, gain: Tensor?, needsGain: Bool, needsBias: Bool, epsilon: Scalar
    ) -> (Tensor, Tensor?, Tensor?) {
        let n = x.shape[x.rank - 1], rows = x.count / Swift.max(n, 1)
        let dx = Tensor(uninitializedShape: x.shape)
        let chunks = Swift.max(1, ComputeThreads.count)
        let partialGain = Tensor(zeros: [chunks, n]), partialBias = Tensor(zeros: [chunks, n])
        let chunkSize = (rows + chunks - 1) / chunks
        ComputeThreads.parallelFor(chunks) { chunkRange in
            for chunk in chunkRange {
                let start = chunk * chunkSize, end = Swift.min(rows, start + chunkSize)
                guard start < end else { continue }
                let offset = start * n
                if isSinglePrecision {
                    mb_layer_norm_backward_f32(g.floatPointer + offset, x.floatPointer + offset, gain?.floatPointer,
                                               dx.floatPointer + offset, needsGain ? partialGain.floatPointer + chunk * n : nil,
                                               needsBias ? partialBias.floatPointer + chunk * n : nil, end - start, n, Float(epsilon))
                } else {
                    mb_layer_norm_backward_f64(g.doublePointer + offset, x.doublePointer + offset, gain?.doublePointer,
                                               dx.doublePointer + offset, needsGain ? partialGain.doublePointer + chunk * n : nil,
                                               needsBias ? partialBias.doublePointer + chunk * n : nil, end - start, n, Double(epsilon))
                }
            }
        }
        return (dx, needsGain ? partialGain.sumValue(axis: 0) : nil, needsBias ? partialBias.sumValue(axis: 0) : nil)
    }
}
