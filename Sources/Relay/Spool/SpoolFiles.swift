import Foundation

/// Every way the relay writes a file of its spool, in one place (as Postfix's `mail_queue`
/// owns its queue): atomic replace, durable append, directory sync, and moving a file that cannot
/// be read aside to `corrupt/`. Directories are created 0700 and files 0600 whatever the umask;
/// writes loop over partial writes and EINTR; one error type, ``SpoolError``.
public enum SpoolFiles {
    /// Replaces `path` with `bytes` so that a crash leaves the old file or the new one: a temporary
    /// file, written whole, fsync'd, renamed over `path`, and the directory fsync'd. With
    /// `durable: false` (hints, not acknowledged data) the two fsyncs are left out.
    public static func replace(_ path: String, with bytes: [UInt8], durable: Bool = true) throws(SpoolError) {
        let directory = Self.directory(of: path)
        let temporary = path + ".tmp"
        let fd = try openCreatingDirectory(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, in: directory)
        _ = fchmod(fd, 0o600)
        adoptOwner(of: directory, fd: fd)
        do throws(SpoolError) {
            try writeAll(fd, bytes, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        if durable && fsync(fd) != 0 {
            let failure = SpoolError.system("fsync", temporary)
            close(fd)
            unlink(temporary)
            throw failure
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let failure = SpoolError.system("rename", path)
            unlink(temporary)
            throw failure
        }
        if durable { syncDirectory(directory) }
    }

    /// Run as root (an operator's `sudo preservica-relay replay`), a file the relay makes in its
    /// spool takes the owner of the directory it is in: a root-owned 0600 job is one the relay,
    /// running as its own user, could not open.
    private static func adoptOwner(of directory: String, fd: Int32) {
        guard geteuid() == 0 else { return }
        var owner = stat()
        guard stat(directory, &owner) == 0, owner.st_uid != 0 else { return }
        _ = fchown(fd, owner.st_uid, owner.st_gid)
    }

    /// What reading a whole spool file found.
    public enum ReadResult: Sendable {
        /// Its bytes.
        case bytes([UInt8])
        /// No such file (taken meanwhile).
        case missing
        /// It could not be opened for now (out of file descriptors or memory): try again later.
        case unavailable(String)
        /// It is there but cannot be read as a file (a directory, permissions, an I/O error).
        case unreadable(String)
    }

    /// Reads the whole file at `path`, telling a passing shortage of descriptors apart from a file
    /// that cannot be read at all.
    public static func read(_ path: String) -> ReadResult {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: return .missing
            case EMFILE, ENFILE, ENOMEM: return .unavailable("open \(path): \(String(cString: strerror(code)))")
            default: return .unreadable("open \(path): \(String(cString: strerror(code)))")
            }
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .unreadable("read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return .bytes(bytes) }
            bytes += chunk.prefix(count)
        }
    }

    /// Appends `bytes`, whole lines, to `path` (created 0600 if missing) and, with `durable`,
    /// fdatasyncs it. A write that fails is taken back to the previous end, so a retry does not
    /// glue onto a fragment; and a file whose last line a crash cut short gets a line break first,
    /// so that piece stays a (skipped) line of its own and the new lines stay whole.
    ///
    /// Appends to one file take turns (an exclusive `flock` for the append): the worker, every
    /// channel and the operator's commands append to the audit log, and taking a failed write back
    /// must not cut off a line another appender wrote meanwhile.
    public static func append(_ path: String, _ bytes: [UInt8], durable: Bool = true) throws(SpoolError) {
        // The directory is worked out only for a new file: most appends go to one that exists.
        let fd = try openCreatingDirectory(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, in: Self.directory(of: path))
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        var status = stat()
        let sizeBefore = fstat(fd, &status) == 0 ? status.st_size : 0
        let existed = sizeBefore > 0
        if !existed {
            _ = fchmod(fd, 0o600)
            adoptOwner(of: Self.directory(of: path), fd: fd)
        }
        var last: UInt8 = 0x0a
        let torn = existed && pread(fd, &last, 1, sizeBefore - 1) == 1 && last != 0x0a
        do throws(SpoolError) {
            try writeAll(fd, torn ? [0x0a] + bytes : bytes, path: path)
            if durable && fdatasync(fd) != 0 { throw SpoolError.system("fdatasync", path) }
        } catch {
            _ = ftruncate(fd, sizeBefore)
            throw error
        }
        if !existed && durable { syncDirectory(Self.directory(of: path)) }
    }

    /// `base`, or `base.1`, `base.2`… when it is taken: a copy or move never replaces another file.
    public static func unusedName(_ base: String) -> String {
        var name = base
        var number = 1
        while access(name, F_OK) == 0 {
            name = base + ".\(number)"
            number += 1
        }
        return name
    }

    /// Creates `directory` and its parents, each new one 0700, and makes the new entry durable.
    public static func makeDirectory(_ directory: String) throws(SpoolError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue { return }
        let parent = Self.directory(of: directory)
        if !parent.isEmpty && parent != directory { try makeDirectory(parent) }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST { throw .system("mkdir", directory) }
        _ = chmod(directory, 0o700)
        if !parent.isEmpty, geteuid() == 0 {
            var owner = stat()
            if stat(parent, &owner) == 0 && owner.st_uid != 0 { _ = chown(directory, owner.st_uid, owner.st_gid) }
        }
        if !parent.isEmpty { syncDirectory(parent) }
    }

    /// Makes the entries of `directory` (a new, renamed or removed file) durable.
    public static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Removes `path` and makes the removal durable.
    public static func remove(_ path: String) {
        if unlink(path) == 0 { syncDirectory(Self.directory(of: path)) }
    }

    /// Moves a file that cannot be parsed to `<dataDirectory>/corrupt/`, named after where it was
    /// (`outbox/chat/12-0.json` becomes `outbox_chat_12-0.json`), so the queue goes on and an
    /// operator can look at it. Returns the new path, or nil when it could not be moved.
    @discardableResult
    public static func quarantine(_ path: String, dataDirectory: String) -> String? {
        let root = dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/"
        let relative = path.hasPrefix(root) ? String(path.dropFirst(root.count)) : (path as NSString).lastPathComponent
        let corrupt = root + "corrupt"
        guard (try? makeDirectory(corrupt)) != nil else { return nil }
        var target = corrupt + "/" + relative.replacingOccurrences(of: "/", with: "_")
        if access(target, F_OK) == 0 { target += ".\(Int(Date().timeIntervalSince1970))" }
        guard rename(path, target) == 0 else { return nil }
        syncDirectory(corrupt)
        syncDirectory(Self.directory(of: path))
        return target
    }

    /// Opens `path` (created with mode 0600 less the umask), creating `directory` only when it is
    /// missing: the audit log is appended to all the time, so the common case costs one `open`.
    private static func openCreatingDirectory(_ path: String, _ flags: Int32, in directory: @autoclosure () -> String) throws(SpoolError) -> Int32 {
        var fd = open(path, flags, 0o600)
        if fd < 0 && errno == ENOENT {
            try makeDirectory(directory())
            fd = open(path, flags, 0o600)
        }
        guard fd >= 0 else { throw .system("open", path) }
        return fd
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SpoolError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .system("write", path)
            }
            if written == 0 { throw SpoolError("write \(path): no progress") }
            offset += written
        }
    }
}
