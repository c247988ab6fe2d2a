import Foundation

extension SpoolFiles {
    /// The directory `path` is in, as `NSString.deletingLastPathComponent` gives it, found in the
    /// bytes: the spool asks for it on every append and replace, and Foundation's version walks the
    /// path character by character. A path with a trailing or doubled slash, which the relay does
    /// not build, goes to Foundation.
    static func directory(of path: String) -> String {
        let slash = UInt8(ascii: "/")
        var last: String.UTF8View.Index?
        var previous: UInt8 = 0
        var index = path.utf8.startIndex
        while index != path.utf8.endIndex {
            let byte = path.utf8[index]
            if byte == slash {
                if previous == slash { return (path as NSString).deletingLastPathComponent }
                last = index
            }
            previous = byte
            path.utf8.formIndex(after: &index)
        }
        guard let last else { return "" }
        if previous == slash { return (path as NSString).deletingLastPathComponent }
        if last == path.utf8.startIndex { return "/" }
        return String(path[..<last])
    }
}
