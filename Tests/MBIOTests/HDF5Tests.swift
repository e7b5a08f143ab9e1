import Foundation
import MBTensor
import Testing
@testable import MBIO

@Suite("HDF5 files")
struct HDF5Tests {
    @Test("numeric datasets of every type round-trip with their shapes, in nested groups")
    func numericRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("data.h5")
        let lambda = Tensor<Double>(shape: [2, 3, 4], scalars: (0..<24).map { Double($0) * 0.25 - 1.5 })
        let weights = Tensor<Float>(shape: [5], scalars: [1.5, -2.25, .pi, 1e-30, -0.0])
        let scalar = Tensor<Double>(42.5)
        let empty = Tensor<Double>(zeros: [0, 3])
        let indices: [Int64] = [1, -2, 3, Int64.max, Int64.min, 0]
        let counts: [Int32] = [7, -8, Int32.max]

        let file = try HDF5File.create(path)
        try file.write(lambda, at: "train/lambda")
        try file.write(weights, at: "/train/weights")
        try file.write(scalar, at: "scalar")
        try file.write(empty, at: "deep/er/empty")
        try file.write(indices, shape: [3, 2], at: "train/indices")
        try file.write(counts, at: "counts")
        try file.write([10, 20, 30] as [Int], at: "ints")
        try file.close()
        #expect(!file.isOpen)

