import CHDF5
import MBTensor

/// Numeric datasets: tensors and arrays of float64, float32, int64 and int32 elements.
extension HDF5File {
    /// Writes `tensor` as a dataset of its shape and element type (float64 for `Double`,
    /// float32 for `Float`) at `path`, creating the groups above it and replacing a dataset
    /// already there. `compressionLevel` (0–9) stores it gzip-compressed in chunks of ≤ 1 MiB.
    public func write<Scalar: TensorScalar & HDF5Element>(
        _ tensor: Tensor<Scalar>, at path: String, compressionLevel: Int? = nil
    ) throws {
        try tensor.withUnsafeBufferPointer { buffer in
            try writeDataset(
                at: path, shape: tensor.shape, elementType: Scalar.hdf5Type.nativeTypeIDLocked,
                elementSize: MemoryLayout<Scalar>.stride, compressionLevel: compressionLevel,
                bytes: UnsafeRawPointer(buffer.baseAddress))
        }
    }

    /// Writes `values` (row-major) as a dataset of `shape` (default: one axis of
    /// `values.count`) at `path`; see `write(_:at:compressionLevel:)` for tensors.
    public func write<Element: HDF5Element>(
        _ values: [Element], shape: [Int]? = nil, at path: String, compressionLevel: Int? = nil
    ) throws {
        let shape = shape ?? [values.count]
        precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        try values.withUnsafeBufferPointer { buffer in
            try writeDataset(
                at: path, shape: shape, elementType: Element.hdf5Type.nativeTypeIDLocked,
                elementSize: MemoryLayout<Element>.stride, compressionLevel: compressionLevel,
                bytes: UnsafeRawPointer(buffer.baseAddress))
        }
    }

    /// Reads the dataset at `path` as a tensor.
    ///
    /// - Parameters:
    ///   - rank: if given, the dataset must have this rank.
    ///   - converting: if false (the default) the stored type must be exactly `Scalar`'s
    ///     (float64 for `Double`); if true any integer or floating-point dataset is
    ///     converted by HDF5 (e.g. h5py's float64 default read as `Float`).
    /// - Throws: `HDF5Error.missingObject`, `.wrongObjectKind`, `.wrongType`, `.wrongRank`.
    public func readTensor<Scalar: TensorScalar & HDF5Element>(
        _ type: Scalar.Type, at path: String, rank: Int? = nil, converting: Bool = false
    ) throws -> Tensor<Scalar> {
        try HDF5Library.withLock {
            let (normalized, dataset) = try openDataset(at: path)
            let shape = try datasetShape(of: dataset.id, path: normalized)
            try checkRank(rank, shape: shape, path: normalized)
            let memoryType = try checkedNumericType(Scalar.hdf5Type, of: dataset.id, path: normalized, converting: converting)
            var tensor = Tensor<Scalar>(uninitializedShape: shape)
            if tensor.count > 0 {
                try tensor.withUnsafeMutableBufferPointer { buffer in
                    if H5Dread(dataset.id, memoryType, mb_h5s_all(), mb_h5s_all(), mb_h5p_default(), buffer.baseAddress) < 0 {
                        throw failure("read dataset", normalized)
                    }
                }
            }
            return tensor
        }
    }

    /// Reads the dataset at `path` as an array of `Element`s with its shape; `rank` and
    /// `converting` as for `readTensor`.
    public func readArray<Element: HDF5Element>(
        _ type: Element.Type, at path: String, rank: Int? = nil, converting: Bool = false
    ) throws -> HDF5Array<Element> {
        try HDF5Library.withLock {
            let (normalized, dataset) = try openDataset(at: path)
            let shape = try datasetShape(of: dataset.id, path: normalized)
            try checkRank(rank, shape: shape, path: normalized)
            let memoryType = try checkedNumericType(Element.hdf5Type, of: dataset.id, path: normalized, converting: converting)
            let count = shape.reduce(1, *)
            let values = try [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0,
                   H5Dread(dataset.id, memoryType, mb_h5s_all(), mb_h5s_all(), mb_h5p_default(), buffer.baseAddress) < 0 {
                    throw failure("read dataset", normalized)
                }
                initialized = count
            }
            return HDF5Array(shape: shape, values: values)
        }
    }

