import Fluent
import Foundation
import ReliefCore
import Vapor

/// `GET` and `PUT /api/v1/engagement/settings`: the organization's heat score settings (the
/// half-life, the hot threshold and the weight of each kind of event). Changes are audited and
/// apply to events from then on; `relief scores rebuild` recomputes the stored scores with them.
struct EngagementAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let engagement = routes.grouped("engagement")
        engagement.get("settings", use: settings).access(.requires(.organizationRead))
        engagement.put("settings", use: updateSettings).access(.requires(.organizationManage))
    }

    struct SettingsDTO: Content {
        var halfLifeHours: Double
        var hotThreshold: Double
        /// By event type (`open`, `click`, `page_view`, ...).
        var weights: [String: Double]
        var deepScrollDepth: Int
        var longReadSeconds: Int

        enum CodingKeys: String, CodingKey {
            case weights
            case halfLifeHours = "half_life_hours"
            case hotThreshold = "hot_threshold"
            case deepScrollDepth = "deep_scroll_depth"
            case longReadSeconds = "long_read_seconds"
        }

        init(_ values: EngagementSettings.Values) {
            let stored = StoredWeights(values.weights)
            halfLifeHours = values.halfLifeHours
            hotThreshold = values.hotThreshold
            weights = stored.weights
            deepScrollDepth = stored.deepScrollDepth
            longReadSeconds = stored.longReadSeconds
        }
    }

    func settings(req: Request) async throws -> SettingsDTO {
        SettingsDTO(
            try await EngagementSettings.values(in: try req.principal.organizationID, on: req.db))
    }

    func updateSettings(req: Request) async throws -> SettingsDTO {
        let body = try req.content.decode(SettingsDTO.self)
        var check = FieldCheck()
        check.require(
            (1...2_160).contains(body.halfLifeHours), "half_life_hours",
            "Between 1 and 2,160 hours (90 days).")
        check.require(
            body.hotThreshold > 0 && body.hotThreshold <= 10_000, "hot_threshold",
            "Above 0 and at most 10,000.")
        check.require(
            [25, 50, 75, 100].contains(body.deepScrollDepth), "deep_scroll_depth",
            "One of 25, 50, 75, 100.")
        check.require(
            (1...3_600).contains(body.longReadSeconds), "long_read_seconds",
            "Between 1 and 3,600 seconds.")
        for (type, weight) in body.weights {
            if EngagementEventType(rawValue: type) == nil {
                check.fail(
                    "weights.\(type)",
                    "Not an event type: use \(EngagementEventType.allCases.map(\.rawValue).joined(separator: ", "))."
                )
            } else if !weight.isFinite || abs(weight) > 100 {
                check.fail("weights.\(type)", "A number from -100 to 100.")
            }
        }
        try check.throwIfFailed()
        var weights = StoredWeights(.standard)
        weights.weights.merge(body.weights) { $1 }
        weights.deepScrollDepth = body.deepScrollDepth
        weights.longReadSeconds = body.longReadSeconds
        let principal = try req.principal
        let settings =
            try await EngagementSettings.query(in: principal.organizationID, on: req.db).first()
            ?? EngagementSettings()
        settings.organizationID = principal.organizationID
        settings.halfLifeHours = body.halfLifeHours
        settings.hotThreshold = body.hotThreshold
        settings.weights = String(decoding: try JSONEncoder().encode(weights), as: UTF8.self)
        settings.updatedAt = req.now
        try await settings.save(on: req.db)
        try await req.audit(
            "engagement.settings_changed", entityType: "engagement_settings",
            entityID: settings.id?.uuidString,
            changes: "half_life_hours=\(body.halfLifeHours) hot_threshold=\(body.hotThreshold)")
        return SettingsDTO(settings.values)
    }
}
