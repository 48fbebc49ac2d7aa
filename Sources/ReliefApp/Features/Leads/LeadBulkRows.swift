import Foundation
import ReliefCore

/// What ``LeadService/apply(_:to:isNew:now:)`` and the assignment fill on a lead: the stored
/// ``Lead`` model, or a ``NewLeadRow`` the import writes in bulk.
protocol LeadFields: AnyObject {
    var firstName: String { get set }
    var middleName: String { get set }
    var lastName: String { get set }
    var firstNameKey: String { get set }
    var lastNameKey: String { get set }
    var primaryEmail: String? { get set }
    var primaryPhone: String? { get set }
    var address: String { get set }
    var address2: String { get set }
    var city: String { get set }
    var state: String { get set }
    var zip: String { get set }
    var timeZone: String? { get set }
    var zipTimeZone: String? { get set }
    var phoneTimeZones: String { get set }
    var language: String { get set }
    var dateOfBirth: String? { get set }
    var ssn: String? { get set }
    var ssnLast4: String? { get set }
    var ssnIndex: String? { get set }
    var ssnIndexKeyID: String? { get set }
    var statedUnsecuredDebtCents: Int64? { get set }
    var monthlyIncomeCents: Int64? { get set }
    var employment: String { get set }
    var hardshipNotes: String { get set }
    var externalID: String? { get set }
    var firstTouch: String { get set }
    var lastTouch: String { get set }
    var ownerID: UUID? { get set }
    var teamID: UUID? { get set }
    var assignmentRule: String? { get set }
}

extension Lead: LeadFields {}

// Rows the lead import writes with ``Database/insertInGroups(_:now:)``: plain values, one
// allocation at most per row, instead of Fluent models with a property wrapper per column.
// `BulkInsertTests` checks each column list against the model of the same table.

/// A new lead on its way into `leads`, with the defaults of ``Lead/init(organizationID:now:)``.
final class NewLeadRow: LeadFields, BulkInsertable, @unchecked Sendable {
    static let bulkTable = Lead.schema
    static let bulkColumns = [
        "id", "created_at", "updated_at", "deleted_at", "organization_id", "status",
        "first_name", "middle_name", "last_name", "first_name_key", "last_name_key",
        "primary_email", "primary_phone", "address", "address_2", "city", "state", "zip",
        "time_zone", "zip_time_zone", "phone_time_zones", "language", "date_of_birth", "ssn",
        "ssn_last4", "ssn_index", "ssn_index_key_id", "stated_unsecured_debt_cents",
        "monthly_income_cents", "employment", "hardship_notes", "enrolled_debt_cents", "owner_id",
        "team_id", "source_id", "assignment_rule", "external_id", "first_touch", "last_touch",
        "custom_fields", "heat_score", "heat_as_of", "heat_rank", "enrollment_probability",
        "last_contacted_at", "next_follow_up_at", "status_changed_at", "merged_into_id",
    ]

    let id: UUID
    let organizationID: UUID
    let createdAt: Date
    var firstName = ""
    var middleName = ""
    var lastName = ""
    var firstNameKey = ""
    var lastNameKey = ""
    var primaryEmail: String?
    var primaryPhone: String?
    var address = ""
    var address2 = ""
    var city = ""
    var state = ""
    var zip = ""
    var timeZone: String?
    var zipTimeZone: String?
    var phoneTimeZones = ""
    var language = "en"
    var dateOfBirth: String?
    var ssn: String?
    var ssnLast4: String?
    var ssnIndex: String?
    var ssnIndexKeyID: String?
    var statedUnsecuredDebtCents: Int64?
    var monthlyIncomeCents: Int64?
    var employment = ""
    var hardshipNotes = ""
    var externalID: String?
    var firstTouch = "{}"
    var lastTouch = "{}"
    var ownerID: UUID?
    var teamID: UUID?
    var sourceID: UUID?
    var assignmentRule: String?

    init(id: UUID, organizationID: UUID, createdAt: Date) {
        self.id = id
        self.organizationID = organizationID
        self.createdAt = createdAt
    }

