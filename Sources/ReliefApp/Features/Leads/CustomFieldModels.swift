import Fluent
import Foundation
import ReliefCore
import Vapor

/// A custom lead field an organization defines. Values live in `leads.custom_fields` under
/// `key`; the key and kind never change once created, so stored values stay readable.
final class CustomFieldDefinition: Model, TenantScoped, @unchecked Sendable {
    static let schema = "custom_field_definitions"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "key") var key: String
    @Field(key: "label") var label: String
    @Enum(key: "kind") var kind: CustomFieldKind
    /// JSON array of the options of a `choice` field.
    @Field(key: "choices") var choicesJSON: String
    @Field(key: "position") var position: Int
    /// Inactive fields keep their stored values but leave forms and cannot be changed.
    @Field(key: "is_active") var isActive: Bool

    init() {}

    init(organizationID: UUID, spec: CustomFieldSpec, position: Int) {
        self.organizationID = organizationID
        key = spec.key
        label = spec.label
        kind = spec.kind
        choicesJSON = "[]"
        self.position = position
        isActive = true
        choices = spec.choices
    }

    /// The options of a `choice` field, in order.
    var choices: [String] {
        get { (try? JSONDecoder().decode([String].self, from: Data(choicesJSON.utf8))) ?? [] }
        set {
            choicesJSON =
                (try? JSONEncoder().encode(newValue)).map { String(decoding: $0, as: UTF8.self) }
                ?? "[]"
        }
    }

    /// The definition as the core rules see it.
    var spec: CustomFieldSpec {
        CustomFieldSpec(key: key, label: label, kind: kind, choices: choices)
    }

    static func scoped(_ query: QueryBuilder<CustomFieldDefinition>, to organizationID: UUID)
        -> QueryBuilder<CustomFieldDefinition>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// The JSON object of custom field values stored in `leads.custom_fields`.
enum CustomFieldValues {
    /// The stored values of a lead (key -> value); unreadable JSON reads as none.
    static func decode(_ json: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
    }

    /// The JSON text to store, keys sorted, empty values left out.
    static func encode(_ values: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(values.filter { !$0.value.isEmpty }))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
