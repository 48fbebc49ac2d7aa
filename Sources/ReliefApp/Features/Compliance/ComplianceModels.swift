import Fluent
import Foundation
import ReliefCore

/// A number on the organization's internal do-not-call list. Entries are never deleted: a
/// compliance user's removal sets `removed_at`, so the list's history is kept (TSR: 5 years).
final class InternalDNCEntry: Model, TenantScoped, @unchecked Sendable {
    static let schema = "internal_dnc_numbers"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "e164") var e164: String
    @Field(key: "reason") var reason: String
    @OptionalField(key: "lead_id") var leadID: UUID?
    @OptionalField(key: "added_by") var addedBy: UUID?
    @Field(key: "added_by_label") var addedByLabel: String
    @Field(key: "added_at") var addedAt: Date
    @OptionalField(key: "removed_at") var removedAt: Date?
    @OptionalField(key: "removed_by") var removedBy: UUID?
    @OptionalField(key: "removal_reason") var removalReason: String?

    init() {}

    static func scoped(_ query: QueryBuilder<InternalDNCEntry>, to organizationID: UUID)
        -> QueryBuilder<InternalDNCEntry>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A consumer's opt-out of a channel (a STOP reply, an unsubscribe, a request to an agent).
/// A re-opt-in (START) sets `opted_in_at`; the row itself stays as evidence.
final class ContactOptOut: Model, TenantScoped, @unchecked Sendable {
    static let schema = "contact_opt_outs"

    /// Where the opt-out came from.
    enum Source: String, Codable, Sendable, CaseIterable {
        case inboundMessage = "inbound_message"
        case agent
        case unsubscribeLink = "unsubscribe_link"
        case api
    }

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "lead_id") var leadID: UUID?
    @Enum(key: "channel") var channel: ContactChannel
    /// The E.164 phone or the normalized e-mail address.
    @Field(key: "contact") var contact: String
    @Enum(key: "source") var source: Source
    /// The message text or the agent's note.
    @Field(key: "detail") var detail: String
    @Field(key: "opted_out_at") var optedOutAt: Date
    @OptionalField(key: "opted_in_at") var optedInAt: Date?
    @OptionalField(key: "opted_in_detail") var optedInDetail: String?

    init() {}

    static func scoped(_ query: QueryBuilder<ContactOptOut>, to organizationID: UUID)
        -> QueryBuilder<ContactOptOut>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A flag on a lead that stops some or all contact until a compliance user clears it.
final class ComplianceFlag: Model, TenantScoped, @unchecked Sendable {
    static let schema = "compliance_flags"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case bankruptcy
        case attorneyRepresented = "attorney_represented"
        case ceaseCommunication = "cease_communication"
        case deceased

