import Foundation
import MBNN
import MBTensor
import Testing
@testable import MBIO

/// Python's `float.hex()` strings ("-0x1.8p+1") as Doubles: exact, unlike decimal JSON
/// numbers, which Foundation's parser may round differently from Python's printer.
private func hexDoubles(_ value: Any?) -> [Double]? {
    guard let strings = value as? [String] else { return nil }
    let doubles = strings.compactMap { Double($0) }
    return doubles.count == strings.count ? doubles : nil
}

/// Files written here must open in Python's `safetensors` and `h5py`, and files they write
/// must open here. These tests run when `python3` has the modules; otherwise Swift Testing
/// reports them as skipped with the reason (install with `pip install safetensors h5py numpy`).
@Suite("Python cross-checks (safetensors, h5py)")
struct PythonCrossCheckTests {
    // MARK: safetensors

    @Test("a checkpoint loads into a PyTorch module with the same layers, which computes the same outputs",
          .enabled(if: Python.hasTorch, "python3 with torch and safetensors is not installed: PyTorch cross-check skipped"))
    func pytorchLoadsOurCheckpoint() throws {
        final class TwoLayer: Module {
            let fc1: Linear<Float>, fc2: Linear<Float>
            init(generator: inout RandomGenerator) {
                fc1 = Linear(inputDimensions: 3, outputDimensions: 5, generator: &generator)
                fc2 = Linear(inputDimensions: 5, outputDimensions: 2, generator: &generator)
            }
            func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { fc2(fc1(x).tanh()) }
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("two-layer.safetensors")
        var generator = RandomGenerator(seed: 5)
        let model = TwoLayer(generator: &generator)
        try Checkpoint.save(model, to: path)
        let input: [Float] = [0.5, -1, 2, 0.25, 0, -0.75]
        let script = """
        import json, sys, torch
        from safetensors.torch import load_file
        class TwoLayer(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = torch.nn.Linear(3, 5)
                self.fc2 = torch.nn.Linear(5, 2)
            def forward(self, x):
                return self.fc2(torch.tanh(self.fc1(x)))
        model = TwoLayer()
        model.load_state_dict(load_file(sys.argv[1]), strict=True)
        x = torch.tensor(json.loads(sys.argv[2]), dtype=torch.float32).reshape(2, 3)
        print(json.dumps([float(v) for v in model(x).detach().reshape(-1)]))
        """
        let torchOutput = try Python.json(script, arguments: [path, "\(input)"]) as! [Double]
        let ours = model(Tensor(shape: [2, 3], scalars: input)).scalars
        #expect(torchOutput.count == ours.count)
        for (a, b) in zip(torchOutput, ours) { #expect(Swift.abs(a - Double(b)) < 1e-5) }
    }

    @Test("a checkpoint written here loads in Python safetensors with the same values",
          .enabled(if: Python.hasSafetensors, "python3 with safetensors and numpy is not installed: safetensors cross-check skipped"))
    func safetensorsReadsOurCheckpoint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        let model = TinyModel<Float>(seed: 11)
        let extra = Tensor<Double>(shape: [2, 1], scalars: [1e-300, -.pi])
        try Checkpoint.save(model, to: path, metadata: ["format": "pt", "epoch": "7"],
                            optimizerState: [("extra", StoredTensor(extra))])
        let script = """
        import json, sys
        from safetensors import safe_open
        from safetensors.numpy import load_file
        tensors = load_file(sys.argv[1])
        with safe_open(sys.argv[1], "np") as f:
            metadata = f.metadata()
        print(json.dumps({"metadata": metadata, "tensors": {name: {"dtype": str(t.dtype), "shape": list(t.shape),
            "values": [float(x).hex() for x in t.ravel()]} for name, t in tensors.items()}}))
        """
        let result = try Python.json(script, arguments: [path]) as! [String: Any]
        #expect(result["metadata"] as? [String: String] == ["format": "pt", "epoch": "7"])
        let tensors = result["tensors"] as! [String: [String: Any]]
        var expected = model.snapshot
        expected["optimizer/extra"] = StoredTensor(extra)
        #expect(Set(tensors.keys) == Set(expected.keys))
        for (name, stored) in expected {
            let python = tensors[name]!
            #expect(python["shape"] as? [Int] == stored.shape, "\(name)")
            switch stored {
            case let .float32(tensor):
                #expect(python["dtype"] as? String == "float32")
                #expect(hexDoubles(python["values"]) == tensor.scalars.map(Double.init), "\(name)")
            case let .float64(tensor):
                #expect(python["dtype"] as? String == "float64")
                #expect(hexDoubles(python["values"]) == tensor.scalars, "\(name)")
            }
        }
    }

    @Test("files written by Python safetensors read here, and a model round-trips through Python",
          .enabled(if: Python.hasSafetensors, "python3 with safetensors and numpy is not installed: safetensors cross-check skipped"))
    func weReadPythonSafetensors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("python.safetensors")
        let write = """
        import sys, numpy as np
        from safetensors.numpy import save_file
        save_file({"w": np.arange(12, dtype=np.float32).reshape(3, 4) * 0.5 - 1,
                   "d": np.array([[1e-300, -2.5]], dtype=np.float64),
                   "s": np.array(3.0, dtype=np.float32),
                   "h": np.ones(2, dtype=np.float16)}, sys.argv[1], metadata={"epoch": "5"})
        """
        let status = try Python.run(write, arguments: [path])
        try #require(status.status == 0, "\(status.standardError)")
        let file = try SafeTensors.read(from: path)
        #expect(file.names == ["d", "h", "s", "w"])
        #expect(file.metadata == ["epoch": "5"])
        #expect(try file.tensor(Float.self, named: "w") == Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * 0.5 - 1 }))
        #expect(try file.tensor(Double.self, named: "d") == Tensor(shape: [1, 2], scalars: [1e-300, -2.5]))
        #expect(try file.tensor(Float.self, named: "s") == Tensor(3))
        #expect(throws: CheckpointError.unsupportedDType(file: path, tensor: "h", dtype: "F16")) { try file.storedTensor(named: "h") }

        // Python reads our checkpoint, doubles every tensor, writes it back; we load it.
        let modelPath = directory.file("model.safetensors")
        let model = TinyModel<Float>(seed: 5)
        try Checkpoint.save(model, to: modelPath)
        let double = """
        import sys
        from safetensors.numpy import load_file, save_file
        tensors = load_file(sys.argv[1])
        save_file({name: t * 2 for name, t in tensors.items()}, sys.argv[1])
        """
        let doubled = try Python.run(double, arguments: [modelPath])
        try #require(doubled.status == 0, "\(doubled.standardError)")
        let reloaded = TinyModel<Float>(seed: 6)
        try Checkpoint.load(into: reloaded, from: modelPath)
        for (name, stored) in model.snapshot {
            #expect(reloaded.snapshot[name]?.tensor(Float.self) == stored.tensor(Float.self)! * 2, "\(name)")
        }
    }

