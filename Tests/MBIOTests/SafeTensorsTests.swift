import Foundation
import MBTensor
import Testing
@testable import MBIO

@Suite("safetensors format")
struct SafeTensorsTests {
    /// A file with a float64 tensor "a" [3] (data bytes 0..<24) and a float32 "b" [2, 2] (24..<40).
    static func sampleFile() -> Data {
        SafeTensors.encode(
            ["b": StoredTensor(Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])),
             "a": StoredTensor(Tensor<Double>([0.5, -1, 1e300]))],
            metadata: ["format": "pt"])
    }

    /// The bytes of a file with this header text (padded as written) and data.
    static func crafted(header: String, data: [UInt8]) -> Data {
        var bytes = Array(header.utf8)
        var file = Data()
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: bytes)
        bytes = data
        file.append(contentsOf: bytes)
        return file
    }

    @Test("the bytes of a small file are exactly the format's")
    func exactBytes() {
        let data = SafeTensors.encode(["w": StoredTensor(Tensor<Float>([1, -2]))], metadata: ["k": "v\"1"])
        let json = #"{"__metadata__":{"k":"v\"1"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let padded = json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8)
        var expected = Data([UInt8(padded.utf8.count), 0, 0, 0, 0, 0, 0, 0])
        expected.append(contentsOf: Array(padded.utf8))
        expected.append(contentsOf: [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])  // 1.0f, -2.0f little-endian
        #expect(data == expected)
        #expect(padded.utf8.count % 8 == 0)
    }

    @Test("tensors of both precisions, empty and rank-0 tensors and metadata round-trip")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("mixed.safetensors")
        let tensors: [String: StoredTensor] = [
            "layers.0.weight": StoredTensor(Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, -.infinity])),
            "scalar": StoredTensor(Tensor<Double>(3.25)),
            "empty": StoredTensor(Tensor<Float>(zeros: [0, 4])),
            "z.double": StoredTensor(Tensor<Double>(shape: [3, 1], scalars: [.pi, -.ulpOfOne, .greatestFiniteMagnitude])),
        ]
        try SafeTensors.write(tensors, metadata: ["epoch": "3", "note": "ünïcode, \"quotes\"\n"], to: path)
        #expect(try directory.entries() == ["mixed.safetensors"])
        let file = try SafeTensors.read(from: path)
        #expect(file.names == ["empty", "layers.0.weight", "scalar", "z.double"])
        #expect(file.metadata == ["epoch": "3", "note": "ünïcode, \"quotes\"\n"])
        for (name, tensor) in tensors { #expect(try file.storedTensor(named: name) == tensor) }
        #expect(file.entry(named: "scalar")?.shape == [])
        // 8-byte tensors come first, so every tensor's data is aligned to its element size.
        #expect(file.entry(named: "scalar")?.dataOffsets == 0..<8)
        #expect(file.entry(named: "z.double")?.dataOffsets == 8..<32)
        #expect(file.entry(named: "empty")?.dataOffsets == 32..<32)
        #expect(file.entry(named: "layers.0.weight")?.dataOffsets == 32..<56)

        let floats: [String: Tensor<Float>] = ["a": Tensor([1, 2]), "b": Tensor(shape: [1, 1], scalars: [7])]
        try SafeTensors.write(floats, to: path)
        #expect(try SafeTensors.readTensors(Float.self, from: path) == floats)
        #expect(throws: CheckpointError.dtypeMismatch(file: path, tensor: "a", expected: "F64", found: "F32")) {
            try SafeTensors.readTensors(Double.self, from: path)
        }
        #expect(throws: CheckpointError.missingTensor(file: path, tensor: "c")) {
            try SafeTensors.read(from: path).tensor(Float.self, named: "c")
        }
    }

    @Test("a file truncated at any length gives a CheckpointError naming what is cut")
    func truncation() throws {
        let full = SafeTensorsTests.sampleFile()
        let headerLength = Int(full[0]) | Int(full[1]) << 8
        #expect(try SafeTensorsFile(data: full, path: "full").names == ["a", "b"])
        for length in 0..<full.count {
            let path = "cut-at-\(length).safetensors"
            do {
                _ = try SafeTensorsFile(data: full.prefix(length), path: path)
                Issue.record("a file cut at \(length) of \(full.count) bytes was accepted")
            } catch let error as CheckpointError {
                let dataLength = length - 8 - headerLength
                switch error {
                case .truncated(let file, _):
                    #expect(file == path && length < 8 + headerLength)
                case .invalidTensor(let file, let tensor, let detail):
                    #expect(file == path && dataLength >= 0)
                    #expect(tensor == (dataLength < 24 ? "a" : "b"))
                    #expect(detail.contains("truncated"))
                default:
                    Issue.record("unexpected error for a file cut at \(length): \(error)")
                }
            }
        }
        let short = CheckpointError.truncated(file: "f", detail: "the file has 5 bytes, but a safetensors file starts with an 8-byte header length")
        #expect(throws: short) { try SafeTensorsFile(data: full.prefix(5), path: "f") }
        #expect(short.description.hasPrefix("checkpoint 'f' is truncated: the file has 5 bytes"))
    }

    @Test("garbage, huge header lengths, bad JSON and bad metadata give clear errors")
    func malformedHeaders() throws {
        func error(_ data: Data) -> CheckpointError? {
            do {
                _ = try SafeTensorsFile(data: data, path: "bad.safetensors")
                return nil
            } catch {
                return error as? CheckpointError
            }
        }
        var huge = Data(repeating: 0xFF, count: 8)
        huge.append(contentsOf: Array("{}".utf8))
        guard case let .invalidHeader(_, detail)? = error(huge) else {
            Issue.record("huge header length not reported as invalid header")
            return
        }
        #expect(detail.contains("18446744073709551615") && detail.contains("limit"))

        var tooLong = Data([0x00, 0x10, 0, 0, 0, 0, 0, 0])  // 4096 bytes of header in a tiny file
        tooLong.append(contentsOf: Array("{}".utf8))
        #expect(error(tooLong) == .truncated(file: "bad.safetensors", detail: "the header length field says 4096 bytes, but only 2 bytes follow it"))

        let random = Data((0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        #expect(error(random) != nil)

        guard case .invalidHeader(_, let notJSON)? = error(SafeTensorsTests.crafted(header: "{not json}", data: [])) else {
            Issue.record("invalid JSON not reported")
            return
        }
        #expect(notJSON.contains("not a valid JSON object"))
        #expect(error(SafeTensorsTests.crafted(header: "[1, 2]  ", data: []))
                == .invalidHeader(file: "bad.safetensors", detail: "the header does not start with '{' (not a safetensors file?)"))
        #expect(error(SafeTensorsTests.crafted(header: #"{"__metadata__": {"epoch": 3}}"#, data: []))
                == .invalidHeader(file: "bad.safetensors", detail: "'__metadata__' value of 'epoch' must be a string, found 3"))
        #expect(try SafeTensorsFile(data: SafeTensorsTests.crafted(header: "{}      ", data: []), path: "empty").names == [])
    }

    @Test("offsets out of range, overlapping, leaving gaps, or not matching the shape are rejected")
    func badOffsets() throws {
        func error(_ header: String, dataCount: Int) -> CheckpointError? {
            do {
                _ = try SafeTensorsFile(data: SafeTensorsTests.crafted(header: header, data: [UInt8](repeating: 0, count: dataCount)), path: "x")
                return nil
            } catch {
                return error as? CheckpointError
            }
        }
        let overlap = error(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, dataCount: 12)
        #expect(overlap == .invalidTensor(file: "x", tensor: "b", detail: "data_offsets [4, 12] overlap those of 'a' [0, 8]"))
        let outside = error(#"{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}"#, dataCount: 8)
        #expect(outside == .invalidTensor(file: "x", tensor: "a", detail: "data_offsets [0, 16] reach past the end of the data section (8 bytes): the file is truncated or corrupt"))
        let mismatch = error(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}"#, dataCount: 20)
        #expect(mismatch == .invalidTensor(file: "x", tensor: "w", detail: "shape [2,3] of F32 needs 24 bytes, but data_offsets [0, 20] span 20"))
        #expect(mismatch?.description == "checkpoint 'x', tensor 'w': shape [2,3] of F32 needs 24 bytes, but data_offsets [0, 20] span 20")
        let gap = error(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, dataCount: 8)
        #expect(gap == .invalidTensor(file: "x", tensor: "a", detail: "data_offsets [4, 8] leave bytes 0..<4 of the data section unused"))
        guard case .invalidHeader(_, let trailing)? = error(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataCount: 9) else {
            Issue.record("trailing bytes not reported")
            return
        }
        #expect(trailing.contains("cover 4 bytes") && trailing.contains("holds 9 bytes"))
        let reversed = error(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, dataCount: 8)
        guard case .invalidTensor(_, "a", let reversedDetail)? = reversed else {
            Issue.record("begin > end not reported: \(String(describing: reversed))")
            return
        }
        #expect(reversedDetail.contains("0 ≤ begin ≤ end"))
        let negative = error(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, dataCount: 0)
        #expect(negative == .invalidTensor(file: "x", tensor: "a", detail: "shape [-1] must hold non-negative integers"))
        let overflow = error(#"{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, dataCount: 8)
        #expect(overflow == .invalidTensor(file: "x", tensor: "a", detail: "shape [4294967296,4294967296] is too large"))
        #expect(error(#"{"a":{"dtype":"F99","shape":[1],"data_offsets":[0,4]}}"#, dataCount: 4)
                == .invalidTensor(file: "x", tensor: "a", detail: "unknown dtype 'F99'"))
        #expect(error(#"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, dataCount: 4)
                == .invalidTensor(file: "x", tensor: "a", detail: "header entry has no string 'dtype'"))
    }

    @Test("F16 and integer tensors are valid but reading them gives an unsupported-dtype error")
    func unsupportedDTypes() throws {
        let data = SafeTensorsTests.crafted(
            header: #"{"half":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"ids":{"dtype":"I64","shape":[1],"data_offsets":[4,12]}}"#,
            data: [UInt8](repeating: 0, count: 12))
        let file = try SafeTensorsFile(data: data, path: "h")
        #expect(file.entry(named: "half")?.dtype == .float16)
        #expect(throws: CheckpointError.unsupportedDType(file: "h", tensor: "half", dtype: "F16")) { try file.storedTensor(named: "half") }
        #expect(throws: CheckpointError.unsupportedDType(file: "h", tensor: "ids", dtype: "I64")) { try file.tensor(Double.self, named: "ids") }
    }

    @Test("reading a missing or unreadable path gives a typed error")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: CheckpointError.fileNotFound(file: directory.file("none.safetensors"))) {
            try SafeTensors.read(from: directory.file("none.safetensors"))
        }
        #expect(throws: CheckpointError.self) { try SafeTensors.read(from: directory.path) }
        #expect(throws: FileSystemError.self) {
            try SafeTensors.write(["a": Tensor<Float>([1])], to: directory.file("no/such/dir/x.safetensors"))
        }
    }
}
