import Fluent
import Foundation
import ReliefCore
import Vapor

extension LeadService {
    /// How many records of the absorbed lead a merge moves to the survivor.
    struct MergeCounts: Sendable, Equatable {
        var debts = 0
        var consents = 0
        var activities = 0
        var tasks = 0
        /// Phones, e-mails and tags the survivor did not have yet (the rest collapse).
        var phones = 0
        var emails = 0
        var tags = 0
    }

    /// Both leads as a merge sees them: their drafts, the comparable value of every field that
    /// can be chosen (``LeadMerge/fields``, `owner` and `custom_fields.<key>`), the side each
    /// field keeps by default and what would move.
    struct MergePreview: Sendable {
        var survivorDraft: LeadDraft
        var otherDraft: LeadDraft
        var survivorValues: [String: String]
        var otherValues: [String: String]
        var defaults: [String: MergeSide]
        var moving: MergeCounts
    }

    /// What merging `other` into `survivor` would do; writes nothing.
    func mergePreview(survivor: Lead, other: Lead) async throws -> MergePreview {
        let otherID = try other.requireID()
        let survivorDraft = try await LeadDrafts.current(of: survivor, service: self)
        let otherDraft = try await LeadDrafts.current(of: other, service: self)
        var survivorValues = LeadMerge.values(of: survivorDraft)
        var otherValues = LeadMerge.values(of: otherDraft)
        survivorValues["owner"] = survivor.ownerID?.uuidString ?? ""
        otherValues["owner"] = other.ownerID?.uuidString ?? ""
        let survivorCustom = CustomFieldValues.decode(survivor.customFields)
        let otherCustom = CustomFieldValues.decode(other.customFields)
        for key in Set(survivorCustom.keys).union(otherCustom.keys) {
            survivorValues["custom_fields.\(key)"] = survivorCustom[key] ?? ""
            otherValues["custom_fields.\(key)"] = otherCustom[key] ?? ""
        }
        let defaults = LeadMerge.choices(survivor: survivorValues, other: otherValues, keep: [:])
            .sides
        let merged = LeadMerge.mergedDraft(
            survivor: survivorDraft, other: otherDraft, sides: defaults)
        var moving = MergeCounts()
        moving.debts = try await Debt.query(in: organizationID, on: database)
            .filter(\.$leadID == otherID).count()
        moving.consents = try await Consent.query(in: organizationID, on: database)
            .filter(\.$leadID == otherID).count()
        moving.activities = try await Activity.query(in: organizationID, on: database)
            .filter(\.$leadID == otherID).count()
        moving.tasks = try await LeadTask.query(in: organizationID, on: database)
            .filter(\.$leadID == otherID).count()
        moving.phones = merged.phones.count - survivorDraft.phones.count
        moving.emails = merged.emails.count - survivorDraft.emails.count
        moving.tags = merged.tags.count - survivorDraft.tags.count
        return MergePreview(
            survivorDraft: survivorDraft, otherDraft: otherDraft, survivorValues: survivorValues,
            otherValues: otherValues, defaults: defaults, moving: moving)
    }