    // MARK: h5py

    @Test("an HDF5 file written here reads in h5py: values, shapes, dtypes and attributes",
          .enabled(if: Python.hasH5py, "python3 with h5py and numpy is not installed: HDF5 cross-check skipped"))
    func h5pyReadsOurFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("ours.h5")
        try HDF5File.writeAtomically(to: path) { file in
            try file.write(Tensor<Double>(shape: [2, 3], scalars: [0.5, 1, -2, 1e-300, 3, .pi]), at: "train/lambda")
            try file.write(Tensor<Float>([1.5, -0.25]), at: "train/weights", compressionLevel: 4)
            try file.write([1, -2, 3, 4] as [Int64], shape: [2, 2], at: "indices")
            try file.write([7, 8, 9] as [Int32], at: "counts")
            try file.write(Tensor<Double>(2.5), at: "scalar")
            try file.write(strings: ["alpha", "βeta"], at: "names")
            try file.write(strings: ["ab", "c"], at: "fixed", fixedLength: true)
            try file.setAttribute("kernel", "fermionic")
            try file.setAttribute("beta", 10.0)
            try file.setAttribute("n", 4)
            try file.setAttribute("labels", ["x", "ÿ"])
            try file.setAttribute("grid", [0.5, 1.5])
            try file.setAttribute("orders", [1, 2, 3])
            try file.setAttribute("note", "group note", on: "train")
            try file.setAttribute("units", "1/D", on: "train/lambda")
        }
        let script = """
        import json, sys, h5py, numpy as np
        def plain(value):
            if isinstance(value, bytes):
                return value.decode()
            if isinstance(value, np.ndarray):
                return [plain(v) for v in value.tolist()]
            if isinstance(value, list):
                return [plain(v) for v in value]
            if isinstance(value, np.generic):
                return value.item()
            return value
        out = {}
        def visit(name, obj):
            entry = {"attrs": {k: plain(v) for k, v in obj.attrs.items()}}
            if isinstance(obj, h5py.Dataset):
                entry["shape"] = list(obj.shape)
                entry["dtype"] = str(obj.dtype)
                info = h5py.check_string_dtype(obj.dtype)
                if info is not None:
                    entry["values"] = plain(obj.asstr()[()]) if info.length is None else plain(obj[()])
                elif obj.dtype.kind == "f":
                    entry["values"] = [float(v).hex() for v in np.ravel(obj[()])]
                else:
                    entry["values"] = plain(obj[()])
                entry["compression"] = obj.compression
            out[name] = entry
        with h5py.File(sys.argv[1], "r") as f:
            out["/"] = {"attrs": {k: plain(v) for k, v in f.attrs.items()}}
            f.visititems(visit)
        print(json.dumps(out))
        """
        let tree = try Python.json(script, arguments: [path]) as! [String: [String: Any]]
        #expect(Set(tree.keys) == ["/", "train", "train/lambda", "train/weights", "indices", "counts", "scalar", "names", "fixed"])
        let root = tree["/"]!["attrs"] as! [String: Any]
        #expect(root["kernel"] as? String == "fermionic")
        #expect(root["beta"] as? Double == 10.0)
        #expect(root["n"] as? Int == 4)
        #expect(root["labels"] as? [String] == ["x", "ÿ"])
        #expect(root["grid"] as? [Double] == [0.5, 1.5])
        #expect(root["orders"] as? [Int] == [1, 2, 3])
        #expect((tree["train"]!["attrs"] as! [String: Any])["note"] as? String == "group note")

