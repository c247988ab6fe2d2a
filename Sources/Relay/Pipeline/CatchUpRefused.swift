/// Why a catch-up has not gone through, besides an error from Preservica.
enum CatchUpRefused: Error, CustomStringConvertible {
    /// The relay refused notifications the catch-up sent it (a full spool answers 503; a secret
    /// rotated meanwhile, 401).
    case refused(status: Int, count: Int)
    /// The configuration in force has no usable Preservica credentials to ask with.
    case noCredentials

    var description: String {
        switch self {
        case .refused(let status, let count): "the relay answered \(status) to \(count) of the notifications sent"
        case .noCredentials: "no usable Preservica credentials configured (see the log at start or reload)"
        }
    }
}
