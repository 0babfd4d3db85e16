// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Frasario",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "frasario", targets: ["frasario"]),
        .library(name: "Frasario", targets: ["Frasario"]),
    ],
    dependencies: [
        // Command-line parsing for the thin CLI.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // YAML lexicon files.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        // The run history: SQLite with migrations and transactions, without hand-written C bindings.
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "Frasario",
            dependencies: ["CPCRE2", "CZlib", .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "frasario",
            dependencies: ["Frasario", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "FrasarioTests",
            dependencies: ["Frasario", .product(name: "GRDB", package: "GRDB.swift")],
            // Read by path (#filePath), not bundled.
            exclude: ["Fixtures"]
        ),
    ]
)
