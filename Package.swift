// swift-tools-version: 6.0
import PackageDescription

/// Couponmark: sealed discounts hidden in coupon PNGs.
///
/// Layering, one direction only (`A -> B`: A depends on B; nothing depends back up):
///
///     image side, never imports the coupon domain:
///       ImageCore                        no dependencies (pixel buffers, decode limits)
///       CPNGShim -> CLibPNG, CLibDeflate the C shim over the system libpng and libdeflate
///       PNGCodec -> ImageCore, CPNGShim
///       CTurboJPEG, CWebP                the system libjpeg-turbo (TurboJPEG API) and libwebp
///       ImageFormats -> ImageCore, PNGCodec, CTurboJPEG, CWebP   JPEG and WebP decoders and
///                                        encoders, format sniffing and one decoder for PNG, JPEG
///                                        and WebP. Its own module, beside PNGCodec rather than
///                                        in it: PNG stays the coupon's format and its module
///                                        needs no JPEG or WebP library; readers of shared
///                                        (re-encoded) copies opt in. ImageCore's `DecodeLimits`
///                                        governs every format.
///       Watermark -> ImageCore, Crypto
///       CouponArt -> ImageCore, CFreeType, CQREncode
///       RobustMark -> ImageCore, Crypto   the robust layer: a keyed 64-bit identifier that survives
///                                        JPEG, WebP, resizing and cropping
///     coupon domain:
///       CouponKit -> ImageCore, PNGCodec, Watermark, RobustMark, Crypto, SwiftCSV   terms, tokens, keys,
///                                        money, rules, ReasonCode (code and meaning), the fragile
///                                        layer's opener (CouponRevealer)
///       CouponMinting -> CouponKit, CouponArt, ImageCore, PNGCodec, RobustMark, Watermark   renders,
///                                        marks and seals coupons (so CouponKit needs no FreeType)
///       CouponReader -> CouponKit, ImageCore, ImageFormats, PNGCodec, RobustMark   the one reader of
///                                        coupon pictures: sniff, decode once, fragile then robust layer
///       CouponAPI -> CouponKit, OpenAPIRuntime   openapi.yaml, the one HTTP contract, and the
///                                        types, server protocol and client generated from it
///       CouponStore -> CouponKit, RobustMark, Crypto   database-free: records, repository
///                                        protocols, the row rules both stores share
///       CouponSQLite -> CouponStore, CouponKit, RobustMark, GRDB, Crypto   the embedded store
///       CouponPostgres -> CouponStore, CouponKit, RobustMark, PostgresNIO, NIOSSL, ServiceLifecycle,
///                         Logging   the same repositories on PostgreSQL (several server instances
///                         over one database); its pool is a Service
///       CouponServer -> CouponAPI, CouponKit, CouponMinting, CouponReader, CouponStore, CouponArt, ImageCore,
///                       ImageFormats, RobustMark, Hummingbird, HummingbirdAuth, Mustache, MultipartKit,
///                       OpenAPIHummingbird, ServiceLifecycle, HTTPTypes, Logging, NIO, Metrics, Prometheus,
///                       Crypto   given a store, never opens one; the JSON API and the web terminals
///                       (server-rendered pages, their templates and stylesheet as resources)
///       CouponCLI -> CouponAPI, CouponKit, CouponMinting, CouponReader, CouponArt, Watermark, RobustMark,
///                    PNGCodec, ImageFormats, ImageCore, CommandLineEntry, ArgumentParser,
///                    OpenAPIURLSession, HTTPTypes, Crypto
///     executables:
///       CommandLineEntry -> ArgumentParser   the one parse/run/exit-code edge of both executables
///       coupon -> CouponCLI, CProcessTuning
///       coupon-server -> CouponServer, CouponStore, CouponSQLite, CouponPostgres, CouponKit, ImageCore,
///                        CommandLineEntry, CProcessTuning, ArgumentParser, ServiceLifecycle,
///                        Hummingbird, Logging   opens the store and hands it to the server
///     CProcessTuning                     C, no dependencies: malloc tuning and the processor check
///                                        for the executables
///     TestSupport -> ImageCore, PNGCodec, ImageFormats, Subprocess, SystemPackage
///                                        seeded generators, files, the child processes (swift-subprocess)
///                                        and the copies pictures meet (JPEG, WebP, resizing,
///                                        cropping, screenshots) shared by the test targets
///     StoreTestSupport -> CouponStore, CouponSQLite, CouponPostgres, CouponKit, TestSupport, GRDB,
///                         PostgresNIO   fresh stores of either kind and the audit fixture, for
///                                        StoreContractTests, CouponSQLiteTests, CouponPostgresTests
///                                        and CouponServerTests
///     FuzzTargets -> PNGCodec, ImageFormats, Watermark, CouponKit, CouponAPI, ImageCore, Crypto,
///                    OpenAPIRuntime
///                                        one function per libFuzzer target; the fuzzer executables
///                                        (`fuzz-NAME`) exist only with COUPONMARK_FUZZ=1 (`tools/fuzz`)
///
/// `CouponServer` and `CouponCLI` never import each other (the client speaks HTTP through
/// the generated client); `CouponStore` knows nothing of HTTP or of any database, and the two
/// stores know nothing of each other.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Whether another package is building this one as its dependency: it is checked out
/// under `.build/checkouts/` (or Xcode's `SourcePackages/checkouts/`), and while SwiftPM
/// resolves versions it reads this manifest straight from a tag of the repository, where
/// the package directory is `/`.
let isDependency =
    Context.packageDirectory == "/"
    || ["/.build/checkouts/", "/SourcePackages/checkouts/"].contains { Context.packageDirectory.contains($0) }

