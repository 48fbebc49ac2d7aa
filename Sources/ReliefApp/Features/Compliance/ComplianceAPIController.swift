import Fluent
import Foundation
import ReliefCore
import Vapor

/// The compliance API: gate checks (one or a batch), the internal DNC list, DNC registry
/// uploads and inbound-message keywords.
struct ComplianceAPIController: RouteCollection {
    /// The most checks one batch request may carry.
    static let batchLimit = 10_000

    func boot(routes: any RoutesBuilder) throws {
        let compliance = routes.grouped("compliance")
        compliance.post("check", use: check).access(.requires(.complianceRead))
        compliance.on(.POST, "check", "batch", body: .collect(maxSize: "16mb"), use: batch)
            .access(.requires(.complianceRead))
        compliance.get("internal-dnc", use: internalList).access(.requires(.complianceRead))
        compliance.post("internal-dnc", use: addInternal).access(.requires(.internalDNCAdd))
        compliance.delete("internal-dnc", ":phone", use: removeInternal)
            .access(.requires(.complianceManage))
        compliance.on(.POST, "dnc-registry", body: .stream, use: uploadRegistry)
            .access(.requires(.complianceManage))
        compliance.get("dnc-registry", use: registryStatus).access(.requires(.complianceRead))
        compliance.post("inbound-messages", use: inbound).access(.requires(.leadsWrite))
        compliance.get("flags", use: flags).access(.requires(.complianceRead))
        compliance.post("flags", ":id", "review", use: reviewFlag)
            .access(.requires(.complianceManage))
        routes.grouped("leads").post(":id", "compliance-flags", use: markFlag)
            .access(.requires(.leadsWrite))
        routes.grouped("leads").get(":id", "compliance-evidence", use: evidence)
            .access(.requires(.complianceRead))
        compliance.get("settings", use: settings).access(.requires(.complianceRead))
        compliance.put("settings", use: updateSettings).access(.requires(.complianceManage))
        let callerIDs = compliance.grouped("caller-ids")
        callerIDs.get(use: callerIDList).access(.requires(.complianceRead))
        callerIDs.post(use: addCallerID).access(.requires(.callerIDsManage))
        callerIDs.post("pick", use: pickCallerID).access(.requires(.leadsRead))
        callerIDs.post(":id", "calls", use: recordCall).access(.requires(.leadsWrite))
        callerIDs.post(":id", "restore", use: restoreCallerID).access(.requires(.callerIDsManage))
    }

    // MARK: - checks

    /// One check as the API takes it.
    struct CheckRequest: Content {
        var leadID: UUID?
        var phone: String?
        var email: String?
        var zip: String?
        var state: String?
        var channel: String?
        var purpose: String?
        var method: String?
        var callerID: String?
        var at: String?
        /// Store the decision (a real send): the lead's timeline shows it.
        var record: Bool?

        enum CodingKeys: String, CodingKey {
            case phone, email, zip, state, channel, purpose, method, at, record
            case leadID = "lead_id"
            case callerID = "caller_id"
        }

        /// Reads one check of a batch; a member of the wrong type is noted in `fields`.
        init(reading reader: inout JSONReader, fields: inout FieldCheck) throws {
            guard reader.peekKind() == .object else {
                try reader.skipValue()
                fields.fail("check", "Must be an object.")
                return
            }
            try reader.readObject { name, reader in
                guard let key = CodingKeys(rawValue: name) else { return }
                if key == .record {
                    guard reader.peekKind() == .bool || reader.peekKind() == .null else {
                        fields.fail(name, "Must be true or false.")
                        return
                    }
                    record = try reader.readOptionalBool()
                    return
                }
                guard reader.peekKind() == .string || reader.peekKind() == .null else {
                    fields.fail(name, "Must be a string.")
                    return
                }
                let text = try reader.readOptionalString()
                switch key {
                case .leadID:
                    leadID = text.flatMap(UUIDText.parse)
                    if text != nil, leadID == nil { fields.fail(name, "Not a lead id (a UUID).") }
                case .phone: phone = text
                case .email: email = text
                case .zip: zip = text
                case .state: state = text
                case .channel: channel = text
                case .purpose: purpose = text
                case .method: method = text
                case .callerID: callerID = text
                case .at: at = text
                case .record: break
                }
            }
        }
    }

