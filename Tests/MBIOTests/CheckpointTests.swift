import Foundation
import MBNN
import MBTensor
import Testing
@testable import MBIO

@Suite("model checkpoints")
struct CheckpointTests {
    @Test("saving one model and loading into another copies every parameter and buffer")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        let source = TinyModel<Float>(seed: 1)
        let target = TinyModel<Float>(seed: 2)
        #expect(source.snapshot != target.snapshot)
        #expect(source.snapshot.keys.sorted() == [
            "head.bias", "head.weight", "layers.0.bias", "layers.0.weight", "layers.1.bias", "layers.1.weight", "mask", "scale",
        ])
        try Checkpoint.save(source, to: path, metadata: ["epoch": "12"])
        let loaded = try Checkpoint.load(into: target, from: path)
        #expect(target.snapshot == source.snapshot)
        #expect(target.layers[0].weight == source.layers[0].weight)
        #expect(target.mask == source.mask)
        #expect(loaded.metadata == ["epoch": "12"])
        #expect(loaded.optimizerState.isEmpty)
        #expect(try directory.entries() == ["model.safetensors"])

        let doubleSource = TinyDoubleModel(seed: 3), doubleTarget = TinyDoubleModel(seed: 4)
        try Checkpoint.save(doubleSource, to: URL(fileURLWithPath: path))
        try Checkpoint.load(into: doubleTarget, from: URL(fileURLWithPath: path))
        #expect(Checkpoint.modelTensors(of: doubleTarget) == Checkpoint.modelTensors(of: doubleSource))
        #expect(try SafeTensors.read(from: path).entry(named: "layers.1.weight")?.dtype == .float64)
    }

    @Test("missing, unexpected and mis-shaped tensors are all reported at once and the model is unchanged")
    func mismatchReport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("bad.safetensors")
        var tensors = Checkpoint.modelTensors(of: TinyModel<Float>(seed: 1))
        tensors["head.bias"] = nil
        tensors["scale"] = nil
        tensors["extra.weight"] = StoredTensor(Tensor<Float>([1]))
        tensors["layers.0.weight"] = StoredTensor(Tensor<Float>(zeros: [4, 3]))
        tensors["mask"] = StoredTensor(Tensor<Double>(zeros: [2, 2]))
        try SafeTensors.write(tensors, to: path)

        let model = TinyModel<Float>(seed: 5)
        let before = model.snapshot
        let expected = CheckpointError.modelMismatch(
            file: path, missing: ["head.bias", "scale"], unexpected: ["extra.weight"],
            shapeMismatches: [.init(tensor: "layers.0.weight", fileShape: [4, 3], modelShape: [3, 4])],
            dtypeMismatches: [.init(tensor: "mask", fileDType: "F64", modelDType: "F32")])
        #expect(throws: expected) { try Checkpoint.load(into: model, from: path) }
        #expect(expected.description == "checkpoint '\(path)' does not match the model (the model was left unchanged): "
            + "missing: head.bias, scale; unexpected: extra.weight; shape mismatch: layers.0.weight file [4,3] model [3,4]; "
            + "dtype mismatch: mask file F64 model F32")
        #expect(model.snapshot == before)
    }

    @Test("a truncated or corrupt checkpoint leaves the model unchanged")
    func corruptCheckpoint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        try Checkpoint.save(TinyModel<Float>(seed: 1), to: path)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        let model = TinyModel<Float>(seed: 2)
        let before = model.snapshot
        for length in [0, 7, 8, 100, full.count / 2, full.count - 1] {
            try full.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(throws: CheckpointError.self) { try Checkpoint.load(into: model, from: path) }
        }
        var flipped = full
        flipped[9] = UInt8(ascii: "x")  // the header's first key quote becomes garbage
        try flipped.write(to: URL(fileURLWithPath: path))
        #expect(throws: CheckpointError.self) { try Checkpoint.load(into: model, from: path) }
        #expect(model.snapshot == before)
    }

    @Test("optimizer state is stored under its prefix and returned on load")
    func optimizerState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("training.safetensors")
        let model = TinyModel<Float>(seed: 1)
        let state: [(String, Tensor<Float>)] = [
            ("layers.0.weight.m", Tensor(repeating: 0.5, shape: [3, 4])),
            ("step", Tensor([42])),
        ]
        try Checkpoint.save(model, to: path, optimizerState: state)
        #expect(try SafeTensors.read(from: path).names.filter { $0.hasPrefix("optimizer/") } == ["optimizer/layers.0.weight.m", "optimizer/step"])
        let other = TinyModel<Float>(seed: 9)
        let loaded = try Checkpoint.load(into: other, from: path)
        #expect(other.snapshot == model.snapshot)
        let tensors = try loaded.optimizerTensors(Float.self)
        #expect(tensors.map(\.0) == ["layers.0.weight.m", "step"])
        #expect(tensors.map(\.1) == state.map(\.1))
        #expect(throws: CheckpointError.dtypeMismatch(file: path, tensor: "layers.0.weight.m", expected: "F64", found: "F32")) {
            try loaded.optimizerTensors(Double.self)
        }
        // Without the prefix the optimizer tensors are unexpected.
        #expect(throws: CheckpointError.self) { try Checkpoint.load(into: other, from: path, optimizerPrefix: "") }
    }
}
