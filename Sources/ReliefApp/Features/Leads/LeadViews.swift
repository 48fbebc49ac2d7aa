import Foundation
import ReliefCore

/// `leads/list`.
struct LeadsListPage: Encodable, Sendable {
    var page: PageContext
    var summary: String
    var stages: [StageChip]
    var filters: LeadFilters
    var rows: [LeadRow]
    var isFiltered: Bool
    var isPaged: Bool
    var nextURL: String?
    var firstURL: String
    /// The user's saved views.
    var views: [SavedViewLink]
    /// The filters and sort of this list (no cursor): what "Save this view" stores.
    var currentQuery: String
    /// The filters, sort and cursor: where the bulk bar returns to.
    var pageQuery: String
    var boardURL: String
    /// Nil without `leads.export`.
    var exportURL: String?
    /// Nil without `leads.write`.
    var bulk: LeadBulkForm?
    var canWrite: Bool
}

/// A saved view in the list page's view bar.
struct SavedViewLink: Encodable, Sendable {
    var id: String
    var name: String
    var href: String
    /// The list shows exactly this view.
    var active: Bool
}

/// The menus of the list page's bulk bar.
struct LeadBulkForm: Encodable, Sendable {
    var actions: [SelectOption]
    /// Empty without `leads.assign`.
    var owners: [SelectOption]
    var statuses: [SelectOption]
}

/// A status with its count and enrolled debt, linking to the list filtered by it.
struct StageChip: Encodable, Sendable {
    var label: String
    var count: Int
    var debt: String
    var href: String
    var active: Bool

    /// Whole dollars, or empty for none (the chips and the board's columns).
    static func debtLabel(_ cents: Int64) -> String {
        cents > 0 ? MoneyFormat.dollars(cents, wholeDollars: true) : ""
    }
}

/// The filter bar's current values and menus.
struct LeadFilters: Encodable, Sendable {
    var q: String
    var statuses: [SelectOption]
    var owners: [SelectOption]
    var teams: [SelectOption]
    var sources: [SelectOption]
    var state: String
    var tag: String
    var scoreMin: String
    var scoreMax: String
    var createdFrom: String
    var createdTo: String
    var sorts: [SelectOption]
}

extension LeadFilters {
    /// The filter bar for `query`, with the organization's owners, teams and sources.
    init(_ query: LeadListQuery, directory: LeadDirectoryNames) {
        func options(_ all: String, _ pairs: [(String, String)], selected: String?)
            -> [SelectOption]
        {
            [SelectOption(value: "", label: all, selected: (selected ?? "").isEmpty)]
                + pairs.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        func named(_ names: [UUID: String]) -> [(String, String)] {
            names.sorted { $0.value < $1.value }.map { ($0.key.uuidString, $0.value) }
        }
        self.init(
            q: query.q ?? "",
            statuses: options(
                "Any status", LeadStatus.allCases.sorted().map { ($0.rawValue, $0.label) },
                selected: query.statuses.first?.rawValue ?? ""),
            owners: options(
                "Anyone", [("none", "Unassigned")] + named(directory.users),
                selected: query.owner),
            teams: options("Any team", named(directory.teams), selected: query.team),
            sources: options("Any source", named(directory.sources), selected: query.source),
            state: query.state ?? "", tag: query.tag ?? "",
            scoreMin: query.scoreMin.map { String($0) } ?? "",
            scoreMax: query.scoreMax.map { String($0) } ?? "",
            createdFrom: query.createdFrom ?? "", createdTo: query.createdTo ?? "",
            sorts: LeadListQuery.Sort.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == query.sortOrder)
            })
    }
}

/// One row of the lead list.
struct LeadRow: Encodable, Sendable {
    var id: String
    var name: String
    var email: String
    var phone: String
    var status: String
    var statusLabel: String
    var owner: String
    var state: String
    var source: String
    var debt: String
    var heat: String
    var created: String
}

