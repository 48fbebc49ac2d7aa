/// One `<option>` of a `<select>` or one checkbox of a group.
struct SelectOption: Encodable, Sendable {
    var value: String
    var label: String
    var selected: Bool
}
