import CHDF5

/// The numeric element types HDF5 datasets are read and written with: IEEE float64/float32
/// and signed int64/int32, little-endian in the file (h5py's `<f8`, `<f4`, `<i8`, `<i4`).
public enum HDF5NumericType: String, Sendable, Equatable, CaseIterable {
    case float64, float32, int64, int32

    public var isFloatingPoint: Bool { self == .float64 || self == .float32 }
    public var byteCount: Int { self == .float64 || self == .int64 ? 8 : 4 }

    /// The native in-memory HDF5 type (needs the library lock).
    var nativeTypeID: hid_t {
        switch self {
        case .float64: return mb_h5t_native_double()
        case .float32: return mb_h5t_native_float()
        case .int64: return mb_h5t_native_int64()
        case .int32: return mb_h5t_native_int32()
        }
    }
}

/// A Swift type stored element by element in HDF5 datasets: `Double`, `Float`, `Int64`,
/// `Int32` and `Int` (stored as int64).
public protocol HDF5Element: Sendable {
    static var hdf5Type: HDF5NumericType { get }
}

extension Double: HDF5Element { public static var hdf5Type: HDF5NumericType { .float64 } }
extension Float: HDF5Element { public static var hdf5Type: HDF5NumericType { .float32 } }
extension Int64: HDF5Element { public static var hdf5Type: HDF5NumericType { .int64 } }
extension Int32: HDF5Element { public static var hdf5Type: HDF5NumericType { .int32 } }
extension Int: HDF5Element {
    public static var hdf5Type: HDF5NumericType {
        precondition(MemoryLayout<Int>.size == 8, "HDF5 storage of Int assumes a 64-bit platform")
        return .int64
    }
}

/// The contents of a dataset: its shape and its elements in row-major (C) order.
public struct HDF5Array<Element> {
    public var shape: [Int]
    public var values: [Element]

    public init(shape: [Int], values: [Element]) {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        self.shape = shape
        self.values = values
    }
}

extension HDF5Array: Equatable where Element: Equatable {}
extension HDF5Array: Sendable where Element: Sendable {}
