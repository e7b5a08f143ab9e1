extension ImpurityDatabase {
    /// Joins databases that hold pieces of one run (shards of a cluster job array, or the parts
    /// of a build) into one database with `configuration`, rows in ascending index.
    ///
    /// Every piece must have `configuration` apart from the shard (seed, N, sampling ranges,
    /// solvers, grids); no index may appear twice, and together they must hold every index of
    /// `configuration.indexRange`. The result equals what one unsharded build writes (only the
    /// `seconds` columns differ, being wall times).
    /// - Throws: `ImpurityDatabaseError.configurationMismatch` naming the file and the first
    ///   differing field, `.overlappingSamples`, `.missingSamples`.
    public static func merged(_ pieces: [(path: String, database: ImpurityDatabase)], configuration: ImpurityDatabaseConfiguration,
                              context: String = "is not a shard of the same run") throws(ImpurityDatabaseError) -> ImpurityDatabase {
        for (path, database) in pieces {
            if let difference = configuration.differences(from: database.configuration, includingShard: false).first {
                throw .configurationMismatch(file: path, field: difference.field, expected: difference.this, found: difference.other,
                                             context: context)
            }
        }
        let ordered = pieces.sorted { ($0.database.indices.first ?? .max) < ($1.database.indices.first ?? .max) }
        var result = ImpurityDatabase(configuration: configuration)
        var owner: [Int: String] = [:]
        for (path, database) in ordered {
            for index in database.indices {
                if let other = owner[index] { throw .overlappingSamples(index: index, files: [other, path]) }
                owner[index] = path
            }
            result.append(contentsOf: database)
        }
        let range = configuration.indexRange
        if let stray = result.indices.first(where: { !range.contains($0) }) {
            throw .configurationMismatch(file: owner[stray] ?? "?", field: "index", expected: "\(range.lowerBound)..<\(range.upperBound)",
                                         found: "\(stray)", context: "holds a sample outside the merged range")
        }
        if result.count != range.count {
            let missing = range.filter { owner[$0] == nil }
            throw .missingSamples(ranges: describeRanges(missing), total: range.count)
        }
        // Pieces are contiguous and disjoint, so sorting them by first index sorts the rows;
        // interleaved pieces (not produced by this code) would break this, hence the check.
        for row in 1..<max(result.count, 1) where result.indices[row] <= result.indices[row - 1] {
            throw .configurationMismatch(file: owner[result.indices[row]] ?? "?", field: "index", expected: "a contiguous range",
                                         found: "interleaved indices", context: "cannot be merged by concatenation")
        }
        return result.relabelled(configuration)
    }

    /// Reads the shard files at `paths` (each a complete shard), merges them into the whole
    /// database (shard "0/1") and writes it atomically to `output`.
    public static func mergeShards(_ paths: [String], into output: String) throws -> ImpurityDatabase {
        guard let first = paths.first else {
            throw ImpurityDatabaseError.missingSamples(ranges: "all (no shard files given)", total: 0)
        }
        let pieces = try paths.map { (path: $0, database: try ImpurityDatabase(contentsOf: $0)) }
        let configuration = pieces[0].database.configuration.with(shard: .whole)
        let merged = try merged(pieces, configuration: configuration, context: "is not a shard of the same run as '\(first)'")
        try merged.write(to: output)
        return merged
    }
}
