// swift-tools-version:6.1
import PackageDescription

/// The same strict settings on every target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "fullchain",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fullchain", targets: ["fullchain"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // SHA-256 block compression in C (x86 SHA extensions when present) for the codes' MAC.
        .target(name: "CFullChainSHA"),
        // Nayuki's QR Code generator in C, from the system (Debian: libqrcodegen-dev).
        .systemLibrary(name: "CQRCodeGen", pkgConfig: "qrcodegen", providers: [.apt(["libqrcodegen-dev"])]),
        // Domain types and rules: no I/O; swift-crypto and the block function above for the codes' MAC,
        // the QR Code generator for code images.
        .target(
            name: "FullChainCore",
            dependencies: [
                "CFullChainSHA",
                "CQRCodeGen",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/cn-regions.csv"), .copy("Resources/cn-regions.ATTRIBUTION.md")],
            swiftSettings: swiftSettings
        ),
        // Spreadsheet formats: CSV (UTF-8, BOM, GB18030) and XLSX read/write (dates through the core's CalendarDate).
        .target(
            name: "FullChainTabular",
            dependencies: [
                "FullChainCore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // Repositories with SQLite (GRDB) and PostgreSQL (PostgresNIO) implementations.
        .target(
            name: "FullChainStorage",
            dependencies: [
                "FullChainCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The application without HTTP: the scan path, campaign draws, payouts, store
        // intelligence, code keys, imports and exports, the demo, and the server's configuration.
        .target(
            name: "FullChainApp",
            dependencies: [
                "FullChainCore",
                "FullChainStorage",
                "FullChainTabular",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP server: API, web pages, auth.
        .target(
            name: "FullChainServer",
            dependencies: [
                "FullChainApp",
                "FullChainCore",
                "FullChainStorage",
                "FullChainTabular",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Web/Assets")],
            swiftSettings: swiftSettings
        ),
        // Local stand-ins for outside services that behave as their documentation says (WeChat's
        // web authorisation, Tencent Cloud SMS), for the tests and the demo: nothing calls the internet.
        .target(
            name: "FullChainFakes",
            dependencies: [
                "FullChainCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // The thin command line: demo, serve, import.
        .executableTarget(
            name: "fullchain",
            dependencies: [
                "FullChainApp",
                "FullChainFakes",
                "FullChainServer",
                "FullChainStorage",
                "FullChainCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test helpers: QR images read back with zbarimg and rsvg-convert, PNG files taken apart.
        .target(
            name: "QRTestSupport",
            path: "Tests/QRTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FullChainCoreTests",
            dependencies: ["FullChainCore", "CFullChainSHA", "QRTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FullChainTabularTests",
            dependencies: ["FullChainTabular"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FullChainStorageTests",
            dependencies: ["FullChainStorage", "FullChainCore", .product(name: "GRDB", package: "GRDB.swift")],
            // Read by the tests from the source tree: the landed migrations' text, pinned.
            exclude: ["LandedMigrations"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FullChainServerTests",
            dependencies: [
                "FullChainApp",
                "FullChainFakes",
                "FullChainServer",
                "FullChainStorage",
                "FullChainCore",
                "FullChainTabular",
                "QRTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
