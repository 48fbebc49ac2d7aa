import Fluent
import Foundation
import ReliefCore
import Vapor

/// Changing the organization's custom field definitions; every change is audited.
struct CustomFieldDirectory {
    let req: Request

    var organizationID: UUID { get throws { try req.principal.organizationID } }

    /// Every definition, in form order.
    func all() async throws -> [CustomFieldDefinition] {
        try await CustomFieldDefinition.query(in: organizationID, on: req.db).sort(\.$position)
            .all()
    }

    @discardableResult
    func create(_ spec: CustomFieldSpec) async throws -> CustomFieldDefinition {
        var check = FieldCheck()
        for problem in spec.problems() { check.fail(problem.field, problem.message) }
        let existing = try await all()
        check.require(
            !existing.contains { $0.key == spec.key }, "key",
            "Another field already uses the key \(spec.key).")
        try check.throwIfFailed()
        let definition = CustomFieldDefinition(
            organizationID: try organizationID, spec: spec,
            position: (existing.map(\.position).max() ?? 0) + 1)
        try await definition.create(on: req.db)
        try await req.audit(
            "custom_field.created", entityType: "custom_field",
            entityID: definition.id?.uuidString,
            changes: AuditDiff.between([:], Self.snapshot(definition)).json)
        return definition
    }

    /// Changes the label and, for a choice field, the options (the key and kind stay, so
    /// stored values keep their meaning).
    func update(_ definition: CustomFieldDefinition, label: String, choices: [String])
        async throws
    {
        let before = Self.snapshot(definition)
        let spec = CustomFieldSpec(
            key: definition.key, label: label.trimmingCharacters(in: .whitespaces),
            kind: definition.kind, choices: choices)
        var check = FieldCheck()
        for problem in spec.problems() { check.fail(problem.field, problem.message) }
        try check.throwIfFailed()
        definition.label = spec.label
        definition.choices = spec.choices
        let diff = AuditDiff.between(before, Self.snapshot(definition))
        guard !diff.isEmpty else { return }
        try await definition.save(on: req.db)
        try await req.audit(
            "custom_field.updated", entityType: "custom_field",
            entityID: definition.id?.uuidString, changes: diff.json)
    }

    /// Swaps the field with its neighbour above (`up`) or below.
    func move(_ definition: CustomFieldDefinition, up: Bool) async throws {
        let all = try await all()
        guard let index = all.firstIndex(where: { $0.id == definition.id }) else { return }
        let other = up ? index - 1 : index + 1
        guard all.indices.contains(other) else { return }
        let neighbour = all[other]
        let position = definition.position
        try await req.db.transaction { database in
            definition.position = neighbour.position
            neighbour.position = position
            try await definition.save(on: database)
            try await neighbour.save(on: database)
        }
        try await req.audit(
            "custom_field.moved", entityType: "custom_field", entityID: definition.id?.uuidString,
            changes: AuditDiff.details(["direction": up ? "up" : "down"]))
    }

    /// Takes the field out of forms (its stored values stay) or back in.
    func setActive(_ definition: CustomFieldDefinition, _ active: Bool) async throws {
        guard definition.isActive != active else { return }
        definition.isActive = active
        try await definition.save(on: req.db)
        try await req.audit(
            active ? "custom_field.activated" : "custom_field.deactivated",
            entityType: "custom_field", entityID: definition.id?.uuidString,
            changes: AuditDiff.details(["key": definition.key]))
    }

    static func snapshot(_ definition: CustomFieldDefinition) -> [String: String] {
        [
            "key": definition.key, "label": definition.label, "kind": definition.kind.rawValue,
            "choices": definition.choices.joined(separator: ", "),
        ]
    }
}