/// `leads/show`.
struct LeadPage: Encodable, Sendable {
    var page: PageContext
    var lead: LeadHeader
    var duplicates: [LeadLink]
    var debts: [DebtRow]
    var debtTotal: String
    var debtTypes: [SelectOption]
    var consents: [ConsentRow]
    var consentKinds: [SelectOption]
    var transitions: [SelectOption]
    var timeline: [TimelineItem]
    /// Tasks, custom fields and marketing touches.
    var workspace: LeadWorkspace
    /// The gate's answers right now, open flags and the do-not-call and flag forms.
    var compliance: LeadCompliancePanel
    var engagement: LeadEngagementPanel
    var statusErrors: FieldMessages
    var debtErrors: FieldMessages
    var noteError: String
    var canWrite: Bool
    var canReveal: Bool
}

/// The key facts at the top of the lead page.
struct LeadHeader: Encodable, Sendable {
    var id: String
    var status: String
    var statusLabel: String
    var phone: String
    var phoneE164: String
    var email: String
    var localTime: String
    var timeZone: String
    var zipTimeZone: String
    var phoneTimeZones: String
    var zonesDiffer: Bool
    var owner: String
    var team: String
    var source: String
    var address: String
    var language: String
    var statedDebt: String
    var enrolledDebt: String
    var income: String
    var employment: String
    var heat: String
    var ssn: String
    var dateOfBirth: String
    var hasSensitive: Bool
    var tags: [String]
    var hardship: String
    var created: String
    var assignmentRule: String
}

struct LeadLink: Encodable, Sendable {
    var id: String
    var name: String
}

struct DebtRow: Encodable, Sendable {
    var id: String
    var creditor: String
    var type: String
    var last4: String
    var balance: String
    var payment: String
    var monthsDelinquent: String
    var secured: Bool
    var origin: String
    var enrolled: Bool
}

struct ConsentRow: Encodable, Sendable {
    var kind: String
    var granted: Bool
    var capturedAt: String
    var source: String
    var detail: String
    var contact: String
    var ip: String
    var disclosure: String
}

struct TimelineItem: Encodable, Sendable {
    var kind: String
    var summary: String
    var actor: String
    var when: String
    var iso: String
    var reason: String
    var body: String
    /// `success`, `warning` or `danger` for gate decisions (allowed, deferred, denied) and
    /// compliance flags; empty otherwise.
    var tone: String = ""

    /// The badge tone of a compliance entry, read from its summary ("Marketing call: denied
    /// (national DNC)", "Bankruptcy flag raised ...").
    static func tone(_ summary: String, kind: String) -> String {
        guard kind == Activity.Kind.compliance.rawValue else { return "" }
        if summary.contains(": denied") || summary.contains("flag raised")
            || summary.contains("flag confirmed") || summary.hasPrefix("Opted out")
            || summary.hasPrefix("Added ")
        {
            return "danger"
        }
        if summary.contains(": deferred") { return "warning" }
        if summary.contains(": allowed") || summary.contains("flag cleared")
            || summary.hasPrefix("Opted back in") || summary.hasPrefix("Removed ")
        {
            return "success"
        }
        return ""
    }
}

/// `leads/form`.
struct LeadFormPage: Encodable, Sendable {
    var page: PageContext
    var isNew: Bool
    var id: String
    var name: String
    var sections: [FormSection]
    var errors: FieldMessages
    var duplicates: [LeadLink]
    var tcpaConsent: Bool
    var disclosure: String
}

/// A fieldset of a generated form.
struct FormSection: Encodable, Sendable {
    var title: String
    var hint: String = ""
    var fields: [FormField]
}

/// One input of a generated form; `kind` is an input type, `textarea` or `select`.
struct FormField: Encodable, Sendable {
    var name: String
    var label: String
    var kind: String = "text"
    var value: String = ""
    var error: String = ""
    var hint: String = ""
    var autocomplete: String = "off"
    var inputmode: String = ""
    var wide: Bool = false
    var options: [SelectOption] = []
}