        let reopened = try HDF5File.open(path)
        #expect(try reopened.readTensor(Double.self, at: "train/lambda") == lambda)
        #expect(try reopened.readTensor(Float.self, at: "train/weights") == weights)
        #expect(try reopened.readTensor(Double.self, at: "scalar") == scalar)
        #expect(try reopened.readTensor(Double.self, at: "deep/er/empty").shape == [0, 3])
        #expect(try reopened.readArray(Int64.self, at: "train/indices") == HDF5Array(shape: [3, 2], values: indices))
        #expect(try reopened.readArray(Int32.self, at: "counts").values == counts)
        #expect(try reopened.readArray(Int.self, at: "ints").values == [10, 20, 30])
        #expect(try reopened.datasetShape(at: "train/lambda") == [2, 3, 4])
        #expect(try reopened.datasetShape(at: "scalar") == [])
        #expect(try reopened.datasetTypeDescription(at: "train/lambda") == "float64")
        #expect(try reopened.datasetTypeDescription(at: "train/weights") == "float32")
        #expect(try reopened.datasetTypeDescription(at: "counts") == "int32")
        #expect(try reopened.members() == ["counts", "deep", "ints", "scalar", "train"])
        #expect(try reopened.members(of: "train") == ["indices", "lambda", "weights"])
        #expect(try reopened.members(of: "/deep/er/") == ["empty"])
        #expect(reopened.contains("train/lambda"))
        #expect(reopened.contains("/train"))
        #expect(reopened.contains("/"))
        #expect(!reopened.contains("train/missing"))
        #expect(!reopened.contains("missing/deeper/still"))
        #expect(reopened.kind(at: "train") == .group)
        #expect(reopened.kind(at: "train/lambda") == .dataset)
        #expect(reopened.kind(at: "nothing") == nil)
    }

    @Test("string datasets, variable and fixed length, with non-ASCII text")
    func stringRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("strings.h5")
        let names = ["β = 10", "", "Hubbard, U/D = 2", "a \"quoted\" word"]
        try HDF5File.writeAtomically(to: path) { file in
            try file.write(strings: names, shape: [2, 2], at: "meta/names")
            try file.write(strings: names, at: "meta/fixed", fixedLength: true)
        }
        let file = try HDF5File.open(path)
        #expect(try file.readStrings(at: "meta/names") == HDF5Array(shape: [2, 2], values: names))
        #expect(try file.readStrings(at: "meta/fixed") == HDF5Array(shape: [4], values: names))
        #expect(try file.datasetTypeDescription(at: "meta/names") == "variable-length string")
        #expect(try file.datasetTypeDescription(at: "meta/fixed") == "fixed-length string (\("Hubbard, U/D = 2".utf8.count) bytes)")
        #expect(throws: HDF5Error.wrongType(file: path, path: "/meta/names", expected: "float64", found: "variable-length string")) {
            try file.readTensor(Double.self, at: "meta/names")
        }
    }

    @Test("attributes of every kind on the file, a group and a dataset")
    func attributes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("attributes.h5")
        do {
            let file = try HDF5File.create(path)
            try file.write(Tensor<Double>(ones: [3]), at: "train/lambda")
            try file.setAttribute("kernel", "physical", on: "/")
            try file.setAttribute("beta", 10.5, on: "/")
            try file.setAttribute("count", 7)
            try file.setAttribute("labels", ["a", "β", ""], on: "train")
            try file.setAttribute("grid", [0.5, 1.5, -2.0], on: "train/lambda")
            try file.setAttribute("orders", [0, 2, 4], on: "train/lambda")
            try file.setAttribute("none", [Double](), on: "train")
            try file.setAttribute("count", "replaced by a string")
            try file.close()
        }
        let file = try HDF5File.open(path)
        #expect(try file.attribute("kernel") == .string("physical"))
        #expect(try file.attribute("beta", as: Double.self) == 10.5)
        #expect(try file.attribute("count", as: String.self) == "replaced by a string")
        #expect(try file.attribute("labels", on: "train", as: [String].self) == ["a", "β", ""])
        #expect(try file.attribute("grid", on: "/train/lambda") == .doubles([0.5, 1.5, -2.0]))
        #expect(try file.attribute("orders", on: "train/lambda", as: [Int].self) == [0, 2, 4])
        #expect(try file.attribute("orders", on: "train/lambda", as: [Double].self) == [0, 2, 4])
        #expect(try file.attribute("none", on: "train") == .doubles([]))
        #expect(try file.attributeNames() == ["beta", "count", "kernel"])
        #expect(try file.attributeNames(on: "train/lambda") == ["grid", "orders"])
        #expect(file.hasAttribute("beta"))
        #expect(!file.hasAttribute("beta", on: "train"))
        #expect(!file.hasAttribute("beta", on: "no/such/group"))

        #expect(throws: HDF5Error.missingAttribute(file: path, object: "/train", name: "beta")) {
            try file.attribute("beta", on: "train")
        }
        #expect(throws: HDF5Error.missingObject(file: path, path: "/test", expected: nil)) {
            try file.attribute("beta", on: "test")
        }
        let wrong = HDF5Error.wrongType(file: path, path: "/ (attribute 'kernel')", expected: "a number", found: "a string (\"physical\")")
        #expect(throws: wrong) { try file.attribute("kernel", as: Double.self) }
        #expect(wrong.description.contains("'kernel'") && wrong.description.contains(path))
        #expect(throws: HDF5Error.readOnly(file: path, operation: "set attribute 'x' on '/'")) {
            try file.setAttribute("x", 1.0)
        }
    }

    @Test("errors name the file, the path, and what was expected against what was found")
    func errors() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("errors.h5")
        try HDF5File.writeAtomically(to: path) { file in
            try file.write(Tensor<Double>(zeros: [4, 2]), at: "train/lambda")
        }
        #expect(throws: HDF5Error.fileNotFound(file: directory.file("absent.h5"))) {
            try HDF5File.open(directory.file("absent.h5"))
        }
        let textFile = directory.file("notes.h5")
        try "this is not HDF5".write(toFile: textFile, atomically: false, encoding: .utf8)
        do {
            _ = try HDF5File.open(textFile)
            Issue.record("opening a text file as HDF5 should fail")
        } catch let HDF5Error.cannotOpen(file, reason) {
            #expect(file == textFile)
            #expect(!reason.isEmpty)
        }

        let file = try HDF5File.open(path, mode: .readWrite)
        let missing = HDF5Error.missingObject(file: path, path: "/train/mu", expected: .dataset)
        #expect(throws: missing) { try file.readTensor(Double.self, at: "train/mu") }
        #expect(missing.description == "'\(path)' has no dataset at '/train/mu'")

        let wrongType = HDF5Error.wrongType(file: path, path: "/train/lambda", expected: "float32 (pass converting: true to convert)", found: "float64")
        #expect(throws: wrongType) { try file.readTensor(Float.self, at: "train/lambda") }
        #expect(wrongType.description.contains("holds float64, expected float32"))
        #expect(try file.readTensor(Float.self, at: "train/lambda", converting: true) == Tensor<Float>(zeros: [4, 2]))
        #expect(throws: HDF5Error.self) { try file.readArray(Int64.self, at: "train/lambda") }
        #expect(try file.readArray(Int64.self, at: "train/lambda", converting: true).values == [Int64](repeating: 0, count: 8))

        let wrongRank = HDF5Error.wrongRank(file: path, path: "/train/lambda", expected: 1, foundShape: [4, 2])
        #expect(throws: wrongRank) { try file.readTensor(Double.self, at: "train/lambda", rank: 1) }
        #expect(wrongRank.description.contains("rank 2 (shape [4, 2]), expected rank 1"))
        #expect(throws: HDF5Error.wrongObjectKind(file: path, path: "/train", expected: .dataset, found: .group)) {
            try file.readTensor(Double.self, at: "train")
        }
        #expect(throws: HDF5Error.wrongObjectKind(file: path, path: "/train/lambda", expected: .group, found: .dataset)) {
            try file.write(Tensor<Double>(ones: [1]), at: "train/lambda/inside")
        }
        #expect(throws: HDF5Error.wrongObjectKind(file: path, path: "/train", expected: .dataset, found: .group)) {
            try file.write(Tensor<Double>(ones: [1]), at: "train")
        }
        #expect(throws: HDF5Error.wrongObjectKind(file: path, path: "/train/lambda", expected: .group, found: .dataset)) {
            try file.members(of: "train/lambda")
        }

        // Replacing a dataset with another shape and type.
        try file.write([1, 2, 3] as [Int32], at: "train/lambda")
        #expect(try file.readArray(Int32.self, at: "train/lambda", rank: 1).values == [1, 2, 3])
        try file.remove("train/lambda")
        #expect(!file.contains("train/lambda"))
        #expect(throws: HDF5Error.missingObject(file: path, path: "/train/lambda", expected: nil)) { try file.remove("train/lambda") }
        try file.close()

        let readOnly = try HDF5File.open(path)
        #expect(throws: HDF5Error.readOnly(file: path, operation: "write dataset 'x'")) {
            try readOnly.write(Tensor<Double>(ones: [1]), at: "x")
        }
    }

    @Test("writeAtomically leaves an existing file untouched when the body throws")
    func atomicWrite() throws {
        struct Interrupted: Error {}
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("atomic.h5")
        try HDF5File.writeAtomically(to: path) { file in
            try file.write(Tensor<Double>([1, 2, 3]), at: "x")
        }
        #expect(throws: Interrupted.self) {
            try HDF5File.writeAtomically(to: path) { file in
                try file.write(Tensor<Double>([9, 9]), at: "x")
                throw Interrupted()
            }
        }
        #expect(try directory.entries() == ["atomic.h5"])
        #expect(try HDF5File.open(path).readTensor(Double.self, at: "x") == Tensor<Double>([1, 2, 3]))
        #expect(throws: HDF5Error.self) {
            try HDF5File.writeAtomically(to: directory.file("no/such/dir/file.h5")) { _ in }
        }
    }

    @Test("a file is closed when its object is released, so it can be reopened for writing")
    func closesOnRelease() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("release.h5")
        do {
            let file = try HDF5File.create(path)
            try file.write(Tensor<Float>([1, 2]), at: "a/b")
        }
        let again = try HDF5File.open(path, mode: .readWrite)
        try again.write(Tensor<Float>([3]), at: "a/c")
        try again.close()
        #expect(try HDF5File.open(path).members(of: "a") == ["b", "c"])
    }

    @Test("gzip-compressed chunked datasets round-trip and are smaller")
    func compression() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let values = Tensor<Double>(shape: [400, 500], scalars: (0..<200_000).map { Double($0 % 7) })
        try HDF5File.writeAtomically(to: directory.file("plain.h5")) { try $0.write(values, at: "v") }
        try HDF5File.writeAtomically(to: directory.file("packed.h5")) { try $0.write(values, at: "v", compressionLevel: 6) }
        #expect(try HDF5File.open(directory.file("packed.h5")).readTensor(Double.self, at: "v") == values)
        let size = { (name: String) in try FileManager.default.attributesOfItem(atPath: directory.file(name))[.size] as! Int }
        #expect(try size("plain.h5") > 1_600_000)
        #expect(try size("packed.h5") < 200_000)
        #expect(HDF5File.chunkShape(for: [400, 500], elementSize: 8) == [262, 500])
        #expect(HDF5File.chunkShape(for: [10, 10], elementSize: 8) == [10, 10])
    }

    @Test("the library version is reported")
    func version() {
        let parts = HDF5Library.version.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil })
    }
}
