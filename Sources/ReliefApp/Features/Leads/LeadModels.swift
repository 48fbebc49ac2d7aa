import Fluent
import ReliefCore
import Vapor

/// A prospect or client: contact details, debts, status, owner, source and scores. SSN and
/// date of birth are sealed by ``FieldCipher``; the SSN also has a blind index for duplicate
/// checks and its last four digits in clear for display.
final class Lead: Model, TenantScoped, @unchecked Sendable {
    static let schema = "leads"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .none) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .none) var updatedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) var deletedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Enum(key: "status") var status: LeadStatus
    @Field(key: "first_name") var firstName: String
    @Field(key: "middle_name") var middleName: String
    @Field(key: "last_name") var lastName: String
    /// Lower-cased, diacritics-free copies of the names for prefix search.
    @Field(key: "first_name_key") var firstNameKey: String
    @Field(key: "last_name_key") var lastNameKey: String
    @OptionalField(key: "primary_email") var primaryEmail: String?
    @OptionalField(key: "primary_phone") var primaryPhone: String?
    @Field(key: "address") var address: String
    @Field(key: "address_2") var address2: String
    @Field(key: "city") var city: String
    @Field(key: "state") var state: String
    @Field(key: "zip") var zip: String
    /// The zone the lead is contacted in: the ZIP's, else the phone area code's.
    @OptionalField(key: "time_zone") var timeZone: String?
    @OptionalField(key: "zip_time_zone") var zipTimeZone: String?
    /// Space-separated zones of the primary phone's area code, most common first.
    @Field(key: "phone_time_zones") var phoneTimeZones: String
    @Field(key: "language") var language: String
    /// Sealed `YYYY-MM-DD` (context `leads.date_of_birth`).
    @OptionalField(key: "date_of_birth") var dateOfBirth: String?
    /// Sealed nine digits (context `leads.ssn`).
    @OptionalField(key: "ssn") var ssn: String?
    @OptionalField(key: "ssn_last4") var ssnLast4: String?
    @OptionalField(key: "ssn_index") var ssnIndex: String?
    @OptionalField(key: "ssn_index_key_id") var ssnIndexKeyID: String?
    @OptionalField(key: "stated_unsecured_debt_cents") var statedUnsecuredDebtCents: Int64?
    @OptionalField(key: "monthly_income_cents") var monthlyIncomeCents: Int64?
    @Field(key: "employment") var employment: String
    @Field(key: "hardship_notes") var hardshipNotes: String
    /// Sum of the balances of debts marked enrolled (kept by ``LeadService``).
    @Field(key: "enrolled_debt_cents") var enrolledDebtCents: Int64
    @OptionalField(key: "owner_id") var ownerID: UUID?
    @OptionalField(key: "team_id") var teamID: UUID?
    @OptionalField(key: "source_id") var sourceID: UUID?
    /// The assignment rule that chose the owner, for the record.
    @OptionalField(key: "assignment_rule") var assignmentRule: String?
    @OptionalField(key: "external_id") var externalID: String?
    /// JSON of ``Touch``: the first and the latest marketing touch (UTM parameters).
    @Field(key: "first_touch") var firstTouch: String
    @Field(key: "last_touch") var lastTouch: String
    /// JSON object of custom field key -> value.
    @Field(key: "custom_fields") var customFields: String
    /// Filled by the engagement issue (heat) and the qualification issue (probability).
    /// The heat score as of ``heatAsOf`` (decay it to read it now: ``heat``).
    @Field(key: "heat_score") var heatScore: Double
    @OptionalField(key: "heat_as_of") var heatAsOf: Date?
    /// `log2(score) + asOf / halfLife`: ordering leads by it orders them by their decayed
    /// scores at any instant (nil for no heat). See ``HeatRank``.
    @OptionalField(key: "heat_rank") var heatRank: Double?
    @OptionalField(key: "enrollment_probability") var enrollmentProbability: Double?
    @OptionalField(key: "last_contacted_at") var lastContactedAt: Date?
    @OptionalField(key: "next_follow_up_at") var nextFollowUpAt: Date?
    @Field(key: "status_changed_at") var statusChangedAt: Date
    /// Set on a lead merged into another (and soft-deleted): the lead that absorbed it.
    @OptionalField(key: "merged_into_id") var mergedIntoID: UUID?

    init() {}

    init(organizationID: UUID, now: Date) {
        self.organizationID = organizationID
        status = .new
        firstName = ""
        middleName = ""
        lastName = ""
        firstNameKey = ""
        lastNameKey = ""
        address = ""
        address2 = ""
        city = ""
        state = ""
        zip = ""
        phoneTimeZones = ""
        language = "en"
        employment = ""
        hardshipNotes = ""
        enrolledDebtCents = 0
        firstTouch = "{}"
        lastTouch = "{}"
        customFields = "{}"
        heatScore = 0
        statusChangedAt = now
        createdAt = now
        updatedAt = now
    }

    static func scoped(_ query: QueryBuilder<Lead>, to organizationID: UUID) -> QueryBuilder<Lead> {
        query.filter(\.$organizationID == organizationID)
    }

    var fullName: String {
        [firstName, middleName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The folded search key of a name: lower case, no diacritics, single spaces.
    static func nameKey(_ name: String) -> String {
        name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// A lead's phone number in E.164.
final class LeadPhoneRecord: Model, TenantScoped, @unchecked Sendable {
    static let schema = "lead_phones"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @Field(key: "e164") var e164: String
    @Field(key: "type") var type: String
    @Field(key: "is_primary") var isPrimary: Bool

    init() {}

    init(organizationID: UUID, leadID: UUID, e164: String, type: PhoneType, isPrimary: Bool) {
        self.organizationID = organizationID
        self.leadID = leadID
        self.e164 = e164
        self.type = type.rawValue
        self.isPrimary = isPrimary
    }

    static func scoped(_ query: QueryBuilder<LeadPhoneRecord>, to organizationID: UUID)
        -> QueryBuilder<LeadPhoneRecord>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A lead's e-mail address (lower-cased).
final class LeadEmailRecord: Model, TenantScoped, @unchecked Sendable {
    static let schema = "lead_emails"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @Field(key: "email") var email: String
    @Field(key: "is_primary") var isPrimary: Bool

    init() {}

    init(organizationID: UUID, leadID: UUID, email: String, isPrimary: Bool) {
        self.organizationID = organizationID
        self.leadID = leadID
        self.email = email
        self.isPrimary = isPrimary
    }

    static func scoped(_ query: QueryBuilder<LeadEmailRecord>, to organizationID: UUID)
        -> QueryBuilder<LeadEmailRecord>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// Where a debt's figures came from.
enum DebtOrigin: String, Codable, Sendable {
    /// Told by the lead (form, import, agent).
    case stated
    /// Read from a credit report.
    case creditReport = "credit_report"
}

/// One debt of a lead.
final class Debt: Model, TenantScoped, @unchecked Sendable {
    static let schema = "debts"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @Field(key: "creditor") var creditor: String
    @Field(key: "account_type") var accountType: String
    @Field(key: "account_last4") var accountLast4: String
    @Field(key: "balance_cents") var balanceCents: Int64
    @OptionalField(key: "monthly_payment_cents") var monthlyPaymentCents: Int64?
    @OptionalField(key: "months_delinquent") var monthsDelinquent: Int?
    @Field(key: "is_secured") var isSecured: Bool
    @Enum(key: "origin") var origin: DebtOrigin
    @Field(key: "is_enrolled") var isEnrolled: Bool

    init() {}

    init(organizationID: UUID, leadID: UUID) {
        self.organizationID = organizationID
        self.leadID = leadID
        creditor = ""
        accountType = DebtAccountType.creditCard.rawValue
        accountLast4 = ""
        balanceCents = 0
        isSecured = false
        origin = .stated
        isEnrolled = false
    }

    static func scoped(_ query: QueryBuilder<Debt>, to organizationID: UUID) -> QueryBuilder<Debt> {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A timeline entry on a lead. Append-only: features add rows, nothing edits them.
final class Activity: Model, TenantScoped, @unchecked Sendable {
    static let schema = "activities"

    /// What happened.
    enum Kind: String, Codable, Sendable, CaseIterable {
        case created, note
        case statusChange = "status_change"
        case assignment, updated, imported
        case merged, consent, task, debt
        /// A contact gate decision recorded for a send.
        case compliance
        /// Behavioral tracking: a lead turned hot.
        case engagement
    }

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @Enum(key: "kind") var kind: Kind
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "summary") var summary: String
    @Field(key: "body") var body: String
    @OptionalField(key: "from_status") var fromStatus: String?
    @OptionalField(key: "to_status") var toStatus: String?
    @OptionalField(key: "reason") var reason: String?
    /// JSON object with kind-specific details.
    @Field(key: "data") var data: String

    init() {}

    init(
        organizationID: UUID, leadID: UUID, kind: Kind, occurredAt: Date, actorID: UUID?,
        actorLabel: String, summary: String, body: String = "", data: String = "{}"
    ) {
        self.organizationID = organizationID
        self.leadID = leadID
        self.kind = kind
        self.occurredAt = occurredAt
        self.actorID = actorID
        self.actorLabel = actorLabel
        self.summary = summary
        self.body = body
        self.data = data
    }

    static func scoped(_ query: QueryBuilder<Activity>, to organizationID: UUID)
        -> QueryBuilder<Activity>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// Evidence of consent given or withdrawn. Never updated: a withdrawal is a new row with
/// `granted == false`.
final class Consent: Model, TenantScoped, @unchecked Sendable {
    static let schema = "consents"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .none) var createdAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @Enum(key: "kind") var kind: ConsentKind
    @Field(key: "granted") var granted: Bool
    /// The phone (E.164) or e-mail the consent covers; empty for all of the lead's.
    @Field(key: "contact") var contact: String
    @Field(key: "disclosure_text") var disclosureText: String
    @Field(key: "captured_at") var capturedAt: Date
    @Enum(key: "source") var source: ConsentSource
    /// The form URL, import file name or agent name.
    @Field(key: "source_detail") var sourceDetail: String
    @Field(key: "ip") var ip: String
    @Field(key: "user_agent") var userAgent: String
    @OptionalField(key: "recorded_by") var recordedBy: UUID?

    init() {}

    static func scoped(_ query: QueryBuilder<Consent>, to organizationID: UUID)
        -> QueryBuilder<Consent>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A tag on a lead (lower-case, trimmed).
final class LeadTag: Model, TenantScoped, @unchecked Sendable {
    static let schema = "lead_tags"

    // managed fields
    @ID(key: .id) var id: UUID?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @Field(key: "tag") var tag: String

    init() {}

    init(organizationID: UUID, leadID: UUID, tag: String) {
        self.organizationID = organizationID
        self.leadID = leadID
        self.tag = tag
    }

    static func scoped(_ query: QueryBuilder<LeadTag>, to organizationID: UUID)
        -> QueryBuilder<LeadTag>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A follow-up task on a lead for its assignee (by default the lead's owner).
final class LeadTask: Model, TenantScoped, @unchecked Sendable {
    static let schema = "tasks"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "lead_id") var leadID: UUID
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "due_at") var dueAt: Date
    @OptionalField(key: "remind_at") var remindAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "created_by") var createdBy: UUID?

    init() {}

    static func scoped(_ query: QueryBuilder<LeadTask>, to organizationID: UUID)
        -> QueryBuilder<LeadTask>
    {
        query.filter(\.$organizationID == organizationID)
    }
}

/// A vendor or campaign leads come from, with its cost per lead.
final class LeadSource: Model, TenantScoped, @unchecked Sendable {
    static let schema = "lead_sources"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "name") var name: String
    /// Lower-cased name, unique per organization, so "Facebook" and "facebook" are one source.
    @Field(key: "name_key") var nameKey: String
    @Field(key: "vendor") var vendor: String
    @Field(key: "campaign") var campaign: String
    @Field(key: "cost_per_lead_cents") var costPerLeadCents: Int64
    @Field(key: "is_active") var isActive: Bool

    init() {}

    init(organizationID: UUID, name: String, vendor: String = "", campaign: String = "") {
        self.organizationID = organizationID
        self.name = name
        nameKey = LeadSource.key(name)
        self.vendor = vendor
        self.campaign = campaign
        costPerLeadCents = 0
        isActive = true
    }

    static func key(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func scoped(_ query: QueryBuilder<LeadSource>, to organizationID: UUID)
        -> QueryBuilder<LeadSource>
    {
        query.filter(\.$organizationID == organizationID)
    }
}
