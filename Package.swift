// swift-tools-version: 6.0
import PackageDescription

/// Couponmark: sealed discounts hidden in coupon PNGs.
///
/// Layering (one direction only): `ImageCore` <- `Watermark`, `PNGCodec` (over `CPNGShim`/`CLibPNG`)
/// <- `CouponCLI` <- the `coupon` executable. The image side never imports the coupon domain.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Couponmark",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "coupon", targets: ["coupon"]),
        .executable(name: "coupon-server", targets: ["coupon-server"]),
        .library(name: "PNGCodec", targets: ["PNGCodec"]),
        .library(name: "Watermark", targets: ["Watermark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .target(name: "ImageCore", swiftSettings: swiftSettings),
        .systemLibrary(
            name: "CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev", "zlib1g-dev", "pkg-config"])]
        ),
        .target(name: "CPNGShim", dependencies: ["CLibPNG"]),
        .target(name: "PNGCodec", dependencies: ["ImageCore", "CPNGShim"], swiftSettings: swiftSettings),
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
                "ImageCore", "PNGCodec",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CouponCLI",
            dependencies: [
                "ImageCore", "PNGCodec", "CouponKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "coupon",
            dependencies: ["CouponCLI"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "coupon-server",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PNGCodecTests",
            dependencies: ["PNGCodec", "ImageCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponArtTests",
            dependencies: ["CouponArt", "ImageCore", "PNGCodec"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CouponKitTests",
            dependencies: ["CouponKit", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "WatermarkTests", dependencies: ["Watermark", "ImageCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CouponCLITests",
            dependencies: ["CouponCLI", "PNGCodec", "ImageCore"],
            swiftSettings: swiftSettings
        ),
    ]
)