    func appendBulkValues(to values: inout [BulkValue], now: Date) {
        values.append(.uuid(id))
        values.append(.date(createdAt))
        values.append(.date(createdAt))
        values.append(.null)
        values.append(.uuid(organizationID))
        values.append(.text(LeadStatus.new.rawValue))
        values.append(.text(firstName))
        values.append(.text(middleName))
        values.append(.text(lastName))
        values.append(.text(firstNameKey))
        values.append(.text(lastNameKey))
        values.append(BulkValue(primaryEmail))
        values.append(BulkValue(primaryPhone))
        values.append(.text(address))
        values.append(.text(address2))
        values.append(.text(city))
        values.append(.text(state))
        values.append(.text(zip))
        values.append(BulkValue(timeZone))
        values.append(BulkValue(zipTimeZone))
        values.append(.text(phoneTimeZones))
        values.append(.text(language))
        values.append(BulkValue(dateOfBirth))
        values.append(BulkValue(ssn))
        values.append(BulkValue(ssnLast4))
        values.append(BulkValue(ssnIndex))
        values.append(BulkValue(ssnIndexKeyID))
        values.append(BulkValue(statedUnsecuredDebtCents))
        values.append(BulkValue(monthlyIncomeCents))
        values.append(.text(employment))
        values.append(.text(hardshipNotes))
        values.append(.integer(0))
        values.append(BulkValue(ownerID))
        values.append(BulkValue(teamID))
        values.append(BulkValue(sourceID))
        values.append(BulkValue(assignmentRule))
        values.append(BulkValue(externalID))
        values.append(.text(firstTouch))
        values.append(.text(lastTouch))
        values.append(.text("{}"))
        values.append(.real(0))  // heat: none yet (score, as of, rank)
        values.append(.null)
        values.append(.null)
        values.append(.null)
        values.append(.null)
        values.append(.null)
        values.append(.date(createdAt))
        values.append(.null)
    }
}

/// A new row of `lead_phones`.
struct NewLeadPhoneRow: BulkInsertable {
    static let bulkTable = LeadPhoneRecord.schema
    static let bulkColumns = [
        "id", "created_at", "organization_id", "lead_id", "e164", "type", "is_primary",
    ]
    var organizationID: UUID
    var leadID: UUID
    var e164: String
    var type: PhoneType
    var isPrimary: Bool

    func appendBulkValues(to values: inout [BulkValue], now: Date) {
        values.append(.uuid(UUID.timeOrdered(at: now)))
        values.append(.date(now))
        values.append(.uuid(organizationID))
        values.append(.uuid(leadID))
        values.append(.text(e164))
        values.append(.text(type.rawValue))
        values.append(.bool(isPrimary))
    }
}

/// A new row of `lead_emails`.
struct NewLeadEmailRow: BulkInsertable {
    static let bulkTable = LeadEmailRecord.schema
    static let bulkColumns = [
        "id", "created_at", "organization_id", "lead_id", "email", "is_primary",
    ]
    var organizationID: UUID
    var leadID: UUID
    var email: String
    var isPrimary: Bool

    func appendBulkValues(to values: inout [BulkValue], now: Date) {
        values.append(.uuid(UUID.timeOrdered(at: now)))
        values.append(.date(now))
        values.append(.uuid(organizationID))
        values.append(.uuid(leadID))
        values.append(.text(email))
        values.append(.bool(isPrimary))
    }
}

/// A new row of `lead_tags`.
struct NewLeadTagRow: BulkInsertable {
    static let bulkTable = LeadTag.schema
    static let bulkColumns = ["id", "organization_id", "lead_id", "tag"]
    var organizationID: UUID
    var leadID: UUID
    var tag: String

    func appendBulkValues(to values: inout [BulkValue], now: Date) {
        values.append(.uuid(UUID.timeOrdered(at: now)))
        values.append(.uuid(organizationID))
        values.append(.uuid(leadID))
        values.append(.text(tag))
    }
}

/// A new timeline entry (`activities`) without a status change.
struct NewActivityRow: BulkInsertable {
    static let bulkTable = Activity.schema
    static let bulkColumns = [
        "id", "organization_id", "lead_id", "kind", "occurred_at", "actor_id", "actor_label",
        "summary", "body", "from_status", "to_status", "reason", "data",
    ]
    var organizationID: UUID
    var leadID: UUID
    var kind: Activity.Kind
    var actorID: UUID?
    var actorLabel: String
    var summary: String
    var body: String
    var data: String

    func appendBulkValues(to values: inout [BulkValue], now: Date) {
        values.append(.uuid(UUID.timeOrdered(at: now)))
        values.append(.uuid(organizationID))
        values.append(.uuid(leadID))
        values.append(.text(kind.rawValue))
        values.append(.date(now))
        values.append(BulkValue(actorID))
        values.append(.text(actorLabel))
        values.append(.text(summary))
        values.append(.text(body))
        values.append(.null)
        values.append(.null)
        values.append(.null)
        values.append(.text(data))
    }
}
