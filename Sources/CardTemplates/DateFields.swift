/// Calendar fields of a ``Timestamp`` in UTC; `weekday` 0 is Sunday.
struct DateFields: Sendable, Equatable {
    var year, month, day, weekday, hour, minute, second, millisecond: Int
}
