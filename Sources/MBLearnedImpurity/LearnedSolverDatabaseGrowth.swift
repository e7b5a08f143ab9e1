import Foundation
import MBImpurity

/// The dynamic database: samples solved exactly during a learned-solver DMFT run, appended to an
/// impurity database file.
///
/// The records are appended with `ImpurityDatabase.append` after the existing rows and get the
/// next global indices N, N + 1, …; the configuration's `samples` becomes the new row count, so
/// the file stays a complete, loadable database (`ImpurityDatabase(contentsOf:)`). Their
/// parameters are not drawn from the configuration's seed (they are the baths the DMFT loop
/// produced), so a rebuild from the seed reproduces only the first N. The file is rewritten
/// atomically (a reader sees the old or the new database). A missing file is created with the
/// training database's configuration (and `samples` = the records appended). Only whole
/// databases (shard 0/1) are extended.
public enum LearnedSolverDatabaseGrowth {
    public static func append(_ records: [ImpuritySampleRecord], to path: String, template: ImpurityDatabaseConfiguration) throws {
        var existing: [ImpuritySampleRecord] = []
        var configuration = template
        if FileManager.default.fileExists(atPath: path) {
            let database = try ImpurityDatabase(contentsOf: path)
            configuration = database.configuration
            guard configuration.shard == .whole else {
                throw ImpurityDatabaseError.configurationMismatch(file: path, field: "shard", expected: "0/1", found: "\(configuration.shard)",
                                                                  context: "is a shard; new samples are appended only to a whole database (merge the shards first)")
            }
            for (field, found, expected) in [("points", configuration.points, template.points),
                                             ("legendre_coefficients", configuration.legendreCoefficients, template.legendreCoefficients),
                                             ("matsubara_stored", configuration.storedFrequencies, template.storedFrequencies),
                                             ("bath_sites", configuration.bathSites, template.bathSites)] where found != expected {
                throw ImpurityDatabaseError.configurationMismatch(file: path, field: field, expected: "\(expected)", found: "\(found)",
                                                                  context: "differs from the model's training database")
            }
            existing = (0..<database.count).map { database[$0] }
        }
        for name in configuration.solvers.map(\.name) {
            guard records.allSatisfy({ $0.outputs[name] != nil }) else {
                throw ImpurityDatabaseError.missingField(file: path, field: "g_tau/\(name) (of a new sample)")
            }
        }
        var next = existing.count
        var added: [ImpuritySampleRecord] = []
        for var record in records {
            record.parameters.index = next
            next += 1
            added.append(record)
        }
        configuration.samples = next
        configuration.shard = .whole
        try ImpurityDatabase(configuration: configuration, records: existing + added).write(to: path)
    }
}
