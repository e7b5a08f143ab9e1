import CHDF5

/// Attributes on the file's root group (`"/"`), on groups and on datasets.
extension HDF5File {
    /// Sets attribute `name` of the group or dataset at `path`, replacing an existing one.
    ///
    ///     try file.setAttribute("kernel", "fermionic", on: "/")
    ///     try file.setAttribute("beta", 10.0, on: "train")
    ///     try file.setAttribute("orders", [0, 2, 4], on: "train/legendre")
    public func setAttribute<Value: HDF5AttributeConvertible>(_ name: String, _ value: Value, on path: String = "/") throws {
        try HDF5Library.withLock {
            try requireWritable("set attribute '\(name)' on '\(path)'")
            let object = try requireObject(at: path)
            let location = HDF5File.attributePath(name, on: object)
            if H5Aexists_by_name(fileID, object, name, mb_h5p_default()) > 0,
               H5Adelete_by_name(fileID, object, name, mb_h5p_default()) < 0 {
                throw failure("replace attribute", location)
            }
            switch value.attributeValue {
            case let .string(string):
                try HDF5File.withStringBuffer([string], fixedLength: false) { type, bytes in
                    try writeAttribute(name, on: object, shape: nil, type: type, bytes: bytes)
                }
            case let .strings(strings):
                try HDF5File.withStringBuffer(strings, fixedLength: false) { type, bytes in
                    try writeAttribute(name, on: object, shape: [strings.count], type: type, bytes: bytes)
                }
            case var .double(number):
                try writeAttribute(name, on: object, shape: nil, type: mb_h5t_native_double(), bytes: &number)
            case let .doubles(numbers):
                try numbers.withUnsafeBytes {
                    try writeAttribute(name, on: object, shape: [numbers.count], type: mb_h5t_native_double(), bytes: $0.baseAddress)
                }
            case let .integer(integer):
                var stored = Int64(integer)
                try writeAttribute(name, on: object, shape: nil, type: mb_h5t_native_int64(), bytes: &stored)
            case let .integers(integers):
                let stored = integers.map { Int64($0) }
                try stored.withUnsafeBytes {
                    try writeAttribute(name, on: object, shape: [stored.count], type: mb_h5t_native_int64(), bytes: $0.baseAddress)
                }
            }
        }
    }

    /// The attribute `name` of the group or dataset at `path`.
    /// - Throws: `HDF5Error.missingObject`, `.missingAttribute`, `.wrongType` for attribute
    ///   types other than strings and numbers, `.unsupported` for attributes of rank > 1.
    public func attribute(_ name: String, on path: String = "/") throws -> HDF5AttributeValue {
        try HDF5Library.withLock {
            let object = try requireObject(at: path)
            let location = HDF5File.attributePath(name, on: object)
            guard H5Aexists_by_name(fileID, object, name, mb_h5p_default()) > 0 else {
                _ = HDF5Library.takeErrorMessage()
                throw HDF5Error.missingAttribute(file: self.path, object: object, name: name)
            }
            let attribute = H5Aopen_by_name(fileID, object, name, mb_h5p_default(), mb_h5p_default())
            if attribute < 0 { throw failure("open attribute", location) }
            defer { H5Aclose(attribute) }
            let space = H5Aget_space(attribute)
            if space < 0 { throw failure("read the shape of attribute", location) }
            defer { H5Sclose(space) }
            let shape = try self.shape(ofDataspace: space, path: location)
            guard shape.count <= 1 else {
                throw HDF5Error.unsupported(file: self.path, path: location, detail: "attribute has shape \(shape); only scalars and one-dimensional arrays are read")
            }
            let isScalar = shape.isEmpty
            let count = shape.reduce(1, *)
            let type = H5Aget_type(attribute)
            if type < 0 { throw failure("read the type of attribute", location) }
            defer { H5Tclose(type) }
            switch H5Tget_class(type) {
            case H5T_STRING:
                let strings = try readStringElements(fileType: type, count: count, path: location) { memoryType, buffer in
                    H5Aread(attribute, memoryType, buffer)
                }
                return isScalar ? .string(strings[0]) : .strings(strings)
            case H5T_FLOAT:
                var numbers = [Double](repeating: 0, count: count)
                if count > 0, H5Aread(attribute, mb_h5t_native_double(), &numbers) < 0 { throw failure("read attribute", location) }
                return isScalar ? .double(numbers[0]) : .doubles(numbers)
            case H5T_INTEGER:
                var integers = [Int64](repeating: 0, count: count)
                if count > 0, H5Aread(attribute, mb_h5t_native_int64(), &integers) < 0 { throw failure("read attribute", location) }
                return isScalar ? .integer(Int(integers[0])) : .integers(integers.map { Int($0) })
            default:
                throw HDF5Error.wrongType(file: self.path, path: location, expected: "a string, number or integer", found: HDF5File.describeType(type))
            }
        }
    }

