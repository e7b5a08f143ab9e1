import MBTensor

/// Element types of the safetensors format, by their header names.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case float64 = "F64", float32 = "F32", float16 = "F16", bfloat16 = "BF16"
    case float8e4m3 = "F8_E4M3", float8e5m2 = "F8_E5M2"
    case int64 = "I64", int32 = "I32", int16 = "I16", int8 = "I8"
    case uint64 = "U64", uint32 = "U32", uint16 = "U16", uint8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float64, .int64, .uint64: return 8
        case .float32, .int32, .uint32: return 4
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .float8e4m3, .float8e5m2, .int8, .uint8, .bool: return 1
        }
    }
}

/// A tensor of either precision, so that one file can hold Float and Double tensors.
public enum StoredTensor: Sendable, Equatable, CustomStringConvertible {
    case float32(Tensor<Float>)
    case float64(Tensor<Double>)

    /// Wraps a `Tensor<Float>` or `Tensor<Double>` (detached from any differentiation).
    public init<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) {
        if let float = tensor as? Tensor<Float> {
            self = .float32(float.detached())
        } else if let double = tensor as? Tensor<Double> {
            self = .float64(double.detached())
        } else {
            preconditionFailure("safetensors storage supports Tensor<Float> and Tensor<Double>, not Tensor<\(Scalar.self)>")
        }
    }

    public var shape: [Int] {
        switch self {
        case let .float32(tensor): return tensor.shape
        case let .float64(tensor): return tensor.shape
        }
    }

    public var dtype: SafeTensorsDType {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        }
    }

    /// The tensor if it has element type `Scalar`, else nil (no conversion).
    public func tensor<Scalar: TensorScalar>(_ type: Scalar.Type) -> Tensor<Scalar>? {
        switch self {
        case let .float32(tensor): return tensor as? Tensor<Scalar>
        case let .float64(tensor): return tensor as? Tensor<Scalar>
        }
    }

    /// Number of bytes of raw data.
    var byteCount: Int { shape.reduce(1, *) * dtype.byteCount }

    /// Calls `body` with the raw little-endian bytes of the elements.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch self {
        case let .float32(tensor): return try tensor.withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
        case let .float64(tensor): return try tensor.withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    public var description: String {
        switch self {
        case let .float32(tensor): return tensor.description
        case let .float64(tensor): return tensor.description
        }
    }
}
