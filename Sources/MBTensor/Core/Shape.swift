/// Shape arithmetic shared by the operations.
public enum Shape {
    /// Row-major element strides of a contiguous array.
    @inlinable
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = s
            s *= shape[axis]
        }
        return strides
    }

    /// NumPy broadcasting: shapes are right-aligned, and each pair of extents must be equal or 1.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            precondition(x == y || x == 1 || y == 1, "shapes \(a) and \(b) cannot be broadcast together")
            result[i] = x == 1 ? y : x
        }
        return result
    }

    /// Strides for reading an array of `shape` as if it had `target` shape (0 on broadcast axes).
    public static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        precondition(offset >= 0, "shape \(shape) cannot be broadcast to \(target)")
        return (0..<target.count).map { axis in
            guard axis >= offset else { return 0 }
            let extent = shape[axis - offset]
            precondition(extent == target[axis] || extent == 1, "shape \(shape) cannot be broadcast to \(target)")
            return extent == 1 && target[axis] != 1 ? 0 : own[axis - offset]
        }
    }

    /// Resolves a possibly negative axis against a rank.
    @inlinable
    public static func axis(_ axis: Int, rank: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < max(rank, 1), "axis \(axis) out of range for rank \(rank)")
        return a
    }
}