/// Whether this package is being built as the root (this repository's own builds, tests
/// and tools) rather than as a dependency of someone else's package. SwiftPM refuses a
/// dependency whose products use `unsafeFlags`, so the two build settings below apply only
/// to the root: a package that depends on Couponmark's products (``isDependency``) gets
/// them plain, compiled
/// as its own build settings say. `COUPONMARK_PORTABLE=1` builds the root that way too
/// (for measuring what a dependent gets).
let isRootBuild = !isDependency && Context.environment["COUPONMARK_PORTABLE"] != "1"

/// The robust layer and the pixel operations under it are compiled optimised in debug
/// builds too: unoptimised, reading one picture takes seconds instead of milliseconds, and
/// the tests read thousands (every copy of every coupon, the false-positive trial). Their
/// tests still see internals (`-enable-testing` stays); only stepping through them in a
/// debugger suffers. Root builds only (``isRootBuild``).
let optimizedAlways: [SwiftSetting] = isRootBuild ? [.unsafeFlags(["-O"], .when(configuration: .debug))] : []

/// On x86-64 the same two modules are compiled for x86-64-v2 (SSSE3, SSE4.1, SSE4.2,
/// POPCNT: every x86-64 server processor since 2009 or so, the baseline of RHEL 9 and
/// SUSE 16) instead of the original x86-64 (SSE2). Shuffles, blends and minimum/maximum of
/// more lane types then exist as single instructions, and the robust layer's embed and
/// detect took 8 % and 5 % less time (`coupon bench`). Both executables check the
/// processor before anything else and stop with a message on an older one
/// (`couponmark_cpu_runs_image_kernels`); other architectures build as they are. Root
/// builds only (``isRootBuild``): a package depending on the libraries builds them for the
/// baseline, or for x86-64-v2 with `swift build -Xcc -mssse3 -Xcc -msse4.1 -Xcc -msse4.2
/// -Xcc -mpopcnt` (docs/decisions/2026-11-28-x86-64-v2.md).
#if arch(x86_64)
let imageKernelTarget: [SwiftSetting] =
    isRootBuild ? [.unsafeFlags(["-Xcc", "-mssse3", "-Xcc", "-msse4.1", "-Xcc", "-msse4.2", "-Xcc", "-mpopcnt"])] : []
#else
let imageKernelTarget: [SwiftSetting] = []
#endif

