import Dispatch
import Foundation
import MBTensor
import Synchronization

/// Builds an impurity database (one shard of it) in parallel and resumably.
///
/// The shard's global indices are cut into chunks of `chunkSize`; chunk c holds
/// [start + c·chunkSize, min(start + (c+1)·chunkSize, end)). Each chunk's samples are solved by
/// `workers` threads, which take samples one at a time (solve times differ by orders of
/// magnitude between β = 1 and β = 50), and the finished chunk is written atomically to
/// `<output>.parts/chunk-NNNNN.h5`. A rerun with the same configuration and chunk size skips the
/// chunks that exist (a run stopped at any moment loses only unfinished chunks); parts written
/// with another configuration or chunk size are refused with the file and field named. When all
/// chunks exist they are assembled into `output` (atomic write) and the parts folder is removed.
///
/// Every sample draws from its own generator and the solvers do not depend on the thread count
/// (the Lehmann sum adds its partial sums in a fixed order), so a sample is the same bit for bit
/// whatever the shard, chunk, worker count or resumption; only `seconds` differs between runs.
/// Each worker calls the solvers with OpenBLAS as configured (`ComputeThreads`): the command
/// sets one BLAS thread, the ED blocks (≤ 100 states for Nb = 4) are far below the size where
/// LAPACK would use more.
public struct ImpurityDatabaseBuilder: Sendable {
    public let configuration: ImpurityDatabaseConfiguration
    public let chunkSize: Int
    public let workers: Int
    public var solver: ImpuritySampleSolver

    public init(configuration: ImpurityDatabaseConfiguration, chunkSize: Int = 64, workers: Int = 1) throws(ImpurityDatabaseError) {
        try configuration.validate()
        guard chunkSize >= 1 else { throw .invalidConfiguration(field: "chunk", value: "\(chunkSize)", requirement: "must be at least 1") }
        guard workers >= 1 else { throw .invalidConfiguration(field: "threads", value: "\(workers)", requirement: "must be at least 1") }
        self.configuration = configuration
        self.chunkSize = chunkSize
        self.workers = workers
        solver = ImpuritySampleSolver(configuration: configuration)
    }

    /// Where the parts of `output` are kept during a build.
    public static func partsDirectory(for output: String) -> String { output + ".parts" }

    /// The global index ranges of the shard's chunks.
    public var chunks: [Range<Int>] {
        let range = configuration.indexRange
        return stride(from: range.lowerBound, to: range.upperBound, by: chunkSize).map { $0..<min($0 + chunkSize, range.upperBound) }
    }

    public struct Progress: Sendable {
        /// Samples of the shard finished (including chunks found from an earlier run).
        public var done: Int
        public var total: Int
        /// Samples computed by this run so far and the seconds it took.
        public var computed: Int
        public var elapsed: Double
        public var samplesPerSecond: Double { elapsed > 0 ? Double(computed) / elapsed : 0 }
        /// Estimated seconds to finish at the current rate.
        public var remainingSeconds: Double { samplesPerSecond > 0 ? Double(total - done) / samplesPerSecond : .infinity }
    }

    public struct Summary: Sendable {
        /// Samples in the output.
        public var samples: Int
        /// Samples computed by this run (0 when the output was already complete).
        public var computed: Int
        /// Chunks taken from an earlier, interrupted run.
        public var resumedChunks: Int
        /// Wall time of this run.
        public var seconds: Double
        /// Total solver seconds per solver over the computed samples (all workers added).
        public var solverSeconds: [String: Double]
        /// True when `output` already held this database and nothing was done.
        public var alreadyComplete: Bool
        /// False when the run stopped after `maximumNewChunks` with chunks still missing
        /// (the parts stay for the next run; `output` is not written).
        public var complete: Bool = true
    }

