import Relay

/// Every command prints through this function, which shadows the standard library's `print` in
/// this module: whatever a command prints (titles from Preservica, chat replies, audit lines,
/// rendered cards) reaches the terminal with its control characters escaped, so text from outside
/// cannot drive the operator's terminal. Line feeds and tabs stay; callers escape those too, with
/// ``TerminalText/field(_:)``, in fields of one-line listings.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(TerminalText.lines(text), terminator: terminator)
}
