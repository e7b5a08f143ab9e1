import Foundation
import MBTensor

/// One tensor's entry in a safetensors header.
public struct SafeTensorsEntry: Sendable, Equatable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// Byte range within the data section.
    public let dataOffsets: Range<Int>
}

/// A safetensors file read into memory, its header validated.
///
/// Validation follows the reference implementation: the header length fits in the file, the
/// header is a JSON object, every entry has a known dtype, a shape of non-negative extents
/// and `data_offsets` whose length equals the shape's element count times the dtype size,
/// and the tensors cover the data section exactly, without overlap or gaps. Any violation
/// is a `CheckpointError` naming the file and, where there is one, the tensor.
public struct SafeTensorsFile: Sendable {
    /// The path the file was read from (used in error messages).
    public let path: String
    /// The `__metadata__` map (empty if absent).
    public let metadata: [String: String]
    /// The tensors' header entries, sorted by name.
    public let entries: [SafeTensorsEntry]
    private let data: Data
    private let dataStart: Int

    /// The tensors' names, sorted.
    public var names: [String] { entries.map(\.name) }

    /// The header entry of tensor `name`, if present.
    public func entry(named name: String) -> SafeTensorsEntry? {
        entries.first { $0.name == name }
    }

    /// Tensor `name` as `Tensor<Scalar>`; its dtype must be `Scalar`'s (F32 or F64).
    public func tensor<Scalar: TensorScalar>(_ type: Scalar.Type, named name: String) throws -> Tensor<Scalar> {
        let stored = try storedTensor(named: name)
        guard let tensor = stored.tensor(type) else {
            throw CheckpointError.dtypeMismatch(file: path, tensor: name, expected: Scalar.dtypeName, found: stored.dtype.rawValue)
        }
        return tensor
    }

    /// Tensor `name` in its stored precision.
    /// - Throws: `.missingTensor`, or `.unsupportedDType` for dtypes other than F32 and F64.
    public func storedTensor(named name: String) throws -> StoredTensor {
        guard let entry = entry(named: name) else { throw CheckpointError.missingTensor(file: path, tensor: name) }
        switch entry.dtype {
        case .float32: return .float32(copy(entry, as: Float.self))
        case .float64: return .float64(copy(entry, as: Double.self))
        default: throw CheckpointError.unsupportedDType(file: path, tensor: name, dtype: entry.dtype.rawValue)
        }
    }

    private func copy<Scalar: TensorScalar>(_ entry: SafeTensorsEntry, as type: Scalar.Type) -> Tensor<Scalar> {
        var tensor = Tensor<Scalar>(uninitializedShape: entry.shape)
        guard entry.dataOffsets.count > 0 else { return tensor }
        tensor.withUnsafeMutableBufferPointer { destination in
            data.withUnsafeBytes { source in
                UnsafeMutableRawPointer(destination.baseAddress!).copyMemory(
                    from: source.baseAddress! + dataStart + entry.dataOffsets.lowerBound, byteCount: entry.dataOffsets.count)
            }
        }
        return tensor
    }