/// The lead form's fields. Names are the importer's field names (``LeadImportField``), so the
/// form, the importer and the API share one parser.
enum LeadForm {
    static func sections(
        values: [String: String], errors: FieldMessages, owners: [SelectOption], isNew: Bool
    ) -> [FormSection] {
        func field(
            _ name: String, _ label: String, kind: String = "text", hint: String = "",
            autocomplete: String = "off", inputmode: String = "", wide: Bool = false,
            options: [SelectOption] = []
        ) -> FormField {
            FormField(
                name: name, label: label, kind: kind, value: values[name] ?? "",
                error: errors[name] ?? "", hint: hint, autocomplete: autocomplete,
                inputmode: inputmode, wide: wide, options: options)
        }
        let language = values["language"] ?? "en"
        let phoneType = values["phone_type"] ?? "mobile"
        var sections = [
            FormSection(
                title: "Name",
                fields: [
                    field("first_name", "First name", autocomplete: "given-name"),
                    field("middle_name", "Middle name", autocomplete: "additional-name"),
                    field("last_name", "Last name", autocomplete: "family-name"),
                ]),
            FormSection(
                title: "Contact",
                fields: [
                    field("phone", "Phone", kind: "tel", autocomplete: "tel"),
                    field(
                        "phone_type", "Phone type", kind: "select",
                        options: PhoneType.allCases.map {
                            SelectOption(
                                value: $0.rawValue, label: $0.rawValue.capitalized,
                                selected: $0.rawValue == phoneType)
                        }),
                    field(
                        "home_phone", "Other phone", kind: "tel",
                        hint: "Optional second number (stored as home)."),
                    field("email", "Email", kind: "email", autocomplete: "email"),
                    field("email_2", "Other email", kind: "email"),
                    field(
                        "language", "Preferred language", kind: "select",
                        options: [("en", "English"), ("es", "Spanish")].map {
                            SelectOption(value: $0.0, label: $0.1, selected: $0.0 == language)
                        }),
                ]),
            FormSection(
                title: "Address",
                fields: [
                    field("address", "Street address", autocomplete: "address-line1", wide: true),
                    field("address_2", "Apartment, suite", autocomplete: "address-line2"),
                    field("city", "City", autocomplete: "address-level2"),
                    field(
                        "state", "State", hint: "Two letters, e.g. TX.",
                        autocomplete: "address-level1"),
                    field(
                        "zip", "ZIP code", hint: "Sets the lead's time zone.",
                        autocomplete: "postal-code", inputmode: "numeric"),
                ]),
            FormSection(
                title: "Finances and situation",
                fields: [
                    field(
                        "total_unsecured_debt", "Total unsecured debt ($)", inputmode: "decimal"),
                    field("monthly_income", "Monthly income ($)", inputmode: "decimal"),
                    field("employment", "Employment"),
                    field("hardship", "Hardship", kind: "textarea", wide: true),
                ]),
            FormSection(
                title: "Sensitive",
                hint: "Stored encrypted. Only the last four SSN digits are shown.",
                fields: [
                    field(
                        "ssn", "SSN", hint: isNew ? "" : "Leave blank to keep the stored value.",
                        inputmode: "numeric"),
                    field(
                        "date_of_birth", "Date of birth", kind: "date",
                        hint: isNew ? "" : "Leave blank to keep the stored value."),
                ]),
        ]
        var ownership: [FormField] = []
        if !owners.isEmpty {
            ownership.append(
                FormField(
                    name: "owner_id", label: "Owner", kind: "select",
                    error: errors["owner_id"] ?? "", options: owners))
        }
        ownership += [
            field("source", "Source", hint: "Vendor or campaign, e.g. Facebook spring offer."),
            field("tags", "Tags", hint: "Comma separated."),
        ]
        if isNew { ownership.append(field("notes", "First note", kind: "textarea", wide: true)) }
        sections.append(FormSection(title: "Ownership and source", fields: ownership))
        return sections
    }

    /// The TCPA disclosure an agent reads to the consumer (organization name filled in).
    static func disclosure(for organization: Organization) -> String {
        "By saying yes, you agree that \(organization.displayName) may call and text you at the "
            + "number provided, including with automated technology and prerecorded messages, "
            + "about debt relief offers. Consent is not a condition of purchase. Message and data "
            + "rates may apply. Reply STOP to opt out."
    }
}
