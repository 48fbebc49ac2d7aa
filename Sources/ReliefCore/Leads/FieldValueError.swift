/// Why one typed-in or imported value was refused, with a sentence to show next to the field.
public protocol FieldValueError: Error, Sendable {
    /// The reason, for the person who entered the value; never repeats a sensitive value.
    var message: String { get }
}