    /// Parses and validates the bytes of a safetensors file; `path` is only for messages.
    public init(data: Data, path: String) throws {
        self.path = path
        let fileSize = data.count
        guard fileSize >= 8 else {
            throw CheckpointError.truncated(file: path, detail: "the file has \(fileSize) bytes, but a safetensors file starts with an 8-byte header length")
        }
        let declared = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard declared <= UInt64(SafeTensors.maximumHeaderLength) else {
            throw CheckpointError.invalidHeader(file: path, detail: "the header length field says \(declared) bytes, more than the \(SafeTensors.maximumHeaderLength)-byte limit and the file's \(fileSize) bytes (not a safetensors file?)")
        }
        let headerLength = Int(declared)
        guard headerLength <= fileSize - 8 else {
            throw CheckpointError.truncated(file: path, detail: "the header length field says \(headerLength) bytes, but only \(fileSize - 8) bytes follow it")
        }
        let headerBytes = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + headerLength))
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw CheckpointError.invalidHeader(file: path, detail: "the header does not start with '{' (not a safetensors file?)")
        }
        let header: [String: JSONValue]
        do {
            header = try JSONDecoder().decode([String: JSONValue].self, from: headerBytes)
        } catch {
            throw CheckpointError.invalidHeader(file: path, detail: "the header is not a valid JSON object (\(SafeTensorsFile.shortDescription(of: error)))")
        }

        var metadata: [String: String] = [:]
        var entries: [SafeTensorsEntry] = []
        for (name, value) in header.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                guard case let .object(fields) = value else {
                    throw CheckpointError.invalidHeader(file: path, detail: "'__metadata__' must be an object of strings, found \(value)")
                }
                for (key, field) in fields {
                    guard case let .string(text) = field else {
                        throw CheckpointError.invalidHeader(file: path, detail: "'__metadata__' value of '\(key)' must be a string, found \(field)")
                    }
                    metadata[key] = text
                }
            } else {
                entries.append(try SafeTensorsFile.parseEntry(name: name, value, path: path))
            }
        }
        try SafeTensorsFile.checkLayout(entries, dataLength: fileSize - 8 - headerLength, path: path)

        self.metadata = metadata
        self.entries = entries.sorted { $0.name < $1.name }
        self.data = data
        self.dataStart = data.startIndex + 8 + headerLength
    }

    /// One header entry: dtype, shape and offsets, consistent with each other.
    private static func parseEntry(name: String, _ value: JSONValue, path: String) throws -> SafeTensorsEntry {
        func invalid(_ detail: String) -> CheckpointError { .invalidTensor(file: path, tensor: name, detail: detail) }
        guard case let .object(fields) = value else { throw invalid("header entry must be an object, found \(value)") }
        guard case let .string(dtypeName)? = fields["dtype"] else { throw invalid("header entry has no string 'dtype'") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else { throw invalid("unknown dtype '\(dtypeName)'") }
        guard case let .array(shapeValues)? = fields["shape"] else { throw invalid("header entry has no array 'shape'") }
        var shape: [Int] = []
        for extent in shapeValues {
            guard case let .integer(n) = extent, n >= 0 else { throw invalid("shape \(JSONValue.array(shapeValues)) must hold non-negative integers") }
            shape.append(n)
        }
        guard case let .array(offsetValues)? = fields["data_offsets"], offsetValues.count == 2,
              case let .integer(begin) = offsetValues[0], case let .integer(end) = offsetValues[1], begin >= 0, begin <= end
        else {
            throw invalid("'data_offsets' must be [begin, end] with 0 ≤ begin ≤ end, found \(fields["data_offsets"] ?? .null)")
        }
        var byteCount = dtype.byteCount
        for extent in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: extent)
            if overflow { throw invalid("shape \(CheckpointError.format(shape)) is too large") }
            byteCount = product
        }
        guard byteCount == end - begin else {
            throw invalid("shape \(CheckpointError.format(shape)) of \(dtypeName) needs \(byteCount) bytes, but data_offsets [\(begin), \(end)] span \(end - begin)")
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// The tensors must tile the data section `0..<dataLength` exactly.
    private static func checkLayout(_ entries: [SafeTensorsEntry], dataLength: Int, path: String) throws {
        let ordered = entries.sorted {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        for entry in ordered where entry.dataOffsets.upperBound > dataLength {
            throw CheckpointError.invalidTensor(
                file: path, tensor: entry.name,
                detail: "data_offsets [\(entry.dataOffsets.lowerBound), \(entry.dataOffsets.upperBound)] reach past the end of the data section (\(dataLength) bytes): the file is truncated or corrupt")
        }
        var covered = 0
        var previous: SafeTensorsEntry?
        for entry in ordered {
            let range = entry.dataOffsets
            if range.lowerBound < covered, let previous {
                throw CheckpointError.invalidTensor(
                    file: path, tensor: entry.name,
                    detail: "data_offsets [\(range.lowerBound), \(range.upperBound)] overlap those of '\(previous.name)' [\(previous.dataOffsets.lowerBound), \(previous.dataOffsets.upperBound)]")
            }
            if range.lowerBound > covered {
                throw CheckpointError.invalidTensor(
                    file: path, tensor: entry.name,
                    detail: "data_offsets [\(range.lowerBound), \(range.upperBound)] leave bytes \(covered)..<\(range.lowerBound) of the data section unused")
            }
            covered = range.upperBound
            previous = entry
        }
        if covered != dataLength {
            throw CheckpointError.invalidHeader(
                file: path, detail: "the tensors cover \(covered) bytes of data, but the file holds \(dataLength) bytes after the header (trailing garbage?)")
        }
    }

    private static func shortDescription(of error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
            return context.debugDescription + underlying
        }
        if case let DecodingError.typeMismatch(_, context) = error { return context.debugDescription }
        return "\(error)"
    }
}
