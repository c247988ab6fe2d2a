import JSON

/// What an object template turns into: nothing (`$when` false), one object, or one object per
/// item of an array `$data`.
enum ObjectExpansion {
    case dropped
    case single(JSONValue)
    case repeated([JSONValue])
}
