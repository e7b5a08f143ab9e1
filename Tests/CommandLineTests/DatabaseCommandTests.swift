import Foundation
import MBImpurity
import Testing

@Suite("mbml dmft database")
struct DatabaseCommandTests {
    let folder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbml-database-cli-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A quick database: 3 bath sites, β ∈ {1, 2}, two cheap solvers, small grids.
    func arguments(_ output: String, extra: [String] = []) -> [String] {
        ["dmft", "database", "--samples", "6", "--bath-sites", "3", "--beta", "1,2", "--inputs", "hubbard-i,ed1",
         "--points", "21", "--legendre", "12", "--seed", "5", "--chunk", "2", "--output", output] + extra
    }

    @Test func buildShardMergeAndResume() throws {
        let whole = folder + "/whole.h5"
        let build = try MBMLProcess.run(arguments(whole, extra: ["--threads", "2"]))
        #expect(build.status == 0, "\(build.error)")
        #expect(build.output.contains("6 samples (6 computed") && build.output.contains("solver time per sample: ed "))
        #expect(build.error.contains("6/6 samples (100.0%)"))
        #expect(!FileManager.default.fileExists(atPath: whole + ".parts"))
        let again = try MBMLProcess.run(arguments(whole))
        #expect(again.status == 0 && again.output.contains("already complete"))

        // Two shards on one thread each, merged, equal the unsharded build (wall times aside).
        var shards: [String] = []
        for i in 0..<2 {
            let path = folder + "/shard\(i).h5"
            let result = try MBMLProcess.run(arguments(path, extra: ["--shard", "\(i)/2", "--threads", "1", "--quiet"]))
            #expect(result.status == 0 && result.output.isEmpty, "\(result.error)")
            shards.append(path)
        }
        let merged = folder + "/merged.h5"
        let merge = try MBMLProcess.run(["dmft", "database", "merge", "--output", merged] + shards)
        #expect(merge.status == 0 && merge.output.contains("6 samples from 2 shard(s)"), "\(merge.error)")
        let a = try ImpurityDatabase(contentsOf: whole), b = try ImpurityDatabase(contentsOf: merged)
        #expect(a.configuration == b.configuration && a.indices == b.indices && a.parameters == b.parameters)
        for (name, columns) in a.solvers {
            #expect(columns.gTau == b.solvers[name]?.gTau && columns.legendre == b.solvers[name]?.legendre
                    && columns.gMatsubara == b.solvers[name]?.gMatsubara && columns.occupation == b.solvers[name]?.occupation)
        }

        // Refusals name the file and the field.
        let missing = try MBMLProcess.run(["dmft", "database", "merge", "--output", folder + "/bad.h5", shards[1]])
        #expect(missing.status != 0 && missing.error.contains("missing 0..<3"))
        let other = folder + "/other.h5"
        _ = try MBMLProcess.run(["dmft", "database", "--samples", "6", "--bath-sites", "3", "--beta", "1,2", "--inputs", "hubbard-i,ed1",
                                 "--points", "21", "--legendre", "12", "--seed", "5", "--shard", "1/2", "--u-range", "1:4", "--quiet",
                                 "--output", other])
        let mismatch = try MBMLProcess.run(["dmft", "database", "merge", "--output", folder + "/bad.h5", shards[0], other])
        #expect(mismatch.status != 0 && mismatch.error.contains("other.h5") && mismatch.error.contains("u_range"), "\(mismatch.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/bad.h5"))
        let changed = try MBMLProcess.run(arguments(whole, extra: ["--w-range", "2:3"]))
        #expect(changed.status != 0 && changed.error.contains("w_range"))
    }

    @Test func badOptionsAreNamed() throws {
        let out = folder + "/bad.h5"
        let solver = try MBMLProcess.run(["dmft", "database", "--samples", "4", "--inputs", "ipt,ed9", "--output", out])
        #expect(solver.status != 0 && solver.error.contains("'ed9'"))
        let shard = try MBMLProcess.run(["dmft", "database", "--samples", "4", "--shard", "2/2", "--output", out])
        #expect(shard.status != 0 && shard.error.contains("shard"))
        let range = try MBMLProcess.run(["dmft", "database", "--samples", "4", "--u-range", "5", "--output", out])
        #expect(range.status != 0 && range.error.contains("--u-range"))
        let beta = try MBMLProcess.run(["dmft", "database", "--samples", "4", "--beta", "1,x", "--output", out])
        #expect(beta.status != 0 && beta.error.contains("--beta"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
