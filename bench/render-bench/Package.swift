// swift-tools-version:6.0
import PackageDescription

// Render throughput of CardTemplates: `swift run -c release render-bench` from this directory.
// A package of its own so the relay's package stays free of benchmark targets; Sources/JSON and
// Sources/CardTemplates are links to the real modules.
let package = Package(
    name: "render-bench",
    targets: [
        .target(name: "JSON", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "CardTemplates", dependencies: ["JSON"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(name: "render-bench", dependencies: ["CardTemplates", "JSON"], swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