    /// Merges `other` into `survivor`: each field from the side `keep` names (field ->
    /// `survivor` or `other`, defaults from ``LeadMerge/defaultSide(survivor:other:)``); every
    /// phone, e-mail and tag of both (the same one once); the other lead's debts, consents,
    /// activities and tasks moved over unchanged (consents are evidence: none is dropped or
    /// edited); a `merged` timeline entry naming the absorbed lead; the absorbed lead
    /// soft-deleted with `merged_into_id` pointing at the survivor; one `lead.merged` audit
    /// entry with both ids. The survivor keeps its status. Nothing is written when `keep` is
    /// wrong.
    @discardableResult
    func merge(_ survivor: Lead, absorbing other: Lead, keep: [String: String]) async throws
        -> MergeCounts
    {
        let survivorID = try survivor.requireID()
        let otherID = try other.requireID()
        guard survivorID != otherID else {
            throw ValidationFailure(fields: ["other_id": "Choose another lead to merge with."])
        }
        let preview = try await mergePreview(survivor: survivor, other: other)
        let (sides, problems) = LeadMerge.choices(
            survivor: preview.survivorValues, other: preview.otherValues, keep: keep)
        if !problems.isEmpty {
            throw ValidationFailure(
                fields: Dictionary(problems.map { ($0.field, $0.message) }) { first, _ in first })
        }
        let draft = LeadMerge.mergedDraft(
            survivor: preview.survivorDraft, other: preview.otherDraft, sides: sides)
        let now = services.now()
        let before = snapshot(survivor, draft: preview.survivorDraft)
        try apply(draft, to: survivor, isNew: false, now: now)
        if sides["source"] == .other { survivor.sourceID = other.sourceID }
        if sides["owner"] == .other {
            survivor.ownerID = other.ownerID
            survivor.teamID = other.teamID
            survivor.assignmentRule = other.assignmentRule
        }
        var custom = CustomFieldValues.decode(survivor.customFields)
        for (key, value) in CustomFieldValues.decode(other.customFields)
        where sides["custom_fields.\(key)"] == .other {
            custom[key] = value
        }
        survivor.customFields = CustomFieldValues.encode(custom)
        let touches = Self.mergedTouches(survivor, other)
        survivor.firstTouch = touches.first
        survivor.lastTouch = touches.last
        survivor.heatScore = max(survivor.heatScore, other.heatScore)
        survivor.lastContactedAt = [survivor.lastContactedAt, other.lastContactedAt]
            .compactMap { $0 }.max()
        survivor.nextFollowUpAt = [survivor.nextFollowUpAt, other.nextFollowUpAt]
            .compactMap { $0 }.min()
        survivor.updatedAt = now
        var after = snapshot(survivor, draft: draft)
        for key in before.keys where after[key] == nil { after[key] = "" }
        let diff = AuditDiff.between(before, after)
        let keptFromOther = sides.filter {
            $0.value == .other && preview.otherValues[$0.key] != preview.survivorValues[$0.key]
        }.keys.sorted()
        let moved = preview.moving
        let details = AuditDiff.details([
            "survivor_id": survivorID.uuidString, "absorbed_id": otherID.uuidString,
            "absorbed_name": other.fullName,
            "kept_from_absorbed": keptFromOther.joined(separator: ", "),
            "moved": "debts \(moved.debts), consents \(moved.consents), "
                + "activities \(moved.activities), tasks \(moved.tasks), phones \(moved.phones), "
                + "e-mails \(moved.emails), tags \(moved.tags)",
        ])
        let record =
            String(details.dropLast()) + ",\"fields\":" + (diff.isEmpty ? "{}" : diff.json)
            + "}"
        try await database.transaction { database in
            try await survivor.save(on: database)
            try await LeadPhoneRecord.query(in: organizationID, on: database)
                .filter(\.$leadID == otherID).delete()
            try await LeadEmailRecord.query(in: organizationID, on: database)
                .filter(\.$leadID == otherID).delete()
            try await writeContacts(draft, leadID: survivorID, replacing: true, on: database)
            try await LeadTag.query(in: organizationID, on: database)
                .filter(\.$leadID ~~ [survivorID, otherID]).delete()
            try await writeTags(draft.tags, leadID: survivorID, on: database)
            try await Debt.query(in: organizationID, on: database).filter(\.$leadID == otherID)
                .set(\.$leadID, to: survivorID).update()
            try await Consent.query(in: organizationID, on: database)
                .filter(\.$leadID == otherID).set(\.$leadID, to: survivorID).update()
            try await Activity.query(in: organizationID, on: database)
                .filter(\.$leadID == otherID).set(\.$leadID, to: survivorID).update()
            try await LeadTask.query(in: organizationID, on: database)
                .filter(\.$leadID == otherID).set(\.$leadID, to: survivorID).update()
            try await refreshEnrolledTotal(survivor, on: database)
            // Leads merged into the absorbed one earlier now point at the survivor.
            try await Lead.query(in: organizationID, on: database).withDeleted()
                .filter(\.$mergedIntoID == otherID).set(\.$mergedIntoID, to: survivorID).update()
            other.mergedIntoID = survivorID
            other.updatedAt = now
            try await other.save(on: database)
            try await other.delete(on: database)
            try await Activity(
                organizationID: organizationID, leadID: survivorID, kind: .merged,
                occurredAt: now, actorID: actor.userID, actorLabel: actor.label,
                summary: "Merged \(other.fullName) into this lead",
                body: keptFromOther.isEmpty
                    ? "" : "Kept from \(other.fullName): " + keptFromOther.joined(separator: ", "),
                data: record
            ).create(on: database)
        }
        try await services.audit.record(
            auditEntry("lead.merged", survivor, changes: record), on: database)
        return moved
    }

    /// The earlier first touch and the later last touch of two leads (by their `at`), the
    /// survivor's on a tie.
    static func mergedTouches(_ survivor: Lead, _ other: Lead) -> (first: String, last: String) {
        func at(_ json: String) -> String {
            (try? JSONDecoder().decode(MarketingTouch.self, from: Data(json.utf8)))?.at ?? ""
        }
        let firsts = [survivor.firstTouch, other.firstTouch].filter { $0 != "{}" }
        let lasts = [survivor.lastTouch, other.lastTouch].filter { $0 != "{}" }
        let first = firsts.min { (at($0).isEmpty ? "~" : at($0)) < (at($1).isEmpty ? "~" : at($1)) }
        let last = lasts.max { at($0) < at($1) }
        return (first ?? "{}", last ?? "{}")
    }
}
