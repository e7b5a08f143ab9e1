/// Failures reading a safetensors checkpoint or loading it into a model. Every message names
/// the file and, where one is concerned, the tensor.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A tensor in the file whose shape differs from the model's.
    public struct ShapeMismatch: Equatable, Sendable {
        public let tensor: String
        public let fileShape: [Int]
        public let modelShape: [Int]
    }

    /// A tensor in the file whose element type differs from the model's.
    public struct DTypeMismatch: Equatable, Sendable {
        public let tensor: String
        public let fileDType: String
        public let modelDType: String
    }

    case fileNotFound(file: String)
    case cannotRead(file: String, reason: String)
    /// The file ends before its header or data do.
    case truncated(file: String, detail: String)
    /// The header is not a valid safetensors header (bad length, not JSON, bad metadata,
    /// data not covered exactly by the tensors).
    case invalidHeader(file: String, detail: String)
    /// One tensor's header entry is invalid (bad shape, offsets out of range or overlapping,
    /// size not matching shape and dtype).
    case invalidTensor(file: String, tensor: String, detail: String)
    /// A valid dtype this reader does not convert (F16, BF16, integers, ...).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A requested tensor is not in the file.
    case missingTensor(file: String, tensor: String)
    /// A requested tensor has another element type than asked for.
    case dtypeMismatch(file: String, tensor: String, expected: String, found: String)
    /// The file's tensors do not match the model's parameters and buffers; everything that
    /// differs is listed. The model was not modified.
    case modelMismatch(file: String, missing: [String], unexpected: [String],
                       shapeMismatches: [ShapeMismatch], dtypeMismatches: [DTypeMismatch])

    public var description: String {
        switch self {
        case let .fileNotFound(file):
            return "checkpoint '\(file)' does not exist"
        case let .cannotRead(file, reason):
            return "cannot read checkpoint '\(file)': \(reason)"
        case let .truncated(file, detail):
            return "checkpoint '\(file)' is truncated: \(detail)"
        case let .invalidHeader(file, detail):
            return "checkpoint '\(file)' is not a valid safetensors file: \(detail)"
        case let .invalidTensor(file, tensor, detail):
            return "checkpoint '\(file)', tensor '\(tensor)': \(detail)"
        case let .unsupportedDType(file, tensor, dtype):
            return "checkpoint '\(file)', tensor '\(tensor)': dtype \(dtype) is not supported (only F32 and F64 are read); convert the checkpoint to float32 or float64"
        case let .missingTensor(file, tensor):
            return "checkpoint '\(file)' has no tensor '\(tensor)'"
        case let .dtypeMismatch(file, tensor, expected, found):
            return "checkpoint '\(file)', tensor '\(tensor)': stored as \(found), expected \(expected)"
        case let .modelMismatch(file, missing, unexpected, shapes, dtypes):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing: " + missing.joined(separator: ", ")) }
            if !unexpected.isEmpty { parts.append("unexpected: " + unexpected.joined(separator: ", ")) }
            if !shapes.isEmpty {
                parts.append("shape mismatch: " + shapes.map {
                    "\($0.tensor) file \(CheckpointError.format($0.fileShape)) model \(CheckpointError.format($0.modelShape))"
                }.joined(separator: ", "))
            }
            if !dtypes.isEmpty {
                parts.append("dtype mismatch: " + dtypes.map {
                    "\($0.tensor) file \($0.fileDType) model \($0.modelDType)"
                }.joined(separator: ", "))
            }
            return "checkpoint '\(file)' does not match the model (the model was left unchanged): " + parts.joined(separator: "; ")
        }
    }

    /// `[3,4]`.
    static func format(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }
}
