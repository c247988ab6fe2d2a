#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes standard output line-buffered even when it is a pipe or a file, so `demo | tee` and
/// `simulate chat > cards.log` show each line as it happens instead of at exit.
enum LineBufferedOutput {
    static func enable() {
        // The C global `stdout` cannot be named under strict concurrency checking; its symbol can
        // be looked up instead (it is written once, before any thread starts, by the C runtime).
        #if canImport(Glibc)
        let (handle, name) = (UnsafeMutableRawPointer(bitPattern: 0), "stdout")      // RTLD_DEFAULT
        #else
        let (handle, name) = (UnsafeMutableRawPointer(bitPattern: -2), "__stdoutp")   // RTLD_DEFAULT
        #endif
        guard let symbol = dlsym(handle, name),
              let file = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee else { return }
        setvbuf(file, nil, _IOLBF, 0)
    }
}