let package = Package(
    name: "Couponmark",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "coupon", targets: ["coupon"]),
        .executable(name: "coupon-server", targets: ["coupon-server"]),
        .library(name: "ImageCore", targets: ["ImageCore"]),
        .library(name: "PNGCodec", targets: ["PNGCodec"]),
        .library(name: "ImageFormats", targets: ["ImageFormats"]),
        .library(name: "Watermark", targets: ["Watermark"]),
        .library(name: "RobustMark", targets: ["RobustMark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .target(name: "ImageCore", swiftSettings: swiftSettings + optimizedAlways + imageKernelTarget),
        .target(
            name: "RobustMark",
            dependencies: ["ImageCore", "CFFTW", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings + optimizedAlways + imageKernelTarget
        ),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev", "zlib1g-dev", "pkg-config"])]
        ),
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .target(name: "CPNGShim", dependencies: ["CLibPNG", "CLibDeflate"]),
        .target(name: "CProcessTuning"),
        .target(
            name: "CommandLineEntry",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .target(name: "PNGCodec", dependencies: ["ImageCore", "CPNGShim"], swiftSettings: swiftSettings),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .target(
            name: "ImageFormats",
            dependencies: ["ImageCore", "PNGCodec", "CTurboJPEG", "CWebP"],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "CouponArt",
            dependencies: ["ImageCore", "CFreeType", "CQREncode"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Watermark",
            dependencies: ["ImageCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponKit",
            dependencies: [
                "ImageCore", "PNGCodec", "Watermark", "RobustMark",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponMinting",
            dependencies: ["CouponKit", "CouponArt", "ImageCore", "PNGCodec", "RobustMark", "Watermark"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponReader",
            dependencies: ["CouponKit", "ImageCore", "ImageFormats", "PNGCodec", "RobustMark"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponStore",
            dependencies: [
                "CouponKit",
                "RobustMark",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponSQLite",
            dependencies: [
                "CouponKit", "CouponStore", "RobustMark",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponPostgres",
            dependencies: [
                "CouponKit", "CouponStore", "RobustMark",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponAPI",
            dependencies: ["CouponKit", .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            // The generated files `public import` Foundation types each file may not use;
            // Swift 6.3 warns about every one and has no diagnostic group to silence just
            // that (the generator's `@diagnose` needs 6.4), so this target, which is
            // generated code plus two small files, builds without warnings.
            swiftSettings: [.unsafeFlags(["-suppress-warnings"])],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .target(
            name: "CouponServer",
            dependencies: [
                "CouponAPI", "CouponKit", "CouponMinting", "CouponReader", "CouponStore", "PNGCodec", "ImageCore",
                "ImageFormats",
                "RobustMark",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CouponArt",
            ],
            resources: [.copy("Web/Templates"), .copy("Web/Static")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponCLI",
            dependencies: [
                "ImageCore", "PNGCodec", "ImageFormats", "Watermark", "RobustMark", "CouponArt", "CouponKit", "CouponMinting",
                "CouponReader", "CouponAPI", "CommandLineEntry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "coupon",
            dependencies: ["CouponCLI", "CProcessTuning", "CommandLineEntry"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "coupon-server",
            dependencies: [
                "CouponServer", "CouponStore", "CouponSQLite", "CouponPostgres", "CouponKit", "ImageCore", "CProcessTuning", "CommandLineEntry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FuzzTargets",
            dependencies: [
                "ImageCore", "PNGCodec", "ImageFormats", "Watermark", "CouponKit", "CouponAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "ImageCore", "PNGCodec", "ImageFormats",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PNGCodecTests",
            dependencies: ["PNGCodec", "ImageCore", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ImageFormatsTests",
            dependencies: ["ImageFormats", "PNGCodec", "ImageCore", "TestSupport", "CTurboJPEG"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponArtTests",
            dependencies: ["CouponArt", "ImageCore", "PNGCodec", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponKitTests",
            dependencies: [
                "CouponKit", "CouponMinting", "Watermark", "CouponArt", "ImageCore", "PNGCodec", "RobustMark",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponServerTests",
            dependencies: [
                "CouponServer", "CouponAPI", "CouponMinting", "CouponReader", "CouponStore", "CouponSQLite", "CouponPostgres", "CouponKit",
                "PNGCodec", "ImageCore", "ImageFormats", "RobustMark",
                "TestSupport", "StoreTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StoreTestSupport",
            dependencies: [
                "CouponKit", "CouponStore", "CouponSQLite", "CouponPostgres", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/StoreTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreContractTests",
            dependencies: [
                "StoreTestSupport", "CouponKit", "CouponStore", "CouponSQLite", "CouponPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponSQLiteTests",
            dependencies: [
                "StoreTestSupport", "CouponKit", "CouponStore", "CouponSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponPostgresTests",
            dependencies: [
                "StoreTestSupport", "TestSupport", "CouponKit", "CouponStore", "CouponPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PackagingTests",
            dependencies: ["TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponReaderTests",
            dependencies: [
                "CouponReader", "CouponKit", "CouponMinting", "ImageCore", "ImageFormats", "PNGCodec", "RobustMark",
                "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RobustMarkTests",
            dependencies: ["RobustMark", "ImageCore", "PNGCodec", "ImageFormats", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WatermarkTests",
            dependencies: [
                "Watermark", "ImageCore", "PNGCodec", "CouponArt", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: [
                "FuzzTargets", "ImageCore", "PNGCodec", "ImageFormats", "Watermark", "CouponKit", "CouponAPI",
                "TestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponCLITests",
            dependencies: [
                "CouponCLI", "CouponAPI", "CouponKit", "CommandLineEntry", "PNGCodec", "ImageFormats", "ImageCore", "RobustMark",
                "Watermark", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

/// The libFuzzer executables, one per `FuzzTarget`: only when `tools/fuzz` builds them
/// (COUPONMARK_FUZZ=1, its own `--build-path .build-fuzz`), so the normal build and tests
/// never compile them. Each is a `main.swift` that hands its `FuzzTarget` to `FuzzerMain`'s
/// `runFuzzer`, which calls libFuzzer's `LLVMFuzzerRunDriver` (`CFuzzerDriver`): SwiftPM links
/// an executable's main under its own name, so libFuzzer's `main` cannot be used.
///
/// The sanitizers are set here, per target, rather than with `-Xswiftc`: SwiftPM passes
/// `-Xswiftc` to the build-time tools too, and the OpenAPI generator's tool then links
/// libFuzzer's `main` beside its own (ld.gold fails). So Couponmark's own library targets (Swift and
/// the C shim) are compiled with coverage and AddressSanitizer, the `fuzz-*` executables link
/// libFuzzer and ASan, and the third-party packages stay uninstrumented (their crashes are
/// still caught; their branches give no coverage feedback).
if Context.environment["COUPONMARK_FUZZ"] == "1" {
    let instrumentedSwift: Set<String> = [
        "ImageCore", "PNGCodec", "ImageFormats", "Watermark", "CouponArt", "CouponKit", "CouponAPI", "FuzzTargets",
    ]
    for target in package.targets {
        if instrumentedSwift.contains(target.name) {
            target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-sanitize=fuzzer,address"])]
        } else if target.name == "CPNGShim" {
            target.cSettings = (target.cSettings ?? []) + [.unsafeFlags(["-fsanitize=fuzzer-no-link,address"])]
        }
    }
    package.targets.append(.systemLibrary(name: "CFuzzerDriver"))
    package.targets.append(.target(name: "FuzzerMain", dependencies: ["FuzzTargets", "CFuzzerDriver"]))
    for name in [
        "png-decode", "jpeg-decode", "webp-decode", "watermark-extract", "sealed-token-open", "terms-file", "json-bodies",
    ] {
        package.products.append(.executable(name: "fuzz-\(name)", targets: ["fuzz-\(name)"]))
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)",
                dependencies: ["FuzzTargets", "FuzzerMain"],
                swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])],
                linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
            ))
    }
}

/// Built as a dependency, Couponmark is its published libraries and nothing else: the
/// executables, the server and client modules, the test targets and every package only they
/// need (Hummingbird, PostgreSQL, GRDB, the OpenAPI generator, ...) are dropped from the
/// manifest. SwiftPM would otherwise resolve all of them and build the OpenAPI generator's
/// plugin for a target the dependent never uses: the consumer test's build took 3.3 min on
/// 2 cores that way, most of it the generator (2026-12-07).
if isDependency {
    package.products.removeAll { $0 is Product.Executable }
    var kept = Set<String>()
    var pending = package.products.flatMap { ($0 as? Product.Library)?.targets ?? [] }
    var packagesUsed = Set<String>()
    while let name = pending.popLast() {
        guard kept.insert(name).inserted, let target = package.targets.first(where: { $0.name == name }) else { continue }
        for dependency in target.dependencies {
            switch dependency {
            case .targetItem(let name, _), .byNameItem(let name, _): pending.append(name)
            case .productItem(_, let package?, _, _): packagesUsed.insert(package)
            default: break
            }
        }
    }
    package.targets.removeAll { !kept.contains($0.name) }
    package.dependencies.removeAll { dependency in
        guard case .sourceControl(_, let location, _) = dependency.kind else { return false }
        return !packagesUsed.contains { location.hasSuffix("/" + $0) }
    }
}