/// `/app/admin/custom-fields`: add, edit, reorder and deactivate the organization's custom
/// lead fields.
struct CustomFieldsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let page = routes.grouped("admin", "custom-fields")
        page.get(use: index).access(.requires(.organizationManage))
        page.post(use: create).access(.requires(.organizationManage))
        page.get(":id", use: edit).access(.requires(.organizationManage))
        page.post(":id", use: update).access(.requires(.organizationManage))
        page.post(":id", "move", use: move).access(.requires(.organizationManage))
        page.post(":id", "active", use: setActive).access(.requires(.organizationManage))
    }

    struct DefinitionForm: Content {
        var key: String?
        var label: String?
        var kind: String?
        var choices: String?
    }

    func index(req: Request) async throws -> View {
        try await renderIndex(req, form: DefinitionForm(), errors: [:])
    }

    private func renderIndex(_ req: Request, form: DefinitionForm, errors: FieldMessages)
        async throws -> View
    {
        let definitions = try await CustomFieldDirectory(req: req).all()
        return try await req.view.render(
            "admin/custom-fields",
            CustomFieldsPage(
                page: req.pageContext(title: "Custom fields", section: "custom-fields"),
                fields: definitions.enumerated().map { index, definition in
                    CustomFieldAdminRow(
                        id: definition.id?.uuidString ?? "", key: definition.key,
                        label: definition.label, kind: definition.kind.label,
                        choices: definition.choices.joined(separator: ", "),
                        isActive: definition.isActive, isFirst: index == 0,
                        isLast: index == definitions.count - 1)
                },
                form: CustomFieldFormValues(
                    key: form.key ?? "", label: form.label ?? "", choices: form.choices ?? ""),
                kinds: CustomFieldKind.allCases.map {
                    SelectOption(
                        value: $0.rawValue, label: $0.label,
                        selected: $0.rawValue == (form.kind ?? "text"))
                },
                errors: errors))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(DefinitionForm.self)
        let label = form.label?.trimmingCharacters(in: .whitespaces) ?? ""
        var key = form.key?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if key.isEmpty { key = CustomFieldSpec.key(fromLabel: label) }
        do {
            guard let kind = CustomFieldKind(rawValue: form.kind ?? "") else {
                throw ValidationFailure(fields: ["kind": "Choose a kind."])
            }
            let definition = try await CustomFieldDirectory(req: req).create(
                CustomFieldSpec(
                    key: key, label: label, kind: kind,
                    choices: CustomFieldSpec.choices(fromText: form.choices ?? "")))
            return req.redirectAfterPost(
                to: "/app/admin/custom-fields",
                flash: (.success, "Custom field \(definition.label) added."))
        } catch let failure as ValidationFailure {
            return try await renderIndex(req, form: form, errors: failure.fields)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    private func find(_ req: Request) async throws -> CustomFieldDefinition {
        try await CustomFieldDefinition.findOr404(
            req.parameters.get("id", as: UUID.self), in: req.principal.organizationID, on: req.db)
    }

    func edit(req: Request) async throws -> View {
        let definition = try await find(req)
        return try await renderEdit(
            req, definition, label: definition.label,
            choices: definition.choices.joined(separator: "\n"), errors: [:])
    }

    private func renderEdit(
        _ req: Request, _ definition: CustomFieldDefinition, label: String, choices: String,
        errors: FieldMessages
    ) async throws -> View {
        try await req.view.render(
            "admin/custom-field-form",
            CustomFieldEditPage(
                page: req.pageContext(
                    title: "Custom field \(definition.label)", section: "custom-fields"),
                id: definition.id?.uuidString ?? "", key: definition.key,
                kind: definition.kind.label, isChoice: definition.kind == .choice,
                isActive: definition.isActive, label: label, choices: choices, errors: errors))
    }

    func update(req: Request) async throws -> Response {
        let definition = try await find(req)
        let form = try req.content.decode(DefinitionForm.self)
        do {
            try await CustomFieldDirectory(req: req).update(
                definition, label: form.label ?? "",
                choices: CustomFieldSpec.choices(fromText: form.choices ?? ""))
            return req.redirectAfterPost(
                to: "/app/admin/custom-fields",
                flash: (.success, "Custom field \(definition.label) saved."))
        } catch let failure as ValidationFailure {
            return try await renderEdit(
                req, definition, label: form.label ?? "", choices: form.choices ?? "",
                errors: failure.fields
            ).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct MoveForm: Content {
        var direction: String
    }

    func move(req: Request) async throws -> Response {
        let definition = try await find(req)
        let form = try req.content.decode(MoveForm.self)
        try await CustomFieldDirectory(req: req).move(definition, up: form.direction == "up")
        return req.redirectAfterPost(to: "/app/admin/custom-fields")
    }

    struct ActiveForm: Content {
        var active: String
    }

    func setActive(req: Request) async throws -> Response {
        let definition = try await find(req)
        let active = try req.content.decode(ActiveForm.self).active == "true"
        try await CustomFieldDirectory(req: req).setActive(definition, active)
        return req.redirectAfterPost(
            to: "/app/admin/custom-fields",
            flash: (
                .success,
                "Custom field \(definition.label) \(active ? "back in use" : "deactivated")."
            ))
    }
}

/// `admin/custom-fields`.
struct CustomFieldsPage: Encodable, Sendable {
    var page: PageContext
    var fields: [CustomFieldAdminRow]
    var form: CustomFieldFormValues
    var kinds: [SelectOption]
    var errors: FieldMessages
}

/// One definition in the list.
struct CustomFieldAdminRow: Encodable, Sendable {
    var id: String
    var key: String
    var label: String
    var kind: String
    var choices: String
    var isActive: Bool
    var isFirst: Bool
    var isLast: Bool
}

/// The "add a field" form's typed values.
struct CustomFieldFormValues: Encodable, Sendable {
    var key: String
    var label: String
    var choices: String
}

/// `admin/custom-field-form`: a definition's label and choices.
struct CustomFieldEditPage: Encodable, Sendable {
    var page: PageContext
    var id: String
    var key: String
    var kind: String
    var isChoice: Bool
    var isActive: Bool
    var label: String
    var choices: String
    var errors: FieldMessages
}
