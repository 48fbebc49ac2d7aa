import Foundation

/// One made-up lead of the demo organization, with everything the CRM shows about a lead: contact
/// details, finances, debts, pipeline history, agent notes, tasks and consents. Statuses, account
/// types and consent kinds are the raw values the app stores.
public struct DemoLead: Sendable, Equatable {
    public var firstName: String
    /// Empty for most leads; a name or an initial otherwise.
    public var middleName: String
    public var lastName: String
    /// Unique among the leads of one ``DemoLeadGenerator/leads(count:agentCount:)`` call.
    public var email: String
    public var phone: DemoPhone
    public var secondPhone: DemoPhone?
    /// House number, street and suffix, sometimes with a unit ("1207 W Jefferson St Apt 4").
    public var address: String
    public var city: String
    public var state: String
    public var zip: String
    /// The IANA time zone of the ZIP code.
    public var timeZone: String
    /// "en" or "es".
    public var language: String
    /// "YYYY-MM-DD".
    public var dateOfBirth: String
    /// "AAA-GG-SSSS", given by about 30% of leads.
    public var ssn: String?
    public var statedUnsecuredDebtCents: Int64
    public var monthlyIncomeCents: Int64
    /// An employer's name, "Self-employed", "Retired" or "Unemployed".
    public var employment: String
    /// The lead's own words about why they fell behind: one to three sentences.
    public var hardship: String
    public var source: DemoSource
    /// The tracked link the lead came through, for sources with one.
    public var utm: DemoUTM?
    public var debts: [DemoDebt]
    public var createdAt: Date
    /// Oldest first; the first change is to "new" at ``createdAt``.
    public var statusHistory: [DemoStatusChange]
    /// Oldest first.
    public var notes: [DemoNote]
    public var tasks: [DemoTask]
    /// Oldest first; a withdrawal is a later consent of the same kind with `granted` false.
    public var consents: [DemoConsent]
    /// The agent (`0..<agentCount`) who owns the lead; nil for unassigned new leads.
    public var ownerIndex: Int?

    /// The current status: that of the last change.
    public var status: String { statusHistory.last?.status ?? "new" }
}

/// A phone number of a lead: ten national digits and "mobile", "home" or "work".
public struct DemoPhone: Sendable, Equatable {
    /// Ten digits, area code first ("2125550143").
    public var number: String
    public var type: String
}

/// One debt of a lead, as a credit report or the lead lists it.
public struct DemoDebt: Sendable, Equatable {
    public var creditor: String
    /// A `DebtAccountType` raw value: "credit_card", "personal_loan", "medical", ...
    public var accountType: String
    public var balanceCents: Int64
    public var monthlyPaymentCents: Int64
    /// 0 when current.
    public var monthsDelinquent: Int
    public var isSecured: Bool
    public var accountLast4: String
    /// Whether the debt is in the lead's settlement program: set for the enrollable debts
    /// (unsecured, not federal student loans or taxes) of leads that reached "enrolled".
    public var isEnrolled: Bool
}

/// A move of a lead along the pipeline.
public struct DemoStatusChange: Sendable, Equatable {
    /// A `LeadStatus` raw value: "new", "contacted", "qualified", "enrolled", "settled",
    /// "not_interested", "unqualified", "unreachable", "do_not_contact" or "cancelled".
    public var status: String
    public var at: Date
    /// Why; always present for "unqualified", "do_not_contact" and "cancelled".
    public var reason: String?
}

/// A note an agent wrote on a lead.
public struct DemoNote: Sendable, Equatable {
    public var text: String
    public var at: Date
}

/// A follow-up task on an open lead, overdue or upcoming.
public struct DemoTask: Sendable, Equatable {
    public var title: String
    public var due: Date
}

/// A consent given (or withdrawn) by a lead.
public struct DemoConsent: Sendable, Equatable {
    /// "tcpa" (calls and texts with an autodialer) or "email_marketing".
    public var kind: String
    /// False for a withdrawal of an earlier consent of the same kind.
    public var granted: Bool
    /// The disclosure the lead agreed to, or how they withdrew.
    public var disclosure: String
    public var capturedAt: Date
    /// "web_form" for a consent; "sms_reply", "phone_call", "mail" or "unsubscribe_link" for a
    /// withdrawal.
    public var source: String
    /// The page of the web form; nil for a withdrawal.
    public var formURL: String?
    /// The submitter's IP address, from the documentation ranges (RFC 5737); nil for a withdrawal.
    public var ip: String?
    public var userAgent: String?
}