    /// A batch as the API takes it: `{"checks":[CheckRequest...],"record":bool}`.
    struct BatchRequest {
        var checks: [CheckRequest]
        /// Per check, the members that had the wrong type (the check is answered with an error).
        var typeErrors: [Int: FieldCheck]
        var record: Bool?

        /// Reads the body by hand: `JSONDecoder` took a fifth of a 10,000-check request. A body
        /// that is not JSON is refused with the byte offset; a member of the wrong type fails
        /// only its own check.
        init(json bytes: [UInt8]) throws {
            var reader = JSONReader(bytes)
            var checks: [CheckRequest]?
            var typeErrors: [Int: FieldCheck] = [:]
            var record: Bool?
            do {
                guard reader.peekKind() == .object else {
                    throw ValidationFailure(fields: ["body": "Send a JSON object with checks."])
                }
                try reader.readObject { name, reader in
                    switch name {
                    case "checks":
                        guard reader.peekKind() == .array else {
                            throw ValidationFailure(fields: ["checks": "Must be an array."])
                        }
                        var read: [CheckRequest] = []
                        try reader.readArray { reader in
                            var fields = FieldCheck()
                            read.append(try CheckRequest(reading: &reader, fields: &fields))
                            if !fields.errors.isEmpty { typeErrors[read.count - 1] = fields }
                        }
                        checks = read
                    case "record":
                        guard reader.peekKind() == .bool || reader.peekKind() == .null else {
                            throw ValidationFailure(fields: ["record": "Must be true or false."])
                        }
                        record = try reader.readOptionalBool()
                    default: try reader.skipValue()
                    }
                }
                try reader.finish()
            } catch let failure as JSONReader.Failure {
                throw Abort(.badRequest, reason: "The body is not valid JSON: \(failure).")
            }
            guard let checks else {
                throw ValidationFailure(fields: ["checks": "Required: an array of checks."])
            }
            self.checks = checks
            self.typeErrors = typeErrors
            self.record = record
        }
    }

    /// The decision as the API returns it.
    struct DecisionDTO: Content {
        struct Reason: Content {
            var code: String
            var message: String
        }
        struct Obligation: Content {
            var code: String
            var message: String
            var seconds: Int?
        }
        var decision: String
        var reasons: [Reason]
        var nextAllowedAt: Date?
        var obligations: [Obligation]
        var localTime: String?
        var timeZone: String?
        var timeZonesChecked: [String]
        var rulesVersion: String
        var decisionID: UUID?
        var leadID: UUID?

        enum CodingKeys: String, CodingKey {
            case decision, reasons, obligations
            case nextAllowedAt = "next_allowed_at"
            case localTime = "local_time"
            case timeZone = "time_zone"
            case timeZonesChecked = "time_zones_checked"
            case rulesVersion = "rules_version"
            case decisionID = "decision_id"
            case leadID = "lead_id"
        }

        /// Writes the decision as `JSONEncoder` would (snake-case keys, nil members left out).
        func write(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.member("decision", decision)
            writer.key("reasons")
            writer.beginArray()
            for reason in reasons {
                writer.beginObject()
                writer.member("code", reason.code)
                writer.member("message", reason.message)
                writer.endObject()
            }
            writer.endArray()
            writer.member("next_allowed_at", nextAllowedAt.map(ISO8601Instant.format))
            writer.key("obligations")
            writer.beginArray()
            for obligation in obligations {
                writer.beginObject()
                writer.member("code", obligation.code)
                writer.member("message", obligation.message)
                writer.member("seconds", obligation.seconds)
                writer.endObject()
            }
            writer.endArray()
            writer.member("local_time", localTime)
            writer.member("time_zone", timeZone)
            writer.key("time_zones_checked")
            writer.beginArray()
            for zone in timeZonesChecked { writer.string(zone) }
            writer.endArray()
            writer.member("rules_version", rulesVersion)
            writer.member("decision_id", decisionID)
            writer.member("lead_id", leadID)
            writer.endObject()
        }