        let lambda = tree["train/lambda"]!
        #expect(lambda["dtype"] as? String == "float64")
        #expect(lambda["shape"] as? [Int] == [2, 3])
        #expect(hexDoubles(lambda["values"]) == [0.5, 1, -2, 1e-300, 3, .pi])
        #expect((lambda["attrs"] as! [String: Any])["units"] as? String == "1/D")
        let weights = tree["train/weights"]!
        #expect(weights["dtype"] as? String == "float32")
        #expect(hexDoubles(weights["values"]) == [1.5, -0.25])
        #expect(weights["compression"] as? String == "gzip")
        #expect(tree["indices"]!["dtype"] as? String == "int64")
        #expect(tree["indices"]!["values"] as? [[Int]] == [[1, -2], [3, 4]])
        #expect(tree["counts"]!["dtype"] as? String == "int32")
        #expect(tree["counts"]!["values"] as? [Int] == [7, 8, 9])
        #expect(tree["scalar"]!["shape"] as? [Int] == [])
        #expect(hexDoubles(tree["scalar"]!["values"]) == [2.5])
        #expect(tree["names"]!["values"] as? [String] == ["alpha", "βeta"])
        #expect(tree["fixed"]!["dtype"] as? String == "|S2")
        #expect(tree["fixed"]!["values"] as? [String] == ["ab", "c"])
    }

    @Test("an HDF5 file written by h5py reads here, including compressed data and h5py's string kinds",
          .enabled(if: Python.hasH5py, "python3 with h5py and numpy is not installed: HDF5 cross-check skipped"))
    func weReadH5pyFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("python.h5")
        let script = """
        import sys, h5py, numpy as np
        with h5py.File(sys.argv[1], "w") as f:
            g = f.create_group("train")
            g.create_dataset("lambda", data=np.arange(6, dtype=np.float64).reshape(2, 3) / 4)
            g.create_dataset("f32", data=np.array([1.5, -2], dtype=np.float32))
            f.create_dataset("i64", data=np.array([[1, 2], [3, -4]], dtype=np.int64))
            f.create_dataset("i32", data=np.array([7], dtype=np.int32))
            f.create_dataset("names", data=["alpha", "βeta"], dtype=h5py.string_dtype())
            f.create_dataset("fixed", data=np.array([b"ab", b"c"], dtype="S2"))
            f.create_dataset("scalar", data=2.5)
            f.create_dataset("compressed", data=np.arange(1000, dtype=np.float64), compression="gzip", chunks=(100,))
            f.create_dataset("bytes", data=np.arange(3, dtype=np.uint8))
            f.create_dataset("flags", data=np.array([True, False]))
            f.attrs["kernel"] = "fermionic"
            f.attrs["beta"] = 10.0
            f.attrs["n"] = 4
            f.attrs["grid"] = np.array([0.5, 1.5])
            f.attrs["orders"] = np.array([1, 2, 3], dtype=np.int32)
            f.attrs["labels"] = ["x", "y"]
            f.attrs["fixed"] = np.bytes_(b"fixed")
            g.attrs["note"] = "group note"
            g["lambda"].attrs["units"] = "1/D"
        """
        let status = try Python.run(script, arguments: [path])
        try #require(status.status == 0, "\(status.standardError)")

        let file = try HDF5File.open(path)
        #expect(try file.members() == ["bytes", "compressed", "fixed", "flags", "i32", "i64", "names", "scalar", "train"])
        #expect(try file.readTensor(Double.self, at: "train/lambda") == Tensor(shape: [2, 3], scalars: [0, 0.25, 0.5, 0.75, 1, 1.25]))
        #expect(try file.readTensor(Float.self, at: "train/f32") == Tensor([1.5, -2]))
        #expect(try file.readArray(Int64.self, at: "i64") == HDF5Array(shape: [2, 2], values: [1, 2, 3, -4]))
        #expect(try file.readArray(Int32.self, at: "i32").values == [7])
        #expect(try file.readStrings(at: "names").values == ["alpha", "βeta"])
        #expect(try file.readStrings(at: "fixed").values == ["ab", "c"])
        #expect(try file.readTensor(Double.self, at: "scalar") == Tensor(2.5))
        #expect(try file.readTensor(Double.self, at: "compressed") == Tensor((0..<1000).map(Double.init)))
        #expect(throws: HDF5Error.wrongType(file: path, path: "/bytes", expected: "int32 (pass converting: true to convert)", found: "uint8")) {
            try file.readArray(Int32.self, at: "bytes")
        }
        #expect(try file.readArray(Int32.self, at: "bytes", converting: true).values == [0, 1, 2])
        #expect(throws: HDF5Error.self) { try file.readTensor(Double.self, at: "flags", converting: true) }

        #expect(try file.attribute("kernel", as: String.self) == "fermionic")
        #expect(try file.attribute("beta", as: Double.self) == 10)
        #expect(try file.attribute("n", as: Int.self) == 4)
        #expect(try file.attribute("grid", as: [Double].self) == [0.5, 1.5])
        #expect(try file.attribute("orders", as: [Int].self) == [1, 2, 3])
        #expect(try file.attribute("labels", as: [String].self) == ["x", "y"])
        #expect(try file.attribute("fixed", as: String.self) == "fixed")
        #expect(try file.attribute("note", on: "train", as: String.self) == "group note")
        #expect(try file.attribute("units", on: "train/lambda", as: String.self) == "1/D")
        #expect(try file.attributeNames() == ["beta", "fixed", "grid", "kernel", "labels", "n", "orders"])
    }
}
