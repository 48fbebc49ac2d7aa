import Fluent
import Foundation
import Testing
import Vapor

@testable import ReliefApp

/// Leads for the board, saved view, bulk and export tests, made through the API as a client
/// would, so they have contacts, tags, timelines and audit entries like real ones.
struct LeadSeed {
    let api: APIClient

    /// Creates a lead with an e-mail from its name; `fields` adds JSON members
    /// (`"state":"TX","owner_id":"…"`). Returns its id.
    func lead(_ first: String, _ last: String, _ fields: String = "") async throws -> String {
        let email = "\(first).\(last)@mail.example".lowercased().replacingOccurrences(
            of: " ", with: "")
        let response = try await api.call(
            .POST, "/api/v1/leads",
            json:
                #"{"first_name":"\#(first)","last_name":"\#(last)","email":"\#(email)","allow_duplicate":true\#(fields.isEmpty ? "" : "," + fields)}"#
        )
        #expect(response.status == .created, "\(response.body.string)")
        return try #require(try response.json()["id"] as? String)
    }

    /// Moves the lead through `statuses` in order (each move must be allowed).
    func move(_ id: String, _ statuses: String...) async throws {
        for status in statuses {
            let response = try await api.call(
                .POST, "/api/v1/leads/\(id)/status", json: #"{"status":"\#(status)"}"#)
            #expect(response.status == .ok, "\(status): \(response.body.string)")
        }
    }

    /// Adds an enrolled debt of `cents`.
    func enrolledDebt(_ id: String, cents: Int) async throws {
        let response = try await api.call(
            .POST, "/api/v1/leads/\(id)/debts",
            json: #"{"creditor":"Chase","balance_cents":\#(cents),"is_enrolled":true}"#)
        #expect(response.status == .created, "\(response.body.string)")
    }

    /// `count` bare leads written straight to the database (for paging past a batch), created
    /// one second apart so the newest-first order is known.
    static func bulkInsert(
        _ count: Int, organizationID: UUID, on database: any Database, start: Date
    ) async throws {
        var batch: [Lead] = []
        for index in 0..<count {
            let lead = Lead(
                organizationID: organizationID, now: start.addingTimeInterval(Double(index)))
            lead.firstName = "Bulk"
            lead.lastName = "Lead \(index)"
            lead.firstNameKey = "bulk"
            lead.lastNameKey = "lead \(index)"
            lead.state = "NV"
            batch.append(lead)
            if batch.count == 200 || index == count - 1 {
                try await batch.create(on: database)
                batch = []
            }
        }
    }
}

extension String {
    /// The count in the board column of `status`.
    func boardCount(_ status: String) -> Int? {
        guard
            let column = range(of: "data-column=\"\(status)\""),
            let count = self[column.upperBound...].range(
                of: #"data-column-count>(\d+)<"#, options: .regularExpression)
        else { return nil }
        return Int(self[count].filter(\.isNumber))
    }

    /// The HTML of the board card of lead `id`.
    func boardCard(_ id: String) -> Substring? {
        guard let start = range(of: "data-card=\"\(id)\""),
            let end = self[start.upperBound...].range(of: "</li>")
        else { return nil }
        return self[start.lowerBound..<end.upperBound]
    }
}
