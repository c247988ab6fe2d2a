import Foundation

/// Which file a path names now, and its state: inode, size and modification time. Spool files are
/// replaced by renaming a new file over them, so a path whose identity is unchanged holds the same
/// bytes as when it was last read.
struct FileIdentity: Equatable, Sendable {
    private var device: UInt64
    private var inode: UInt64
    private var size: Int64
    private var modifiedSeconds: Int64
    private var modifiedNanoseconds: Int64

    /// The identity of the file at `path`; nil when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
    }
}
