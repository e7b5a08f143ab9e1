import Foundation
import MBTensor

#if _endian(big)
#error("safetensors data is little-endian; this writer copies memory as is")
#endif

/// Reading and writing the safetensors format (https://github.com/huggingface/safetensors):
///
///     [8 bytes: header length N, unsigned little-endian]
///     [N bytes: JSON header, padded with spaces to a multiple of 8]
///     [data: every tensor's elements, row-major, little-endian, back to back]
///
/// The header maps each tensor name to `{"dtype": "F32", "shape": [2, 3], "data_offsets":
/// [begin, end]}` (byte offsets into the data section) and may hold `"__metadata__"`, a map
/// of strings to strings. Files written here open with Python's `safetensors` and load into
/// PyTorch. Tensors are laid out with the 8-byte types first, then by name, so every
/// tensor's data is aligned to its element size.
public enum SafeTensors {
    /// Largest header accepted when reading (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    /// Writes `tensors` and `metadata` to `path` atomically (temporary file beside it, then
    /// rename): a reader sees the old file or the complete new one.
    public static func write(_ tensors: [String: StoredTensor], metadata: [String: String] = [:], to path: String) throws {
        try AtomicFile.write(encode(tensors, metadata: metadata), to: path)
    }

    /// Writes tensors of one precision (F32 for `Float`, F64 for `Double`).
    public static func write<Scalar: TensorScalar>(_ tensors: [String: Tensor<Scalar>], metadata: [String: String] = [:], to path: String) throws {
        try write(tensors.mapValues { StoredTensor($0) }, metadata: metadata, to: path)
    }

    /// Reads and validates the file at `path`.
    /// - Throws: `CheckpointError` naming the file and tensor for any malformed content.
    public static func read(from path: String) throws -> SafeTensorsFile {
        guard FileManager.default.fileExists(atPath: path) else { throw CheckpointError.fileNotFound(file: path) }
        let data: Data
        do {
            data = try FileContents.bytes(at: path)
        } catch let FileSystemError.cannotRead(_, reason) {
            throw CheckpointError.cannotRead(file: path, reason: reason)
        }
        return try SafeTensorsFile(data: data, path: path)
    }

    /// Every tensor of the file at `path`, which must all be of element type `Scalar`.
    public static func readTensors<Scalar: TensorScalar>(_ type: Scalar.Type, from path: String) throws -> [String: Tensor<Scalar>] {
        let file = try read(from: path)
        var result: [String: Tensor<Scalar>] = [:]
        for name in file.names { result[name] = try file.tensor(type, named: name) }
        return result
    }

    /// The bytes of a safetensors file holding `tensors` and `metadata`.
    public static func encode(_ tensors: [String: StoredTensor], metadata: [String: String] = [:]) -> Data {
        precondition(tensors["__metadata__"] == nil, "'__metadata__' is reserved and cannot name a tensor")
        let order = tensors.keys.sorted { a, b in
            let (sizeA, sizeB) = (tensors[a]!.dtype.byteCount, tensors[b]!.dtype.byteCount)
            return sizeA != sizeB ? sizeA > sizeB : a < b
        }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONValue.quoted($0)):\(JSONValue.quoted(metadata[$0]!))" }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in order {
            let tensor = tensors[name]!
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append("\(JSONValue.quoted(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + tensor.byteCount)]}")
            offset += tensor.byteCount
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in order {
            tensors[name]!.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress, bytes.count > 0 {
                    data.append(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
                }
            }
        }
        return data
    }
}
