// swift-tools-version: 6.0
import PackageDescription

/// Release builds target the build machine's CPU: without it Swift and C loops compile for
/// baseline x86-64 and SIMD arithmetic degrades to per-lane libm calls (PERFORMANCE-NOTES).
let nativeSwift: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native"]),
    .unsafeFlags(["-Ounchecked", "-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]
let nativeC: [CSetting] = [
    .unsafeFlags(["-march=native", "-fno-math-errno", "-fno-trapping-math"]),
    .unsafeFlags(["-O3"], .when(configuration: .release)),
]

let package = Package(
    name: "ManyBodyML",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "ManyBodyML", targets: ["MBTensor", "MBNN", "MBIO", "MBPlot", "MBContinuation", "MBGreens", "MBImpurity", "MBLearnedImpurity"]),
        .executable(name: "mbml", targets: ["mbml"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CLinearAlgebra", path: "Sources/CLinearAlgebra"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5-serial"),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3"),
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: nativeC, linkerSettings: [.linkedLibrary("m")]),
        .target(
            name: "MBTensor",
            dependencies: ["CLinearAlgebra", "CKernels", .product(name: "Numerics", package: "swift-numerics")],
            swiftSettings: nativeSwift),
        .target(name: "MBNN", dependencies: ["MBTensor"], swiftSettings: nativeSwift),
        .target(name: "MBIO", dependencies: ["MBTensor", "MBNN", "CHDF5", "CLinearAlgebra"], swiftSettings: nativeSwift),
        .target(name: "MBPlot", swiftSettings: nativeSwift),
        .target(name: "MBContinuation", dependencies: ["MBTensor", "MBNN", "MBIO", "MBPlot"], swiftSettings: nativeSwift),
        .target(name: "MBGreens", dependencies: ["MBTensor", "CFFTW", .product(name: "Numerics", package: "swift-numerics")], swiftSettings: nativeSwift),
        .target(name: "MBImpurity", dependencies: ["MBTensor", "MBGreens", "MBIO", "MBPlot", .product(name: "Numerics", package: "swift-numerics")], swiftSettings: nativeSwift),
        .target(name: "MBLearnedImpurity", dependencies: ["MBTensor", "MBNN", "MBIO", "MBPlot", "MBGreens", "MBImpurity", .product(name: "Numerics", package: "swift-numerics")], swiftSettings: nativeSwift),
        .target(name: "MBBench", dependencies: ["MBTensor", "MBNN", "MBContinuation", "MBGreens", "MBImpurity"], swiftSettings: nativeSwift),
        .executableTarget(
            name: "mbml",
            dependencies: ["MBTensor", "MBNN", "MBIO", "MBPlot", "MBContinuation", "MBGreens", "MBImpurity", "MBLearnedImpurity", "MBBench", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: nativeSwift),
        .testTarget(name: "MBTensorTests", dependencies: ["MBTensor"], swiftSettings: nativeSwift),
        .testTarget(name: "MBNNTests", dependencies: ["MBNN", "MBTensor"], swiftSettings: nativeSwift),
        .testTarget(name: "CommandLineTests", dependencies: ["mbml"], swiftSettings: nativeSwift),
        .testTarget(name: "MBPlotTests", dependencies: ["MBPlot"], swiftSettings: nativeSwift),
        .testTarget(name: "MBContinuationTests", dependencies: ["MBContinuation", "MBNN", "MBTensor", "MBIO"], swiftSettings: nativeSwift),
        .testTarget(name: "MBGreensTests", dependencies: ["MBGreens", "MBTensor"], swiftSettings: nativeSwift),
        .testTarget(name: "MBImpurityTests", dependencies: ["MBImpurity", "MBGreens", "MBTensor", .product(name: "Numerics", package: "swift-numerics")], swiftSettings: nativeSwift),
        .testTarget(name: "MBLearnedImpurityTests", dependencies: ["MBLearnedImpurity", "MBImpurity", "MBGreens", "MBNN", "MBTensor", "MBIO", .product(name: "Numerics", package: "swift-numerics")], swiftSettings: nativeSwift),
        .testTarget(name: "MBIOTests", dependencies: ["MBIO", "MBNN", "MBTensor"], swiftSettings: nativeSwift),
    ],
    swiftLanguageModes: [.v6]
)
