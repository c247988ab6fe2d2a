/// The incoming journal's errors are the spool's: one error type for every spool file.
public typealias JournalError = SpoolError
