import Foundation
import Synchronization

/// An exclusive lock on a data directory (`<dataDir>/.lock`, a POSIX record lock) for as long as
/// a relay uses it. Two relays on one directory (two containers on one volume, Lambda on EFS with more than one
/// environment) would both write the next journal record at the same place and overwrite each
/// other's notifications and cards; the second is refused at start instead. The operator's
/// commands (`queue`, `dead`, `replay`) take no lock: they run beside a live relay by design. The
/// lock is the process's: two relays inside one process (tests restarting in place) do not see
/// each other.
final class DataDirectoryLock: Sendable {
    private let descriptor = Mutex<Int32>(-1)

    /// Takes the lock on `directory`, creating it if needed; throws when another process holds it.
    init(directory: String) throws(SpoolError) {
        try SpoolFiles.makeDirectory(directory)
        let path = directory + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system("open", path) }
        // A POSIX record lock, owned by this process: unlike `flock`, a child forked by someone
        // else in the process (before it execs) does not hold it too, and it ends with the process.
        var record = flock()
        record.l_type = Int16(F_WRLCK)
        record.l_whence = Int16(SEEK_SET)
        guard fcntl(fd, F_SETLK, &record) == 0 else {
            let code = errno
            close(fd)
            if code == EACCES || code == EAGAIN {
                throw SpoolError("another relay is using \(directory) (\(path) is locked): two relays on one data directory "
                    + "would overwrite each other's notifications; give each its own dataDir")
            }
            throw .system("fcntl", path, code)
        }
        descriptor.withLock { $0 = fd }
    }

    /// Lets another relay take the directory (at stop; also when this is released).
    func release() {
        let fd = descriptor.withLock { fd -> Int32 in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    deinit { release() }
}
