import CKernels

/// Integer indices with a shape, for `gathering(_:alongAxis:)` and `scatteringAdd` in the
/// style of `torch.gather` / `torch.scatter_add`.
public struct TensorIndices: Sendable, Equatable {
    public let shape: [Int]
    /// Row-major index values.
    public let values: [Int]

    public init(shape: [Int], values: [Int]) {
        precondition(shape.reduce(1, *) == values.count, "index shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }

    /// Indices from a tensor holding integral values (e.g. class labels stored as floats).
    public init<S: TensorScalar>(_ tensor: Tensor<S>) {
        var values = [Int](repeating: 0, count: tensor.count)
        let bad = values.withUnsafeMutableBufferPointer { out -> Int in
            guard let base = out.baseAddress, tensor.count > 0 else { return -1 }
            return Tensor<S>.isSinglePrecision
                ? mb_integral_indices_f32(tensor.floatPointer, base, tensor.count)
                : mb_integral_indices_f64(tensor.doublePointer, base, tensor.count)
        }
        precondition(bad < 0, "index tensor element \(bad) (\(bad >= 0 ? tensor.scalars[bad] : 0)) is not an integer")
        self.init(shape: tensor.shape, values: values)
    }
}

extension Tensor {
    /// `index_select`: the slices `indices[k]` of `axis`, in that order (repeats allowed).
    /// Result shape: `shape` with `shape[axis]` replaced by `indices.count`. The pullback is a
    /// scatter-add of the cotangent back to those slices.
    public func gathering(indices: [Int], alongAxis axis: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        let geometry = RowGeometry(shape: shape, axis: a)
        var outShape = shape
        outShape[a] = indices.count
        return gatheredFlat(Tensor.indexSelectOffsets(indices, geometry: geometry, axis: axis, shape: shape), shape: outShape)
    }

    /// Adds `source` into the slices `indices[k]` of `axis` (repeated indices accumulate): the
    /// adjoint of `gathering(indices:alongAxis:)`. `source` has `self`'s shape with
    /// `shape[axis]` replaced by `indices.count`. Differentiable in `self` and `source`.
    public func scatteringAdd(_ source: Tensor, indices: [Int], alongAxis axis: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank)
        var sourceShape = shape
        sourceShape[a] = indices.count
        precondition(source.shape == sourceShape, "scatter-add source shape \(source.shape) should be \(sourceShape) for \(indices.count) indices into \(shape)")
        let offsets = Tensor.indexSelectOffsets(indices, geometry: RowGeometry(shape: shape, axis: a), axis: axis, shape: shape)
        return self + source.scatterAddedFlat(offsets, into: shape)
    }

    /// `torch.gather`: result[p] = self[p with coordinate `axis` replaced by index[p]], with the
    /// index's rank equal to `self`'s and its extents not larger except along `axis`. Result
    /// shape = index shape.
    public func gathering(_ index: TensorIndices, alongAxis axis: Int) -> Tensor {
        gatheredFlat(gatherOffsets(index, alongAxis: axis), shape: index.shape)
    }

    /// `torch.gather` with the index given as a tensor of integral values.
    public func gathering(_ index: Tensor, alongAxis axis: Int) -> Tensor {
        gathering(TensorIndices(index), alongAxis: axis)
    }

    /// `torch.scatter_add`: `self` plus `source` added at self[p with coordinate `axis`
    /// replaced by index[p]] for each position p of `source` (shape = index shape). The adjoint
    /// of `gathering(_:alongAxis:)`; differentiable in `self` and `source`.
    public func scatteringAdd(_ source: Tensor, at index: TensorIndices, alongAxis axis: Int) -> Tensor {
        precondition(source.shape == index.shape, "scatter-add source shape \(source.shape) differs from index shape \(index.shape)")
        return self + source.scatterAddedFlat(gatherOffsets(index, alongAxis: axis), into: shape)
    }

    /// `torch.scatter_add` with the index given as a tensor of integral values.
    public func scatteringAdd(_ source: Tensor, at index: Tensor, alongAxis axis: Int) -> Tensor {
        scatteringAdd(source, at: TensorIndices(index), alongAxis: axis)
    }

    /// Flat element offsets into `self` of a torch.gather-style index.
    func gatherOffsets(_ index: TensorIndices, alongAxis axis: Int) -> [Int] {
        let a = Shape.axis(axis, rank: rank)
        precondition(index.shape.count == rank && (0..<rank).allSatisfy { $0 == a || index.shape[$0] <= shape[$0] },
                     "gather index shape \(index.shape) incompatible with tensor shape \(shape) along axis \(axis)")
        precondition(rank <= 16, "gather supports rank ≤ 16, got shape \(shape)")
        var offsets = [Int](repeating: 0, count: index.values.count)
        guard !offsets.isEmpty else { return offsets }
        let bad = offsets.withUnsafeMutableBufferPointer { mb_gather_offsets(index.values, index.shape, shape, Int32(rank), Int32(a), $0.baseAddress!) }
        precondition(bad < 0, "gather index \(bad >= 0 ? index.values[bad] : 0) at position \(bad) out of range 0..<\(shape[a]) for axis \(axis) of shape \(shape)")
        return offsets
    }

    static func indexSelectOffsets(_ indices: [Int], geometry: RowGeometry, axis: Int, shape: [Int]) -> [Int] {
        var offsets = [Int](repeating: 0, count: geometry.outer * indices.count * geometry.inner)
        guard !offsets.isEmpty else { return offsets }
        let bad = offsets.withUnsafeMutableBufferPointer {
            mb_index_select_offsets(indices, indices.count, geometry.outer, geometry.extent, geometry.inner, $0.baseAddress!)
        }
        precondition(bad < 0, "index \(bad >= 0 ? indices[bad] : 0) out of range 0..<\(geometry.extent) for axis \(axis) of shape \(shape)")
        return offsets
    }

    /// result[i] = self[offsets[i]] (flat), reshaped to `shape`. Pullback: `scatterAddedFlat`.
    func gatheredFlat(_ offsets: [Int], shape newShape: [Int]) -> Tensor {
        let result = Tensor(uninitializedShape: newShape)
        if Tensor.isSinglePrecision { mb_gather_flat_f32(floatPointer, offsets, result.floatPointer, offsets.count) }
        else { mb_gather_flat_f64(doublePointer, offsets, result.doublePointer, offsets.count) }
        let inputShape = shape
        return Tensor.record("gather", output: result, input: self) { g, _ in [g.scatterAddedFlat(offsets, into: inputShape)] }
    }

    /// Zeros of `target` shape with self[i] added at flat offset offsets[i]. Pullback: `gatheredFlat`.
    func scatterAddedFlat(_ offsets: [Int], into target: [Int]) -> Tensor {
        precondition(offsets.count == count, "\(offsets.count) scatter offsets for \(count) elements")
        let result = Tensor(zeros: target)
        if Tensor.isSinglePrecision { mb_scatter_add_flat_f32(floatPointer, offsets, result.floatPointer, count) }
        else { mb_scatter_add_flat_f64(doublePointer, offsets, result.doublePointer, count) }
        let ownShape = shape
        return Tensor.record("scatterAdd", output: result, input: self) { g, _ in [g.gatheredFlat(offsets, shape: ownShape)] }
    }
}