    /// The shape of the dataset at `path` (`[]` for a scalar dataset).
    public func datasetShape(at path: String) throws -> [Int] {
        try HDF5Library.withLock {
            let (normalized, dataset) = try openDataset(at: path)
            return try datasetShape(of: dataset.id, path: normalized)
        }
    }

    /// A short description of the dataset's element type: "float64", "int32", "uint8",
    /// "variable-length string", "fixed-length string (8 bytes)", "compound", ...
    public func datasetTypeDescription(at path: String) throws -> String {
        try HDF5Library.withLock {
            let (normalized, dataset) = try openDataset(at: path)
            let type = H5Dget_type(dataset.id)
            if type < 0 { throw failure("read the type of", normalized) }
            defer { H5Tclose(type) }
            return HDF5File.describeType(type)
        }
    }

    // MARK: Internals (callers hold the library lock)

    /// Creates (or replaces) the dataset at `path` and writes `bytes` into it.
    func writeDataset(
        at path: String, shape: [Int], elementType: hid_t, elementSize: Int,
        compressionLevel: Int?, bytes: UnsafeRawPointer?
    ) throws {
        try HDF5Library.withLock {
            try requireWritable("write dataset '\(path)'")
            let parts = HDF5File.components(path)
            let normalized = HDF5File.normalized(path)
            guard !parts.isEmpty else {
                throw HDF5Error.wrongObjectKind(file: self.path, path: "/", expected: .dataset, found: .group)
            }
            try ensureGroups(Array(parts.dropLast()))
            if let found = kind(at: normalized) {
                guard found == .dataset else {
                    throw HDF5Error.wrongObjectKind(file: self.path, path: normalized, expected: .dataset, found: found)
                }
                if H5Ldelete(fileID, normalized, mb_h5p_default()) < 0 { throw failure("replace dataset", normalized) }
            }
            let space = try makeDataspace(shape: shape, path: normalized)
            defer { H5Sclose(space) }
            let creation = try datasetCreationList(shape: shape, elementSize: elementSize, compressionLevel: compressionLevel, path: normalized)
            defer { if creation != mb_h5p_default() { H5Pclose(creation) } }
            let dataset = H5Dcreate2(fileID, normalized, elementType, space, mb_h5p_default(), creation, mb_h5p_default())
            if dataset < 0 { throw failure("create dataset", normalized) }
            defer { H5Dclose(dataset) }
            if shape.reduce(1, *) > 0,
               H5Dwrite(dataset, elementType, mb_h5s_all(), mb_h5s_all(), mb_h5p_default(), bytes) < 0 {
                throw failure("write dataset", normalized)
            }
        }
    }

    /// Opens the dataset at `path`, which must exist and be a dataset.
    func openDataset(at path: String) throws -> (path: String, dataset: HDF5Handle) {
        let normalized = try requireKind(.dataset, at: path)
        let dataset = H5Dopen2(fileID, normalized, mb_h5p_default())
        if dataset < 0 { throw failure("open dataset", normalized) }
        return (normalized, HDF5Handle(dataset, closer: H5Dclose))
    }

    /// A simple dataspace of `shape`, or a scalar one for `[]`.
    func makeDataspace(shape: [Int], path: String) throws -> hid_t {
        let space: hid_t
        if shape.isEmpty {
            space = H5Screate(H5S_SCALAR)
        } else {
            let dims = shape.map { hsize_t($0) }
            space = H5Screate_simple(Int32(shape.count), dims, nil)
        }
        if space < 0 { throw failure("create a dataspace for", path) }
        return space
    }