        init(_ result: GateCheckResult) {
            let decision = result.decision!
            self.decision = decision.verdict.rawValue
            reasons = decision.reasons.map { Reason(code: $0.code.rawValue, message: $0.message) }
            nextAllowedAt = decision.nextAllowedAt
            obligations = decision.obligations.map {
                Obligation(code: $0.code.rawValue, message: $0.message, seconds: $0.seconds)
            }
            localTime = decision.localTime
            timeZone = decision.timeZone
            timeZonesChecked = decision.timeZonesChecked
            rulesVersion = decision.rulesVersion
            decisionID = result.recordID
            if case .lead(let id) = result.check.subject { leadID = id }
        }
    }

    func check(req: Request) async throws -> DecisionDTO {
        let body = try req.content.decode(CheckRequest.self)
        var fields = FieldCheck()
        let check = Self.gateCheck(body, now: req.now, fields: &fields, prefix: "")
        guard let check, fields.errors.isEmpty else {
            throw ValidationFailure(fields: fields.errors)
        }
        let service = try ComplianceService(req: req)
        let result = try await service.decide([check], record: body.record ?? false)[0]
        guard result.decision != nil else { throw Abort(.notFound, reason: "No such lead.") }
        return DecisionDTO(result)
    }

    struct BatchResponse: Content {
        struct Item: Content {
            var index: Int
            var result: DecisionDTO?
            var error: String?
        }
        var count: Int
        var results: [Item]

