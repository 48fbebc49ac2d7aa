import Foundation
import ReliefCore

/// `compliance/index`: the compliance dashboard. Chart SVG is trusted markup from `SVGChart`.
struct ComplianceDashboardPage: Encodable, Sendable {
    var page: PageContext
    var stats: [StatCard]
    var chart: ChartCard
    /// The reason codes given over the period with their counts, most frequent first.
    var reasons: [ReasonTotal]
    /// The labels of the reason codes not given over the period.
    var unseenReasons: String
    var days: Int
    var optOuts: [OptOutRow]
    var optOutCount: Int
    var dncHits: [DecisionRow]
    var pendingFlags: [FlagRow]
    var pendingCount: Int
    var registries: [RegistryFreshness]
    var pool: PoolHealth
    var canManage: Bool
}

/// One reason code's total.
struct ReasonTotal: Encodable, Sendable {
    var code: String
    var label: String
    var count: Int
    /// Passes with time (a deferral) rather than a refusal.
    var defers: Bool
}

/// An opt-out in lists.
struct OptOutRow: Encodable, Sendable {
    var channel: String
    var contact: String
    var source: String
    var detail: String
    var at: String
    var optedInAt: String
    var leadID: String
    var leadName: String
}

/// A recorded gate decision in lists.
struct DecisionRow: Encodable, Sendable {
    var id: String
    var at: String
    var iso: String
    var channel: String
    var purpose: String
    var method: String
    var contact: String
    var verdict: String
    var reasons: [String]
    var reasonCodes: [String]
    var nextAllowed: String
    var localTime: String
    var timeZone: String
    var rulesVersion: String
    var actor: String
    var leadID: String
    var leadName: String
}

/// A compliance flag in lists and on the review queue.
struct FlagRow: Encodable, Sendable {
    var id: String
    var kind: String
    var kindLabel: String
    var status: String
    var statusLabel: String
    var origin: String
    var evidence: String
    var raisedAt: String
    var raisedBy: String
    var reviewedAt: String
    var reviewedBy: String
    var reviewNote: String
    var leadID: String
    var leadName: String
    /// The review form's error for this flag, if it was refused.
    var error: String
    var note: String
}

/// The caller id pool in numbers.
struct PoolHealth: Encodable, Sendable {
    var healthy: Int
    var resting: Int
    var flagged: Int
    var total: Int
    var callsToday: Int
}

/// `compliance/rules`: the state rules data, read-only.
struct StateRulesPage: Encodable, Sendable {
    var page: PageContext
    var version: String
    var stateCount: Int
    var rules: [StateRuleRow]
    var holidayYears: [HolidayYear]
}

struct StateRuleRow: Encodable, Sendable {
    var state: String
    var name: String
    var weekday: String
    var saturday: String
    var sunday: String
    var holidays: String
    var frequency: String
    var textsCounted: String
    var identifySeconds: String
    var recording: String
    var areaCodePresumption: String
    var source: String
    var isFederal: Bool
}

struct HolidayYear: Encodable, Sendable {
    var year: Int
    var holidays: [HolidayRow]
}

struct HolidayRow: Encodable, Sendable {
    var name: String
    var date: String
    var weekday: String
    var observed: String
}

/// `compliance/dnc`: registry uploads with their freshness and history.
struct DNCRegistryPage: Encodable, Sendable {
    var page: PageContext
    var registries: [RegistryFreshness]
    var lists: [SelectOption]
    var downloadedAt: String
    var errors: FieldMessages
    /// Every error on one line, for the alert at the top of the form.
    var errorSummary: String
    /// The upload just made (or asked for with `?upload=`), with its counts.
    var result: UploadRow?
    var history: [UploadRow]
    var canUpload: Bool
    var maxFormMegabytes: Int
}

struct UploadRow: Encodable, Sendable {
    struct Rejected: Encodable, Sendable {
        var line: Int
        var reason: String
        var text: String
    }
    var id: String
    var list: String
    var listLabel: String
    var downloadedOn: String
    var fileName: String
    var kind: String
    var linesRead: Int
    var loaded: Int
    var removed: Int
    var rejected: Int
    var rejectedLines: [Rejected]
    var areaCodes: Int
    var totalNumbers: Int
    var uploadedBy: String
    var uploadedAt: String

    init(_ upload: DNCRegistryUpload, timeZone: String) {
        let dto = DNCRegistryUploadDTO(upload)
        id = dto.id.uuidString
        list = dto.list
        listLabel = RegistryFreshness.label(of: dto.list)
        downloadedOn = dto.downloadedAt
        fileName = dto.fileName
        kind = dto.kind == "change" ? "Change list" : "Full list"
        linesRead = dto.linesRead
        loaded = dto.loaded
        removed = dto.removed
        rejected = dto.rejected
        rejectedLines = dto.rejectedLines.prefix(20).map {
            Rejected(line: $0.line, reason: $0.reason, text: $0.text)
        }
        areaCodes = dto.areaCodes.count
        totalNumbers = dto.totalNumbers
        uploadedBy = upload.uploadedByLabel
        uploadedAt = DisplayDate.string(upload.uploadedAt, timeZone: timeZone)
    }
}

/// `compliance/internal-dnc`: the internal do-not-call list.
struct InternalDNCPage: Encodable, Sendable {
    var page: PageContext
    var q: String
    var entries: [InternalDNCRow]
    var activeCount: Int
    /// More entries match than are shown.
    var truncated: Bool
    var removed: [InternalDNCRow]
    var errors: FieldMessages
    var phone: String
    var reason: String
    /// The entry whose removal was refused, with its error.
    var removeErrorID: String
    var removeError: String
    var canAdd: Bool
    var canRemove: Bool
}

struct InternalDNCRow: Encodable, Sendable {
    var id: String
    var phone: String
    var e164: String
    var reason: String
    var addedBy: String
    var addedAt: String
    var removedAt: String
    var removedBy: String
    var removalReason: String
    var leadID: String
    var leadName: String
}

/// `compliance/flags`: the review queue.
struct FlagsPage: Encodable, Sendable {
    var page: PageContext
    var pending: [FlagRow]
    var confirmed: [FlagRow]
    var reviewed: [FlagRow]
    var canReview: Bool
}

/// `compliance/caller-ids`: the caller id pool.
struct CallerIDsPage: Encodable, Sendable {
    var page: PageContext
    var numbers: [CallerIDRow]
    var pool: PoolHealth
    var errors: FieldMessages
    var phone: String
    var dailyCap: String
    var canManage: Bool
}

struct CallerIDRow: Encodable, Sendable {
    var id: String
    var phone: String
    var e164: String
    var areaCode: String
    var state: String
    var timeZone: String
    var health: String
    var healthLabel: String
    var healthReason: String
    var callsToday: Int
    var dailyCap: Int
    var calls7Days: Int
    var answered7Days: Int
    var answerRate: String
    var lastUsed: String
    var canRestore: Bool
}

/// `compliance/settings`: frequency caps and the SMS HELP reply.
struct ComplianceSettingsPage: Encodable, Sendable {
    var page: PageContext
    var values: [String: String]
    var errors: FieldMessages
    var defaultHelpText: String
    var isDefault: Bool
    var updatedAt: String
    var canManage: Bool
}