    /// The extents of a dataset's dataspace.
    func datasetShape(of dataset: hid_t, path: String) throws -> [Int] {
        let space = H5Dget_space(dataset)
        if space < 0 { throw failure("read the shape of", path) }
        defer { H5Sclose(space) }
        return try shape(ofDataspace: space, path: path)
    }

    func shape(ofDataspace space: hid_t, path: String) throws -> [Int] {
        if H5Sget_simple_extent_type(space) == H5S_NULL {
            throw HDF5Error.unsupported(file: self.path, path: path, detail: "has an empty (null) dataspace and holds no values")
        }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        if rank < 0 { throw failure("read the shape of", path) }
        var dims = [hsize_t](repeating: 0, count: rank)
        if rank > 0, H5Sget_simple_extent_dims(space, &dims, nil) < 0 { throw failure("read the shape of", path) }
        return dims.map { Int($0) }
    }

    func checkRank(_ rank: Int?, shape: [Int], path: String) throws {
        if let rank, rank != shape.count {
            throw HDF5Error.wrongRank(file: self.path, path: path, expected: rank, foundShape: shape)
        }
    }

    /// The memory type to read `object`'s data as `expected`, after checking the stored type:
    /// exactly `expected`, or (when `converting`) any integer or floating-point type.
    func checkedNumericType(_ expected: HDF5NumericType, of object: hid_t, path: String, converting: Bool) throws -> hid_t {
        let type = H5Dget_type(object)
        if type < 0 { throw failure("read the type of", path) }
        defer { H5Tclose(type) }
        let typeClass = H5Tget_class(type)
        let isNumeric = typeClass == H5T_FLOAT || typeClass == H5T_INTEGER
        let exact = expected.isFloatingPoint
            ? typeClass == H5T_FLOAT && H5Tget_size(type) == expected.byteCount
            : typeClass == H5T_INTEGER && H5Tget_size(type) == expected.byteCount && H5Tget_sign(type) == H5T_SGN_2
        if !(exact || (converting && isNumeric)) {
            let hint = isNumeric && !converting ? " (pass converting: true to convert)" : ""
            throw HDF5Error.wrongType(
                file: self.path, path: path, expected: expected.rawValue + hint, found: HDF5File.describeType(type))
        }
        return expected.nativeTypeID
    }

    /// Default creation properties, or chunked gzip storage for `compressionLevel`.
    func datasetCreationList(shape: [Int], elementSize: Int, compressionLevel: Int?, path: String) throws -> hid_t {
        guard let level = compressionLevel, !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { return mb_h5p_default() }
        precondition((0...9).contains(level), "gzip compression level must be in 0...9, got \(level)")
        if H5Zfilter_avail(H5Z_filter_t(H5Z_FILTER_DEFLATE)) <= 0 {
            throw HDF5Error.unsupported(file: self.path, path: path, detail: "this HDF5 library has no gzip (deflate) filter; write without compression")
        }
        let chunk = HDF5File.chunkShape(for: shape, elementSize: elementSize)
        let creation = H5Pcreate(mb_h5p_dataset_create())
        let dims = chunk.map { hsize_t($0) }
        if H5Pset_chunk(creation, Int32(chunk.count), dims) < 0 || H5Pset_deflate(creation, UInt32(level)) < 0 {
            H5Pclose(creation)
            throw failure("set up compression for", path)
        }
        return creation
    }

    /// Chunk extents of at most ~1 MiB: leading axes are cut down first, trailing axes kept.
    static func chunkShape(for shape: [Int], elementSize: Int, targetBytes: Int = 1 << 20) -> [Int] {
        var chunk = shape
        for axis in chunk.indices {
            let bytes = chunk.reduce(elementSize, *)
            if bytes <= targetBytes { break }
            let rest = bytes / chunk[axis]
            chunk[axis] = max(1, targetBytes / max(rest, 1))
        }
        return chunk
    }
}

extension HDF5NumericType {
    /// `nativeTypeID`, taking the library lock (for callers outside it).
    var nativeTypeIDLocked: hid_t { HDF5Library.withLock { nativeTypeID } }
}
