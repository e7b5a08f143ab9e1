/// The value of an HDF5 attribute as this module reads and writes it.
///
/// Strings are stored as variable-length UTF-8 (h5py returns `str`), numbers as float64,
/// integers as int64; the array cases are one-dimensional. Reading accepts any
/// floating-point type as `double(s)`, any integer type as `integer(s)`, and fixed- or
/// variable-length strings.
public enum HDF5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case double(Double)
    case integer(Int)
    case strings([String])
    case doubles([Double])
    case integers([Int])

    public var description: String {
        switch self {
        case let .string(value): return "\"\(value)\""
        case let .double(value): return "\(value)"
        case let .integer(value): return "\(value)"
        case let .strings(values): return "\(values)"
        case let .doubles(values): return "\(values)"
        case let .integers(values): return "\(values)"
        }
    }

    /// What kind of value this is, for error messages ("a string", "an array of integers").
    public var kindDescription: String {
        switch self {
        case .string: return "a string"
        case .double: return "a number"
        case .integer: return "an integer"
        case .strings: return "an array of strings"
        case .doubles: return "an array of numbers"
        case .integers: return "an array of integers"
        }
    }
}

/// Swift values that can be stored as attributes: `String`, `Double`, `Int` and arrays of
/// them. Reading as `Double` also accepts an integer attribute, and `[Double]` an integer array.
public protocol HDF5AttributeConvertible {
    var attributeValue: HDF5AttributeValue { get }
    init?(attributeValue: HDF5AttributeValue)
    /// For error messages: "a string", "a number", ...
    static var attributeKindDescription: String { get }
}

extension HDF5AttributeValue: HDF5AttributeConvertible {
    public var attributeValue: HDF5AttributeValue { self }
    public init?(attributeValue: HDF5AttributeValue) { self = attributeValue }
    public static var attributeKindDescription: String { "any attribute value" }
}

extension String: HDF5AttributeConvertible {
    public var attributeValue: HDF5AttributeValue { .string(self) }
    public init?(attributeValue: HDF5AttributeValue) {
        guard case let .string(value) = attributeValue else { return nil }
        self = value
    }
    public static var attributeKindDescription: String { "a string" }
}

extension Double: HDF5AttributeConvertible {
    public var attributeValue: HDF5AttributeValue { .double(self) }
    public init?(attributeValue: HDF5AttributeValue) {
        switch attributeValue {
        case let .double(value): self = value
        case let .integer(value): self = Double(value)
        default: return nil
        }
    }
    public static var attributeKindDescription: String { "a number" }
}

extension Int: HDF5AttributeConvertible {
    public var attributeValue: HDF5AttributeValue { .integer(self) }
    public init?(attributeValue: HDF5AttributeValue) {
        guard case let .integer(value) = attributeValue else { return nil }
        self = value
    }
    public static var attributeKindDescription: String { "an integer" }
}

extension Array: HDF5AttributeConvertible where Element: HDF5AttributeArrayElement {
    public var attributeValue: HDF5AttributeValue { Element.arrayValue(self) }
    public init?(attributeValue: HDF5AttributeValue) {
        guard let values = Element.elements(of: attributeValue) else { return nil }
        self = values
    }
    public static var attributeKindDescription: String { "an array of \(Element.pluralName)" }
}

/// Element types of array attributes: `String`, `Double`, `Int`.
public protocol HDF5AttributeArrayElement {
    static func arrayValue(_ values: [Self]) -> HDF5AttributeValue
    static func elements(of value: HDF5AttributeValue) -> [Self]?
    static var pluralName: String { get }
}

extension String: HDF5AttributeArrayElement {
    public static func arrayValue(_ values: [String]) -> HDF5AttributeValue { .strings(values) }
    public static func elements(of value: HDF5AttributeValue) -> [String]? {
        if case let .strings(values) = value { return values }
        return nil
    }
    public static var pluralName: String { "strings" }
}

extension Double: HDF5AttributeArrayElement {
    public static func arrayValue(_ values: [Double]) -> HDF5AttributeValue { .doubles(values) }
    public static func elements(of value: HDF5AttributeValue) -> [Double]? {
        switch value {
        case let .doubles(values): return values
        case let .integers(values): return values.map(Double.init)
        default: return nil
        }
    }
    public static var pluralName: String { "numbers" }
}

extension Int: HDF5AttributeArrayElement {
    public static func arrayValue(_ values: [Int]) -> HDF5AttributeValue { .integers(values) }
    public static func elements(of value: HDF5AttributeValue) -> [Int]? {
        if case let .integers(values) = value { return values }
        return nil
    }
    public static var pluralName: String { "integers" }
}