        /// ``json()`` with the results written in slices on every core.
        func jsonOnEveryCore() async throws -> [UInt8] {
            let parts = try await results.mapSlicesOnEveryCore { slice in
                var writer = JSONWriter(reservingCapacity: 400 * slice.count)
                writer.beginArray()
                for item in slice { Self.write(item, to: &writer) }
                writer.endArray()
                // The members only, without the slice's brackets.
                return Array(writer.bytes.dropFirst().dropLast())
            }
            var bytes = Array("{\"count\":\(count),\"results\":[".utf8)
            bytes.reserveCapacity(parts.reduce(bytes.count + 2) { $0 + $1.count + 1 })
            for (index, part) in parts.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: part)
            }
            bytes.append(contentsOf: Array("]}".utf8))
            return bytes
        }

        private static func write(_ item: Item, to writer: inout JSONWriter) {
            writer.beginObject()
            writer.member("index", item.index)
            if let result = item.result {
                writer.key("result")
                result.write(to: &writer)
            }
            writer.member("error", item.error)
            writer.endObject()
        }

        /// The same JSON `JSONEncoder` writes for this value (nil members left out).
        func json() -> [UInt8] {
            var writer = JSONWriter(reservingCapacity: 400 * results.count + 64)
            writer.beginObject()
            writer.member("count", count)
            writer.key("results")
            writer.beginArray()
            for item in results { Self.write(item, to: &writer) }
            writer.endArray()
            writer.endObject()
            return writer.bytes
        }
    }

    /// Up to ``batchLimit`` checks; a check with bad fields or an unknown lead gets an error in
    /// its place, the others are decided. The answer is written by hand (``BatchResponse/json``):
    /// `JSONEncoder` took longer to write ten thousand decisions than the gate took to make them.
    func batch(req: Request) async throws -> Response {
        let json = try await batchResponse(req: req).jsonOnEveryCore()
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(
            status: .ok, headers: headers, body: .init(data: Data(json))
        )
    }

    func batchResponse(req: Request) async throws -> BatchResponse {
        let body = try BatchRequest(json: req.body.data.map { Array($0.readableBytesView) } ?? [])
        guard body.checks.count <= Self.batchLimit else {
            throw ValidationFailure(fields: [
                "checks":
                    "At most \(Self.batchLimit) checks per request (got \(body.checks.count))."
            ])
        }
        var items: [BatchResponse.Item?] = Array(repeating: nil, count: body.checks.count)
        var checks: [GateCheck] = []
        var positions: [Int] = []
        for (index, item) in body.checks.enumerated() {
            var fields = body.typeErrors[index] ?? FieldCheck()
            if let check = Self.gateCheck(item, now: req.now, fields: &fields, prefix: ""),
                fields.errors.isEmpty
            {
                checks.append(check)
                positions.append(index)
            } else {
                items[index] = BatchResponse.Item(
                    index: index, result: nil,
                    error: fields.errors.sorted { $0.key < $1.key }
                        .map { "\($0.key): \($0.value)" }.joined(separator: " "))
            }
        }
        let service = try ComplianceService(req: req)
        let results = try await service.decide(checks, record: body.record ?? false)
        let decided = try await Array(zip(positions, results)).mapOnEveryCore { position, result in
            result.decision == nil
                ? BatchResponse.Item(index: position, result: nil, error: "lead_id: No such lead.")
                : BatchResponse.Item(index: position, result: DecisionDTO(result), error: nil)
        }
        for item in decided { items[item.index] = item }
        return BatchResponse(count: items.count, results: items.compactMap { $0 })
    }

    /// Validates one check; nil (with `fields` filled) when it cannot be decided.
    static func gateCheck(
        _ body: CheckRequest, now: Date, fields: inout FieldCheck, prefix: String
    ) -> GateCheck? {
        let channel = enumValue(
            ContactChannel.self, body.channel, field: "channel", fields: &fields)
        let purpose = enumValue(
            ContactPurpose.self, body.purpose, field: "purpose", fields: &fields)
        let method =
            body.method == nil
            ? .manual
            : enumValue(DialingMethod.self, body.method, field: "method", fields: &fields)
        var instant = now
        if let at = body.at {
            if let parsed = ISO8601Instant.parse(at) {
                instant = parsed
            } else {
                fields.fail("at", "Use an ISO 8601 instant such as 2026-11-25T15:00:00Z.")
            }
        }
        let subject: GateSubject
        if let leadID = body.leadID {
            subject = .lead(leadID)
        } else if body.phone != nil || body.email != nil {
            subject = .contact(
                phone: body.phone, email: body.email, zip: body.zip, state: body.state)
        } else {
            fields.fail("lead_id", "Give a lead_id, or a phone (or email) with zip and state.")
            return nil
        }
        guard let channel, let purpose, let method else { return nil }
        return GateCheck(
            subject: subject,
            request: ContactGateRequest(
                channel: channel, purpose: purpose, method: method, callerID: body.callerID,
                at: instant))
    }

    private static func enumValue<Value: RawRepresentable & CaseIterable>(
        _ type: Value.Type, _ raw: String?, field: String, fields: inout FieldCheck
    ) -> Value? where Value.RawValue == String {
        if let raw, let value = Value(rawValue: raw) { return value }
        let choices = Value.allCases.map(\.rawValue).joined(separator: ", ")
        guard let raw, !raw.isEmpty else {
            fields.fail(field, "Required: one of \(choices).")
            return nil
        }
        guard let value = Value(rawValue: raw.lowercased()) else {
            fields.fail(field, "'\(raw)' is not one of \(choices).")
            return nil
        }
        return value
    }

    // MARK: - internal DNC

    struct InternalDNCRequest: Content {
        var phone: String
        var reason: String?
        var leadID: UUID?

        enum CodingKeys: String, CodingKey {
            case phone, reason
            case leadID = "lead_id"
        }
    }

    struct InternalDNCDTO: Content {
        var id: UUID
        var phone: String
        var reason: String
        var leadID: UUID?
        var addedBy: String
        var addedAt: Date
        var removedAt: Date?
        var removalReason: String?

        enum CodingKeys: String, CodingKey {
            case id, phone, reason
            case leadID = "lead_id"
            case addedBy = "added_by"
            case addedAt = "added_at"
            case removedAt = "removed_at"
            case removalReason = "removal_reason"
        }

        init(_ entry: InternalDNCEntry) {
            id = entry.id!
            phone = entry.e164
            reason = entry.reason
            leadID = entry.leadID
            addedBy = entry.addedByLabel
            addedAt = entry.addedAt
            removedAt = entry.removedAt
            removalReason = entry.removalReason
        }
    }

    struct InternalListDTO: Content {
        var count: Int
        var entries: [InternalDNCDTO]
    }

    func internalList(req: Request) async throws -> InternalListDTO {
        let includeRemoved = (try? req.query.get(Bool.self, at: "include_removed")) ?? false
        let entries = try await InternalDNCList(req: req).entries(includeRemoved: includeRemoved)
        return InternalListDTO(count: entries.count, entries: entries.map(InternalDNCDTO.init))
    }

    func addInternal(req: Request) async throws -> Response {
        let body = try req.content.decode(InternalDNCRequest.self)
        let (entry, created) = try await InternalDNCList(req: req).add(
            phone: body.phone, reason: body.reason ?? "", leadID: body.leadID)
        return try await InternalDNCDTO(entry).encodeResponse(
            status: created ? .created : .ok, for: req)
    }

    func removeInternal(req: Request) async throws -> InternalDNCDTO {
        let phone = try req.parameters.require("phone")
        let reason = (try? req.query.get(String.self, at: "reason")) ?? ""
        return InternalDNCDTO(
            try await InternalDNCList(req: req).remove(phone: phone, reason: reason))
    }

    // MARK: - registry

    func uploadRegistry(req: Request) async throws -> DNCRegistryUploadDTO {
        // The body is refused before it is read when the query is wrong.
        let (list, downloaded) = try DNCRegistryUploads.validate(
            list: (try? req.query.get(String.self, at: "list")) ?? "",
            downloadedOn: (try? req.query.get(String.self, at: "downloaded_at")) ?? "",
            now: req.now)
        let fileName = (try? req.query.get(String.self, at: "file_name")) ?? "registry"
        let upload = try await DNCRegistryUploads(req: req).receive(
            list: list, downloadedOn: downloaded, fileName: fileName)
        return DNCRegistryUploadDTO(upload)
    }

    struct RegistryStatusDTO: Content {
        var lists: [DNCRegistryUploadDTO]
    }

    /// The newest upload of each list.
    func registryStatus(req: Request) async throws -> RegistryStatusDTO {
        let uploads = try await DNCRegistryUpload.query(
            in: req.principal.organizationID, on: req.db
        ).sort(\.$uploadedAt, .descending).all()
        var seen: Set<String> = []
        return RegistryStatusDTO(
            lists: uploads.filter { seen.insert($0.list).inserted }.map(DNCRegistryUploadDTO.init))
    }

    // MARK: - inbound messages

    struct InboundRequest: Content {
        var from: String
        var body: String
    }

    func inbound(req: Request) async throws -> InboundMessageOutcome {
        let body = try req.content.decode(InboundRequest.self)
        return try await InboundMessages(req: req).receive(from: body.from, text: body.body)
    }

    // MARK: - flags

    struct FlagDTO: Content {
        var id: UUID
        var leadID: UUID
        var kind: String
        var status: String
        var origin: String
        var evidence: String
        var raisedAt: Date
        var raisedBy: String
        var reviewedAt: Date?
        var reviewNote: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, status, origin, evidence
            case leadID = "lead_id"
            case raisedAt = "raised_at"
            case raisedBy = "raised_by"
            case reviewedAt = "reviewed_at"
            case reviewNote = "review_note"
        }

        init(_ flag: ComplianceFlag) {
            id = flag.id!
            leadID = flag.leadID
            kind = flag.kind.rawValue
            status = flag.status.rawValue
            origin = flag.origin.rawValue
            evidence = flag.evidence
            raisedAt = flag.raisedAt
            raisedBy = flag.raisedByLabel
            reviewedAt = flag.reviewedAt
            reviewNote = flag.reviewNote
        }
    }

    struct FlagListDTO: Content {
        var count: Int
        var flags: [FlagDTO]
    }

    /// Flags, newest first; `status` filters (pending_review, confirmed, cleared).
    func flags(req: Request) async throws -> FlagListDTO {
        var query = ComplianceFlag.query(in: try req.principal.organizationID, on: req.db)
        if let raw = try? req.query.get(String.self, at: "status") {
            guard let status = ComplianceFlag.Status(rawValue: raw) else {
                throw ValidationFailure(fields: [
                    "status": "Use pending_review, confirmed or cleared."
                ])
            }
            query = query.filter(\.$status == status)
        }
        let flags = try await query.sort(\.$raisedAt, .descending).limit(1_000).all()
        return FlagListDTO(count: flags.count, flags: flags.map(FlagDTO.init))
    }

    struct MarkFlagRequest: Content {
        var kind: String
        var note: String?
    }

    func markFlag(req: Request) async throws -> Response {
        let lead = try await req.visibleLead()
        let body = try req.content.decode(MarkFlagRequest.self)
        guard let kind = ComplianceFlag.Kind(rawValue: body.kind) else {
            throw ValidationFailure(fields: [
                "kind": "Use bankruptcy, attorney_represented, cease_communication or deceased."
            ])
        }
        let flag = try await ComplianceFlags(req: req).mark(
            kind, leadID: try lead.requireID(), note: body.note ?? "")
        return try await FlagDTO(flag).encodeResponse(status: .created, for: req)
    }

    struct ReviewRequest: Content {
        /// confirm or clear.
        var decision: String
        var note: String?
    }

    func reviewFlag(req: Request) async throws -> FlagDTO {
        let body = try req.content.decode(ReviewRequest.self)
        guard body.decision == "confirm" || body.decision == "clear" else {
            throw ValidationFailure(fields: ["decision": "Use confirm or clear."])
        }
        let flag = try await ComplianceFlags(req: req).review(
            try req.parameters.require("id", as: UUID.self), confirm: body.decision == "confirm",
            note: body.note ?? "")
        return FlagDTO(flag)
    }

    // MARK: - evidence

    /// The lead's compliance evidence (consents, decisions, opt-outs, internal list, flags,
    /// timeline); every read is audited.
    func evidence(req: Request) async throws -> ComplianceEvidence {
        try await ComplianceEvidence.load(req.visibleLead(), format: "json", on: req)
    }

    // MARK: - caller ids

    struct CallerIDDTO: Content {
        var id: UUID
        var phone: String
        var areaCode: String
        var state: String?
        var timeZone: String?
        var health: String
        var healthReason: String
        var dailyCap: Int
        var callsToday: Int
        var calls7Days: Int
        var answered7Days: Int
        var answerRate7Days: Double?

        enum CodingKeys: String, CodingKey {
            case id, phone, state, health
            case areaCode = "area_code"
            case timeZone = "time_zone"
            case healthReason = "health_reason"
            case dailyCap = "daily_cap"
            case callsToday = "calls_today"
            case calls7Days = "calls_7_days"
            case answered7Days = "answered_7_days"
            case answerRate7Days = "answer_rate_7_days"
        }

        init(_ entry: CallerIDPoolService.Entry) {
            id = entry.number.id!
            phone = entry.number.e164
            areaCode = entry.number.areaCode
            state = entry.number.state
            timeZone = entry.number.timeZone
            health = entry.number.health.rawValue
            healthReason = entry.number.healthReason
            dailyCap = entry.number.dailyCap
            callsToday = entry.candidate.callsToday
            calls7Days = entry.candidate.calls7Days
            answered7Days = entry.candidate.answered7Days
            answerRate7Days = entry.candidate.answerRate7Days
        }
    }

    struct CallerIDListDTO: Content {
        var count: Int
        var numbers: [CallerIDDTO]
    }

    func callerIDList(req: Request) async throws -> CallerIDListDTO {
        let entries = try await CallerIDPoolService(req: req).entries()
        return CallerIDListDTO(count: entries.count, numbers: entries.map(CallerIDDTO.init))
    }

    struct AddCallerIDRequest: Content {
        var phone: String
        var dailyCap: Int?

        enum CodingKeys: String, CodingKey {
            case phone
            case dailyCap = "daily_cap"
        }
    }

    func addCallerID(req: Request) async throws -> Response {
        let body = try req.content.decode(AddCallerIDRequest.self)
        let service = try CallerIDPoolService(req: req)
        let number = try await service.add(phone: body.phone, dailyCap: body.dailyCap)
        let entry = try await service.entries().first { $0.number.id == number.id }!
        return try await CallerIDDTO(entry).encodeResponse(status: .created, for: req)
    }

    struct PickRequest: Content {
        var leadID: UUID

        enum CodingKeys: String, CodingKey { case leadID = "lead_id" }
    }

    struct PickDTO: Content {
        var callerID: UUID
        var phone: String
        var match: String
        var explanation: String

        enum CodingKeys: String, CodingKey {
            case phone, match, explanation
            case callerID = "caller_id"
        }
    }

    /// The caller id to call the lead from (counted as one call); 409 when none is available.
    func pickCallerID(req: Request) async throws -> PickDTO {
        let body = try req.content.decode(PickRequest.self)
        let lead = try await req.visibleLead(id: body.leadID)
        guard let pick = try await CallerIDPoolService(req: req).pick(for: lead) else {
            throw Abort(
                .conflict,
                reason: "No caller id is available: every number is resting or flagged.")
        }
        return PickDTO(
            callerID: pick.candidate.id, phone: "+1" + pick.candidate.nationalDigits,
            match: pick.match.rawValue, explanation: pick.explanation)
    }

    struct CallOutcomeRequest: Content {
        var answered: Bool
    }

    func recordCall(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(CallOutcomeRequest.self)
        _ = try await CallerIDPoolService(req: req).recordCall(
            try req.parameters.require("id", as: UUID.self), answered: body.answered)
        return .noContent
    }

    func restoreCallerID(req: Request) async throws -> CallerIDDTO {
        let service = try CallerIDPoolService(req: req)
        let number = try await service.restore(try req.parameters.require("id", as: UUID.self))
        let entry = try await service.entries().first { $0.number.id == number.id }!
        return CallerIDDTO(entry)
    }

    // MARK: - settings

    struct SettingsDTO: Content {
        var callsPer24h: Int?
        var textsPer24h: Int?
        var emailsPer24h: Int?
        var voicemailsPer24h: Int?
        var smsHelpText: String?

        enum CodingKeys: String, CodingKey {
            case callsPer24h = "calls_per_24h"
            case textsPer24h = "texts_per_24h"
            case emailsPer24h = "emails_per_24h"
            case voicemailsPer24h = "voicemails_per_24h"
            case smsHelpText = "sms_help_text"
        }

        init(_ caps: OrgFrequencyCaps, helpText: String) {
            callsPer24h = caps.callsPer24h
            textsPer24h = caps.textsPer24h
            emailsPer24h = caps.emailsPer24h
            voicemailsPer24h = caps.voicemailsPer24h
            smsHelpText = helpText
        }
    }

    func settings(req: Request) async throws -> SettingsDTO {
        let stored = try await ComplianceSettings.query(
            in: try req.principal.organizationID, on: req.db
        ).first()
        return SettingsDTO(stored?.caps ?? OrgFrequencyCaps(), helpText: stored?.smsHelpText ?? "")
    }

    /// Replaces the caps (a missing or null cap means no cap) and the SMS help text.
    func updateSettings(req: Request) async throws -> SettingsDTO {
        let body = try req.content.decode(SettingsDTO.self)
        let settings = try await ComplianceSettingsStore(req: req).save(
            OrgFrequencyCaps(
                callsPer24h: body.callsPer24h, textsPer24h: body.textsPer24h,
                emailsPer24h: body.emailsPer24h, voicemailsPer24h: body.voicemailsPer24h),
            helpText: body.smsHelpText ?? "")
        return SettingsDTO(settings.caps, helpText: settings.smsHelpText)
    }
}
