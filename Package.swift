// swift-tools-version:6.2
import PackageDescription

// preservica-relay uses the Swift toolchain alone: no package dependencies, no extra system libraries.
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "preservica-relay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "preservica-relay", targets: ["preservica-relay"]),
        .executable(name: "relay-load", targets: ["relay-load"]),
        .executable(name: "render-bench", targets: ["render-bench"]),
        .executable(name: "burst-bench", targets: ["burst-bench"]),
        .executable(name: "hash-bench", targets: ["hash-bench"]),
    ],
    targets: [
        // SHA-256 blocks with the x86 SHA extensions (compiler intrinsics, chosen at run time).
        .target(name: "CSHA256Kernel"),
        .target(name: "Hashing", dependencies: ["CSHA256Kernel"], swiftSettings: strict),
        .target(name: "JSON", swiftSettings: strict),
        // epoll, eventfd and accept4, which Swift's Glibc module does not export (libc only).
        .target(name: "CSystemShims"),
        .target(name: "HTTPServer", dependencies: ["JSON", "CSystemShims"], swiftSettings: strict),
        .target(name: "OutboundHTTP", swiftSettings: strict),
        .target(name: "Preservica", dependencies: ["Hashing", "JSON", "OutboundHTTP"], swiftSettings: strict),
        .target(name: "CardTemplates", dependencies: ["JSON"], swiftSettings: strict),
        .target(name: "ChatTargets", dependencies: ["JSON", "CardTemplates", "OutboundHTTP", "Hashing"], swiftSettings: strict),
        .target(
            name: "Relay",
            dependencies: ["Hashing", "JSON", "HTTPServer", "OutboundHTTP", "Preservica", "CardTemplates", "ChatTargets"],
            swiftSettings: strict
        ),
        // The curators' console: sessions, CSRF, the JSON API and the page, above Relay.
        .target(
            name: "Console",
            dependencies: ["Relay", "Preservica", "HTTPServer", "Hashing", "JSON", "OutboundHTTP", "ChatTargets"],
            swiftSettings: strict
        ),
        .target(name: "PreservicaSimulator", dependencies: ["HTTPServer", "Hashing", "JSON"], swiftSettings: strict),
        .executableTarget(name: "preservica-relay", dependencies: ["Relay", "Console", "PreservicaSimulator", "ChatTargets", "CardTemplates", "JSON", "Preservica"], swiftSettings: strict),
        // Load generator for bench/receiver.sh; not part of the relay.
        .executableTarget(name: "relay-load", dependencies: ["Hashing"], path: "bench/relay-load", swiftSettings: strict),
        // Template rendering benchmark for bench/render.sh; not part of the relay.
        .executableTarget(name: "render-bench", dependencies: ["CardTemplates", "JSON", "Preservica", "Relay"],
                          path: "bench/render-bench", swiftSettings: strict),
        // End-to-end burst benchmark for bench/burst.sh; not part of the relay.
        .executableTarget(name: "burst-bench", dependencies: ["PreservicaSimulator", "JSON"], path: "bench/burst-bench",
                          swiftSettings: strict),
        // Signature-check benchmark for bench/hmac.sh; not part of the relay.
        .executableTarget(name: "hash-bench", dependencies: ["Hashing"], path: "bench/hash-bench", swiftSettings: strict),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "PreservicaSimulator"], swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(name: "CardTemplatesTests", dependencies: ["CardTemplates", "JSON"], swiftSettings: strict),
        .testTarget(
            name: "ChatTargetsTests",
            dependencies: ["ChatTargets", "CardTemplates", "JSON", "Relay", "Preservica", "OutboundHTTP"],
            swiftSettings: strict
        ),
        .testTarget(name: "PreservicaTests", dependencies: ["Preservica"], swiftSettings: strict),
        .testTarget(
            name: "PreservicaSimulatorTests",
            dependencies: ["PreservicaSimulator", "HTTPServer", "Hashing", "JSON", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "Relay", "Preservica", "PreservicaSimulator", "HTTPServer", "JSON", "ChatTargets", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RelayTests",
            dependencies: ["Relay", "Preservica", "HTTPServer", "Hashing", "CardTemplates", "ChatTargets", "JSON", "OutboundHTTP", "TestSupport",
                           "PreservicaSimulator"],
            swiftSettings: strict
        ),
    ]
)
