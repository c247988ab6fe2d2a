/// The relay refused notifications a catch-up sent it (a full spool answers 503; a secret
/// rotated meanwhile, 401): the catch-up has not gone through.
struct CatchUpRefused: Error, CustomStringConvertible {
    var status: Int
    var count: Int

    var description: String { "the relay answered \(status) to \(count) of the notifications sent" }
}