    /// The attribute `name` of the object at `path`, as `type`.
    /// - Throws: as `attribute(_:on:)`, and `HDF5Error.wrongType` if it holds another kind.
    public func attribute<Value: HDF5AttributeConvertible>(_ name: String, on path: String = "/", as type: Value.Type) throws -> Value {
        let value = try attribute(name, on: path)
        guard let converted = Value(attributeValue: value) else {
            let location = HDF5File.attributePath(name, on: HDF5File.normalized(path))
            throw HDF5Error.wrongType(file: self.path, path: location, expected: Value.attributeKindDescription,
                                      found: "\(value.kindDescription) (\(value))")
        }
        return converted
    }

    /// True if the object at `path` exists and has attribute `name`.
    public func hasAttribute(_ name: String, on path: String = "/") -> Bool {
        HDF5Library.withLock {
            requireOpen()
            let object = HDF5File.normalized(path)
            guard linkExists(object) else { return false }
            let exists = H5Aexists_by_name(fileID, object, name, mb_h5p_default())
            if exists < 0 { _ = HDF5Library.takeErrorMessage() }
            return exists > 0
        }
    }

    /// Names of the attributes of the object at `path`, sorted.
    public func attributeNames(on path: String = "/") throws -> [String] {
        try HDF5Library.withLock {
            let objectPath = try requireObject(at: path)
            let object = H5Oopen(fileID, objectPath, mb_h5p_default())
            if object < 0 { throw failure("open", objectPath) }
            defer { H5Oclose(object) }
            var names: [String] = []
            let status = withUnsafeMutablePointer(to: &names) { namesPointer in
                H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, context in
                    guard let name, let context else { return -1 }
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                    return 0
                }, namesPointer)
            }
            if status < 0 { throw failure("list attributes of", objectPath) }
            return names.sorted()
        }
    }

    /// Deletes attribute `name` of the object at `path`.
    public func removeAttribute(_ name: String, on path: String = "/") throws {
        try HDF5Library.withLock {
            try requireWritable("remove attribute '\(name)' from '\(path)'")
            let object = try requireObject(at: path)
            guard H5Aexists_by_name(fileID, object, name, mb_h5p_default()) > 0 else {
                _ = HDF5Library.takeErrorMessage()
                throw HDF5Error.missingAttribute(file: self.path, object: object, name: name)
            }
            if H5Adelete_by_name(fileID, object, name, mb_h5p_default()) < 0 {
                throw failure("remove attribute", HDF5File.attributePath(name, on: object))
            }
        }
    }

    // MARK: Internals (callers hold the library lock)

    /// "/train (attribute 'beta')", for messages.
    static func attributePath(_ name: String, on object: String) -> String {
        "\(object) (attribute '\(name)')"
    }

    /// The normalised path of an existing group or dataset.
    func requireObject(at path: String) throws -> String {
        requireOpen()
        let normalized = HDF5File.normalized(path)
        guard linkExists(normalized) else { throw HDF5Error.missingObject(file: self.path, path: normalized, expected: nil) }
        return normalized
    }

    /// Creates attribute `name` on `object` (scalar if `shape` is nil) and writes `bytes`.
    func writeAttribute(_ name: String, on object: String, shape: [Int]?, type: hid_t, bytes: UnsafeRawPointer?) throws {
        let location = HDF5File.attributePath(name, on: object)
        let space = try makeDataspace(shape: shape ?? [], path: location)
        defer { H5Sclose(space) }
        let attribute = H5Acreate_by_name(fileID, object, name, type, space, mb_h5p_default(), mb_h5p_default(), mb_h5p_default())
        if attribute < 0 { throw failure("create attribute", location) }
        defer { H5Aclose(attribute) }
        if (shape ?? [1]).reduce(1, *) > 0, H5Awrite(attribute, type, bytes) < 0 {
            throw failure("write attribute", location)
        }
    }
}
