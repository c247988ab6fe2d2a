import Hashing

extension SimulatorRepository {
    /// Fixed references of the sample repository, so tests and scripts can name entities.
    public enum SampleRefs {
        /// Root folder "Collections".
        public static let collections = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b01"
        /// "Letters & Correspondence", inside Collections.
        public static let letters = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b02"
        /// "Bjørnson family papers", inside Letters (third level).
        public static let bjornsonPapers = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b03"
        /// "Maps and plans", inside Collections.
        public static let maps = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b04"
        /// "Restricted records", a second root folder.
        public static let restricted = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b05"

        /// "Bjørnson: brev til Åse, 1884": Preservation (a migrated TIFF over an inactive original) and Access.
        public static let letterAsset = "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2"
        /// "東京の地図": one representation, one content object.
        public static let tokyoMapAsset = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f01"
        /// "Minutes of the Board, 1921 <draft> & notes": a title that needs escaping, with a description.
        public static let minutesAsset = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f02"
        /// "Personnel file, 1950–1975": security tag `closed`.
        public static let closedAsset = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f03"
        /// "Photograph album, 1890–1910": 4 content objects × 7 bitstreams = 28 active bitstreams.
        public static let albumAsset = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f04"
        /// "Ledger (physical item)": no representations.
        public static let physicalAsset = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f05"

        /// The letter's preservation content object.
        public static let letterPreservationCO = "ad30d41e-b75c-4195-b569-91e820f430ac"
        /// The letter's access content object.
        public static let letterAccessCO = "ad30d41e-b75c-4195-b569-91e820f430ad"
        /// An unknown reference, for 404 checks.
        public static let unknown = "00000000-0000-4000-8000-000000000000"
    }

    /// The built-in sample: 5 folders three levels deep, 6 assets (non-ASCII titles, a `closed` one,
    /// one with 28 bitstreams, one without representations), inactive generations and identifiers.
    public static var sample: SimulatorRepository {
        typealias R = SampleRefs
        let folders = [
            SimulatedFolder(ref: R.collections, title: "Collections", description: "Top of the demo archive"),
            SimulatedFolder(ref: R.letters, title: "Letters & Correspondence", parent: R.collections),
            SimulatedFolder(ref: R.bjornsonPapers, title: "Bjørnson family papers", parent: R.letters, modified: "2025-03-01T12:00:00"),
            SimulatedFolder(ref: R.maps, title: "Maps and plans", parent: R.collections),
            SimulatedFolder(ref: R.restricted, title: "Restricted records", securityTag: "closed"),
        ]
        let letter = SimulatedAsset(
            ref: R.letterAsset, title: "Bjørnson: brev til Åse, 1884",
            description: "Brev fra Bjørnstjerne Bjørnson, 4 sider", parent: R.bjornsonPapers,
            identifiers: [SimulatedIdentifier(type: "code", value: "BJ-1884-017"), SimulatedIdentifier(type: "BatchId", value: "batch-2025-03")],
            representations: [
                SimulatedRepresentation(type: "Preservation", contentObjects: [
                    SimulatedContentObject(ref: R.letterPreservationCO, title: "brev-1884", generations: [
                        SimulatedGeneration(original: true, active: false, formatName: "Tagged Image File Format",
                                            bitstreams: [bitstream("brev-1884-original.tif", 52_428_800)]),
                        SimulatedGeneration(original: false, active: true, formatGroup: "image", puid: "fmt/1777",
                                            formatName: "JPEG 2000 (Part 1)", effectiveDate: "2025-03-01T11:58:12.000Z",
                                            bitstreams: [bitstream("brev-1884.jp2", 18_874_368)]),
                    ]),
                ]),
                SimulatedRepresentation(type: "Access", contentObjects: [
                    SimulatedContentObject(ref: R.letterAccessCO, title: "brev-1884-access", generations: [
                        SimulatedGeneration(puid: "fmt/43", formatName: "JPEG File Interchange Format",
                                            bitstreams: [bitstream("brev-1884.jpg", 1_048_576)]),
                    ]),
                ]),
            ],
            modified: "2025-03-01T12:00:00")
        let tokyo = SimulatedAsset(
            ref: R.tokyoMapAsset, title: "東京の地図", description: "明治時代の東京市街図", parent: R.maps,
            identifiers: [SimulatedIdentifier(type: "code", value: "MAP-TYO-1890")],
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "5c2e8b1a-0d3f-4e6a-b7c9-2f4a6c8e0a11", title: "tokyo-map", generations: [
                    SimulatedGeneration(bitstreams: [bitstream("東京の地図.tif", 73_400_320)]),
                ]),
            ])])
        let minutes = SimulatedAsset(
            ref: R.minutesAsset, title: "Minutes of the Board, 1921 <draft> & notes",
            description: "Scanned minute book, 240 pages; \"draft\" copy", parent: R.letters,
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "5c2e8b1a-0d3f-4e6a-b7c9-2f4a6c8e0a12", title: "minutes-1921", generations: [
                    SimulatedGeneration(formatGroup: "text", puid: "fmt/354", formatName: "Acrobat PDF/A - Portable Document Format",
                                        bitstreams: [bitstream("minutes-1921.pdf", 31_457_280)]),
                ]),
            ])])
        let closed = SimulatedAsset(
            ref: R.closedAsset, title: "Personnel file, 1950–1975", securityTag: "closed", parent: R.restricted,
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "5c2e8b1a-0d3f-4e6a-b7c9-2f4a6c8e0a13", title: "personnel-file", generations: [
                    SimulatedGeneration(formatGroup: "text", puid: "fmt/354", formatName: "Acrobat PDF/A - Portable Document Format",
                                        bitstreams: [bitstream("personnel-file.pdf", 2_097_152)]),
                ]),
            ])])
        let album = SimulatedAsset(
            ref: R.albumAsset, title: "Photograph album, 1890–1910", description: "28 scanned pages in four gatherings",
            parent: R.collections,
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: (1...4).map { part in
                SimulatedContentObject(ref: "5c2e8b1a-0d3f-4e6a-b7c9-2f4a6c8e0b0\(part)", title: "album-part-\(part)", generations: [
                    SimulatedGeneration(bitstreams: (1...7).map { page in
                        let number = (part - 1) * 7 + page
                        return bitstream("album-page-\(number < 10 ? "0" : "")\(number).tif", Int64(20_000_000 + number * 131_072))
                    }),
                ])
            })])
        let physical = SimulatedAsset(ref: R.physicalAsset, title: "Ledger (physical item)", parent: R.collections)
        return SimulatorRepository(folders: folders, assets: [letter, tokyo, minutes, closed, album, physical])
    }

    /// A bitstream whose fixity is the SHA-256 of its name and size: stable and realistic-looking.
    private static func bitstream(_ filename: String, _ size: Int64) -> SimulatedBitstream {
        SimulatedBitstream(filename: filename, size: size, sha256: Hex.encode(SHA256.hash(Array("\(filename):\(size)".utf8))))
    }
}
