import Fluent
import Foundation
import ReliefCore
import Vapor

extension LeadService {
    /// `current` with `changes` applied: each value checked by its field's kind
    /// (``CustomFieldKind/validate(_:choices:)``) and stored in its canonical form; an empty
    /// value clears the field. Unknown keys and changes to inactive fields are refused with
    /// the field `custom_fields.<key>`; nothing is written here.
    func checkedCustomFields(_ changes: [String: String], current: [String: String])
        async throws -> [String: String]
    {
        guard !changes.isEmpty else { return current }
        let definitions = try await CustomFieldDefinition.query(in: organizationID, on: database)
            .all()
        let byKey = Dictionary(definitions.map { ($0.key, $0) }) { first, _ in first }
        var values = current
        var check = FieldCheck()
        for (key, raw) in changes.sorted(by: { $0.key < $1.key }) {
            let field = "custom_fields.\(key)"
            guard let definition = byKey[key] else {
                check.fail(field, "There is no custom field \(key).")
                continue
            }
            switch definition.kind.validate(raw, choices: definition.choices) {
            case .success(let value):
                if definition.isActive {
                    values[key] = value
                } else if value != current[key] ?? "" {
                    check.fail(field, "\(definition.label) is no longer in use.")
                }
            case .failure(let error):
                check.fail(field, error.message)
            }
        }
        try check.throwIfFailed()
        return values.filter { !$0.value.isEmpty }
    }
}
