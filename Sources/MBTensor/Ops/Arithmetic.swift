import CKernels

extension Tensor {
    /// Element-wise binary kernel with broadcasting (no differentiation). Large outputs are
    /// cut into blocks of leading-axis rows (flat ranges when nothing broadcasts) computed on
    /// the workers; element-wise results do not depend on the split.
    @usableFromInline
    static func binaryValue(_ op: mb_binary_op, _ a: Tensor, _ b: Tensor) -> Tensor {
        let contiguous = a.shape == b.shape
        // With equal shapes the whole array is one flat row.
        let shape = contiguous ? [a.count] : Shape.broadcast(a.shape, b.shape)
        let result = Tensor(uninitializedShape: contiguous ? a.shape : shape)
        let aStrides = contiguous ? [1] : Shape.broadcastStrides(a.shape, to: shape)
        let bStrides = contiguous ? [1] : Shape.broadcastStrides(b.shape, to: shape)
        let rows = shape.first ?? 1, rowSize = shape.isEmpty ? 1 : result.count / Swift.max(rows, 1)
        let (pa, pb, py) = (a.storage.pointer, b.storage.pointer, result.storage.pointer)
        ComputeThreads.parallelFor(rows, minimumChunk: Swift.max(1, Elementwise.parallelGrain / Swift.max(rowSize, 1))) { range in
            var block = shape
            if !block.isEmpty { block[0] = range.count }
            Scalar.binaryKernel(op, pa + range.lowerBound * (aStrides.first ?? 0), aStrides,
                                pb + range.lowerBound * (bStrides.first ?? 0), bStrides,
                                py + range.lowerBound * rowSize, block, block.count)
        }
        return result
    }

    /// Sums a broadcast cotangent back to `shape` (the pullback of broadcasting).
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let offset = rank - target.count
        precondition(offset >= 0, "cannot sum shape \(shape) down to \(target)")
        var axes: [Int] = Array(0..<offset)
        for (i, extent) in target.enumerated() where extent == 1 && shape[i + offset] != 1 {
            axes.append(i + offset)
        }
        return sum(alongAxes: axes).reshaped(to: target)
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        record("add", output: binaryValue(MB_BINARY_ADD, a, b), a, b) { g, c in
            [c.needs[0] ? g.summed(toShape: c.inputs[0].shape) : nil,
             c.needs[1] ? g.summed(toShape: c.inputs[1].shape) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        record("subtract", output: binaryValue(MB_BINARY_SUB, a, b), a, b) { g, c in
            [c.needs[0] ? g.summed(toShape: c.inputs[0].shape) : nil,
             c.needs[1] ? (-g).summed(toShape: c.inputs[1].shape) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        record("multiply", output: binaryValue(MB_BINARY_MUL, a, b), a, b) { g, c in
            [c.needs[0] ? (g * c.inputs[1]).summed(toShape: c.inputs[0].shape) : nil,
             c.needs[1] ? (g * c.inputs[0]).summed(toShape: c.inputs[1].shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        record("divide", output: binaryValue(MB_BINARY_DIV, a, b), a, b) { g, c in
            [c.needs[0] ? (g / c.inputs[1]).summed(toShape: c.inputs[0].shape) : nil,
             c.needs[1] ? (-g * c.output / c.inputs[1]).summed(toShape: c.inputs[1].shape) : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor {
        record("negate", output: x.unaryValue(MB_UNARY_NEG), input: x) { g, _ in [-g] }
    }

    /// `a * self + b` element-wise with scalar constants.
    public func affine(scale a: Scalar, shift b: Scalar) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        Scalar.affineKernel(storage.pointer, result.storage.pointer, count, a, b)
        result.node = nil
        return Tensor.record("affine", output: result, input: self) { g, _ in [g.affine(scale: a, shift: 0)] }
    }

    public static func + (a: Tensor, b: Scalar) -> Tensor { a.affine(scale: 1, shift: b) }
    public static func + (a: Scalar, b: Tensor) -> Tensor { b.affine(scale: 1, shift: a) }
    public static func - (a: Tensor, b: Scalar) -> Tensor { a.affine(scale: 1, shift: -b) }
    public static func - (a: Scalar, b: Tensor) -> Tensor { b.affine(scale: -1, shift: a) }
    public static func * (a: Tensor, b: Scalar) -> Tensor { a.affine(scale: b, shift: 0) }
    public static func * (a: Scalar, b: Tensor) -> Tensor { b.affine(scale: a, shift: 0) }
    public static func / (a: Tensor, b: Scalar) -> Tensor { a.affine(scale: 1 / b, shift: 0) }
    public static func / (a: Scalar, b: Tensor) -> Tensor { a * b.reciprocal() }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }

    /// Element-wise power with broadcasting; `a ** b`'s pullback uses `log a` for the exponent
    /// and is only meaningful where `a > 0`.
    public func pow(_ exponent: Tensor) -> Tensor {
        Tensor.record("pow", output: Tensor.binaryValue(MB_BINARY_POW, self, exponent), self, exponent) { g, c in
            let (a, b) = (c.inputs[0], c.inputs[1])
            return [c.needs[0] ? (g * b * a.pow(b - 1)).summed(toShape: a.shape) : nil,
                    c.needs[1] ? (g * c.output * a.log()).summed(toShape: b.shape) : nil]
        }
    }

    public func pow(_ exponent: Scalar) -> Tensor {
        if exponent == 2 { return square() }
        return pow(Tensor(exponent))
    }

    /// Element-wise maximum; the cotangent goes to `self` where `self >= other`.
    public func maximum(_ other: Tensor) -> Tensor {
        Tensor.record("maximum", output: Tensor.binaryValue(MB_BINARY_MAX, self, other), self, other) { g, c in
            let mask = Tensor.binaryValue(MB_BINARY_GREATER_EQUAL, c.inputs[0].detached(), c.inputs[1].detached())
            return [c.needs[0] ? (g * mask).summed(toShape: c.inputs[0].shape) : nil,
                    c.needs[1] ? (g * (1 - mask)).summed(toShape: c.inputs[1].shape) : nil]
        }
    }

    /// Element-wise minimum; the cotangent goes to `self` where `self <= other`.
    public func minimum(_ other: Tensor) -> Tensor {
        Tensor.record("minimum", output: Tensor.binaryValue(MB_BINARY_MIN, self, other), self, other) { g, c in
            let mask = Tensor.binaryValue(MB_BINARY_LESS_EQUAL, c.inputs[0].detached(), c.inputs[1].detached())
            return [c.needs[0] ? (g * mask).summed(toShape: c.inputs[0].shape) : nil,
                    c.needs[1] ? (g * (1 - mask)).summed(toShape: c.inputs[1].shape) : nil]
        }
    }

    // Comparisons give 0/1 masks and are constants for differentiation.
    public static func .> (a: Tensor, b: Tensor) -> Tensor { binaryValue(MB_BINARY_GREATER, a.detached(), b.detached()) }
    public static func .< (a: Tensor, b: Tensor) -> Tensor { binaryValue(MB_BINARY_LESS, a.detached(), b.detached()) }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { binaryValue(MB_BINARY_GREATER_EQUAL, a.detached(), b.detached()) }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { binaryValue(MB_BINARY_LESS_EQUAL, a.detached(), b.detached()) }
    public static func .== (a: Tensor, b: Tensor) -> Tensor { binaryValue(MB_BINARY_EQUAL, a.detached(), b.detached()) }
    public static func .> (a: Tensor, b: Scalar) -> Tensor { a .> Tensor(b) }
    public static func .< (a: Tensor, b: Scalar) -> Tensor { a .< Tensor(b) }
}