    /// Builds (or resumes) the database into `output`. `maximumNewChunks` stops the run after
    /// computing that many chunks (a deliberate interruption, e.g. for a batch job's time limit);
    /// the next run resumes from the parts.
    /// - Throws: `ImpurityDatabaseError` (mismatched parts or output, a failing solver — after
    ///   the chunks finished before it were saved), HDF5 or file-system errors.
    public func build(output: String, maximumNewChunks: Int? = nil, progress: (@Sendable (Progress) -> Void)? = nil) throws -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let fileManager = FileManager.default
        let parts = ImpurityDatabaseBuilder.partsDirectory(for: output)
        if fileManager.fileExists(atPath: output) && !fileManager.fileExists(atPath: parts) {
            let existing = try ImpurityDatabase.configuration(of: output)
            if let difference = configuration.differences(from: existing).first {
                throw ImpurityDatabaseError.configurationMismatch(
                    file: output, field: difference.field, expected: difference.this, found: difference.other,
                    context: "already exists with other settings (remove it or choose another --output)")
            }
            let complete = try ImpurityDatabase(contentsOf: output)
            return Summary(samples: complete.count, computed: 0, resumedChunks: 0, seconds: seconds(), solverSeconds: [:],
                           alreadyComplete: true)
        }
        try fileManager.createDirectory(atPath: parts, withIntermediateDirectories: true)
        let chunks = self.chunks
        func partPath(_ c: Int) -> String { parts + "/" + String(format: "chunk-%05d.h5", c) }
        var finished = [Bool](repeating: false, count: chunks.count)
        for c in chunks.indices where fileManager.fileExists(atPath: partPath(c)) {
            try checkPart(partPath(c), range: chunks[c])
            finished[c] = true
        }
        let resumed = finished.filter { $0 }.count
        var done = chunks.indices.filter { finished[$0] }.reduce(0) { $0 + chunks[$1].count }
        var computed = 0
        var solverSeconds: [String: Double] = [:]
        let total = configuration.indexRange.count
        progress?(Progress(done: done, total: total, computed: 0, elapsed: seconds()))
        var newChunks = 0
        for c in chunks.indices where !finished[c] {
            if let maximumNewChunks, newChunks >= maximumNewChunks {
                return Summary(samples: done, computed: computed, resumedChunks: resumed, seconds: seconds(),
                               solverSeconds: solverSeconds, alreadyComplete: false, complete: false)
            }
            newChunks += 1
            let records = try solveChunk(chunks[c])
            try ImpurityDatabase(configuration: configuration, records: records).write(to: partPath(c), integerAttributes: ["chunk_size": chunkSize])
            for record in records {
                for (name, output) in record.outputs { solverSeconds[name, default: 0] += output.seconds }
            }
            done += records.count
            computed += records.count
            progress?(Progress(done: done, total: total, computed: computed, elapsed: seconds()))
        }
        let pieces = try chunks.indices.map { c in
            (path: partPath(c), database: try ImpurityDatabase(contentsOf: partPath(c), requireComplete: false))
        }
        let assembled = try ImpurityDatabase.merged(pieces, configuration: configuration, context: "is a part of another build")
        try assembled.write(to: output)
        try fileManager.removeItem(atPath: parts)
        return Summary(samples: assembled.count, computed: computed, resumedChunks: resumed, seconds: seconds(),
                       solverSeconds: solverSeconds, alreadyComplete: false)
    }

    /// Refuses a part written by another configuration, chunk size or chunk.
    private func checkPart(_ path: String, range: Range<Int>) throws {
        let stored = try ImpurityDatabase.configuration(of: path)
        if let difference = configuration.differences(from: stored).first {
            throw ImpurityDatabaseError.configurationMismatch(
                file: path, field: difference.field, expected: difference.this, found: difference.other,
                context: "was written by a build with other settings (rerun with those or remove the parts folder)")
        }
        let size = try ImpurityDatabase.integerAttribute("chunk_size", of: path)
        if size != chunkSize {
            throw ImpurityDatabaseError.configurationMismatch(
                file: path, field: "chunk_size", expected: "\(chunkSize)", found: size.map(String.init) ?? "none",
                context: "was written with another --chunk (rerun with that value or remove the parts folder)")
        }
        let part = try ImpurityDatabase(contentsOf: path, requireComplete: false)
        if part.indices != Array(range) {
            throw ImpurityDatabaseError.configurationMismatch(
                file: path, field: "index", expected: "\(range.lowerBound)..<\(range.upperBound)",
                found: ImpurityDatabase.describeRanges(part.indices), context: "does not hold its chunk")
        }
    }

    /// Solves the samples of `range` on `workers` threads; records in index order.
    func solveChunk(_ range: Range<Int>) throws(ImpurityDatabaseError) -> [ImpuritySampleRecord] {
        let n = range.count
        let results = Mutex<[Result<ImpuritySampleRecord, ImpurityDatabaseError>?]>(Array(repeating: nil, count: n))
        let next = Atomic<Int>(0)
        let solver = self.solver, configuration = self.configuration
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= n { return }
                let parameters = ImpuritySampleParameters.sample(index: range.lowerBound + i, configuration: configuration)
                let result = Result { () throws(ImpurityDatabaseError) in try solver.solve(parameters) }
                results.withLock { $0[i] = result }
            }
        }
        let threads = min(workers, n)
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
        let finished = results.withLock { $0 }
        var records: [ImpuritySampleRecord] = []
        records.reserveCapacity(n)
        for result in finished { records.append(try result!.get()) }
        return records
    }
}