        var label: String {
            switch self {
            case .bankruptcy: "Bankruptcy"
            case .attorneyRepresented: "Attorney represented"
            case .ceaseCommunication: "Cease communication"
            case .deceased: "Deceased"
            }
        }
    }

    /// A flag raised by the detector waits for review; one set by a person is confirmed.
    enum Status: String, Codable, Sendable, CaseIterable {
        case pendingReview = "pending_review"
        case confirmed
        case cleared
    }

    /// What raised the flag.
    enum Origin: String, Codable, Sendable, CaseIterable {
        /// The bankruptcy detector found a mention in a note or a message.
        case detector
        case agent
        case creditReport = "credit_report"
    }

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @Enum(key: "kind") var kind: Kind
    @Enum(key: "status") var status: Status
    @Enum(key: "origin") var origin: Origin
    /// The matched text or the agent's note.
    @Field(key: "evidence") var evidence: String
    @Field(key: "raised_at") var raisedAt: Date
    @OptionalField(key: "raised_by") var raisedBy: UUID?
    @Field(key: "raised_by_label") var raisedByLabel: String
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "reviewed_by") var reviewedBy: UUID?
    @OptionalField(key: "review_note") var reviewNote: String?

    init() {}

    static func scoped(_ query: QueryBuilder<ComplianceFlag>, to organizationID: UUID)
        -> QueryBuilder<ComplianceFlag>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A gate decision made for a real send (or recorded on request), kept 5 years (TSR
/// record keeping, 16 CFR 310.5).
final class ContactDecisionRecord: Model, TenantScoped, @unchecked Sendable {
    static let schema = "contact_decisions"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "lead_id") var leadID: UUID?
    @Enum(key: "channel") var channel: ContactChannel
    @Enum(key: "purpose") var purpose: ContactPurpose
    @Enum(key: "method") var method: DialingMethod
    /// The E.164 phone or e-mail address contacted.
    @Field(key: "contact") var contact: String
    @OptionalField(key: "caller_id") var callerID: String?
    @Enum(key: "verdict") var verdict: GateVerdict
    /// The reason codes, space-separated (" national_dnc outside_calling_hours ") for filtering.
    @Field(key: "reason_codes") var reasonCodes: String
    /// The reasons as JSON (`[{"code","message"}]`).
    @Field(key: "reasons") var reasons: String
    @Field(key: "obligations") var obligations: String
    @OptionalField(key: "next_allowed_at") var nextAllowedAt: Date?
    @OptionalField(key: "time_zone") var timeZone: String?
    @OptionalField(key: "local_time") var localTime: String?
    @Field(key: "rules_version") var rulesVersion: String
    @Field(key: "decided_at") var decidedAt: Date
    @Field(key: "actor_label") var actorLabel: String

    init() {}

    static func scoped(_ query: QueryBuilder<ContactDecisionRecord>, to organizationID: UUID)
        -> QueryBuilder<ContactDecisionRecord>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// One upload of a DNC registry file (national or a state's), with its counts.
final class DNCRegistryUpload: Model, TenantScoped, @unchecked Sendable {
    static let schema = "dnc_registry_uploads"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    /// "national" or a USPS state code.
    @Field(key: "list") var list: String
    /// The day the file was downloaded from the registry ("YYYY-MM-DD").
    @Field(key: "downloaded_on") var downloadedOn: String
    @Field(key: "file_name") var fileName: String
    /// "full" or "change".
    @Field(key: "kind") var kind: String
    @Field(key: "lines_read") var linesRead: Int
    @Field(key: "numbers_loaded") var numbersLoaded: Int
    @Field(key: "numbers_removed") var numbersRemoved: Int
    @Field(key: "rejected_count") var rejectedCount: Int
    /// The first rejected lines as JSON (`[{"line","reason","text"}]`).
    @Field(key: "rejected_sample") var rejectedSample: String
    /// The area codes the file touched, space-separated.
    @Field(key: "area_codes") var areaCodes: String
    /// Numbers on the list after the upload.
    @Field(key: "total_numbers") var totalNumbers: Int
    @Field(key: "uploaded_by_label") var uploadedByLabel: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}

    static func scoped(_ query: QueryBuilder<DNCRegistryUpload>, to organizationID: UUID)
        -> QueryBuilder<DNCRegistryUpload>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// The numbers of one area code on one list, as ``DNCAreaCodeTable/encoded()`` bytes.
final class DNCRegistryBlock: Model, TenantScoped, @unchecked Sendable {
    static let schema = "dnc_registry_blocks"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "list") var list: String
    @Field(key: "area_code") var areaCode: Int
    @Field(key: "numbers") var numbers: Int
    @Field(key: "data") var data: Data
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    static func scoped(_ query: QueryBuilder<DNCRegistryBlock>, to organizationID: UUID)
        -> QueryBuilder<DNCRegistryBlock>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A number of the organization's caller id pool.
final class CallerIDNumber: Model, TenantScoped, @unchecked Sendable {
    static let schema = "caller_ids"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "e164") var e164: String
    @Field(key: "area_code") var areaCode: String
    @OptionalField(key: "state") var state: String?
    @OptionalField(key: "time_zone") var timeZone: String?
    @Enum(key: "health") var health: CallerIDHealth
    /// Why the number is resting or flagged (or who restored it).
    @Field(key: "health_reason") var healthReason: String
    @Field(key: "daily_cap") var dailyCap: Int
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    /// When a manager last restored the number: the review does not flag it again for 7 days.
    @OptionalField(key: "restored_at") var restoredAt: Date?

    init() {}

    static func scoped(_ query: QueryBuilder<CallerIDNumber>, to organizationID: UUID)
        -> QueryBuilder<CallerIDNumber>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A caller id's calls and answered calls on one day (UTC), for caps and answer rates.
final class CallerIDDay: Model, TenantScoped, @unchecked Sendable {
    static let schema = "caller_id_days"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "caller_id") var callerID: UUID
    @Field(key: "day") var day: String
    @Field(key: "calls") var calls: Int
    @Field(key: "answered") var answered: Int

    init() {}

    static func scoped(_ query: QueryBuilder<CallerIDDay>, to organizationID: UUID)
        -> QueryBuilder<CallerIDDay>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// An organization's frequency caps (on top of state law) and its SMS HELP reply.
final class ComplianceSettings: Model, TenantScoped, @unchecked Sendable {
    static let schema = "compliance_settings"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "calls_per_24h") var callsPer24h: Int?
    @OptionalField(key: "texts_per_24h") var textsPer24h: Int?
    @OptionalField(key: "emails_per_24h") var emailsPer24h: Int?
    @OptionalField(key: "voicemails_per_24h") var voicemailsPer24h: Int?
    @Field(key: "sms_help_text") var smsHelpText: String

    init() {}

    var caps: OrgFrequencyCaps {
        OrgFrequencyCaps(
            callsPer24h: callsPer24h, textsPer24h: textsPer24h, emailsPer24h: emailsPer24h,
            voicemailsPer24h: voicemailsPer24h)
    }

    static func scoped(_ query: QueryBuilder<ComplianceSettings>, to organizationID: UUID)
        -> QueryBuilder<ComplianceSettings>
    {
        query.filter(\.$organizationID == organizationID)
    }
}
