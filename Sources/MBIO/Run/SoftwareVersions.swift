import CLinearAlgebra
import Foundation

/// Versions of everything that can change a run's numbers, for `run.json`.
public struct SoftwareVersions: Codable, Sendable, Equatable {
    /// ManyBodyML's own version (given by the caller, e.g. the `mbml` version string).
    public var manyBodyML: String
    /// The Swift compiler that built the program, to the minor version ("6.3").
    public var swiftCompiler: String
    /// OpenBLAS's build configuration (`openblas_get_config()`: version, target core, threads).
    public var openBLAS: String
    /// The linked HDF5 library.
    public var hdf5: String
    public var operatingSystem: String

    public init(manyBodyML: String, swiftCompiler: String, openBLAS: String, hdf5: String, operatingSystem: String) {
        self.manyBodyML = manyBodyML
        self.swiftCompiler = swiftCompiler
        self.openBLAS = openBLAS
        self.hdf5 = hdf5
        self.operatingSystem = operatingSystem
    }

    /// The versions of the running program.
    public static func current(manyBodyML: String) -> SoftwareVersions {
        SoftwareVersions(
            manyBodyML: manyBodyML,
            swiftCompiler: swiftCompilerVersion,
            openBLAS: openblas_get_config().map { String(cString: $0) } ?? "unknown",
            hdf5: HDF5Library.version,
            operatingSystem: ProcessInfo.processInfo.operatingSystemVersionString)
    }

    /// The compiler version, known only at compile time through `#if compiler(...)`.
    public static var swiftCompilerVersion: String {
        #if compiler(>=7.0)
        return ">= 7.0"
        #elseif compiler(>=6.5)
        return "6.5"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }
}
