import Fluent
import Foundation
import NIOConcurrencyHelpers
import ReliefCore
import SQLKit

/// The compliance engine's process-wide parts: the gate with the state rules data, and the
/// organizations' DNC registries held in memory.
struct ComplianceRuntime: Sendable {
    let gate: ContactGate
    let registries: DNCRegistryCache

    /// Builds the gate from `Resources/Data/state_contact_rules.csv` and the geo data.
    static func load(from directory: String, geo: GeoData) throws -> ComplianceRuntime {
        let path = directory + "state_contact_rules.csv"
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw StartupError(description: "Reference data \(path) is missing or not UTF-8.")
        }
        let rules: StateContactRuleBook
        do {
            rules = try StateContactRuleBook(csv: text)
        } catch {
            throw StartupError(description: "\(path): \(error)")
        }
        return ComplianceRuntime(
            gate: ContactGate(rules: rules, zips: geo.zips, areaCodes: geo.areaCodes),
            registries: DNCRegistryCache())
    }
}

/// The DNC lists of one organization as loaded in memory, with the national copy's date.
struct LoadedDNCLists: Sendable {
    /// "national" and state codes -> registry.
    var lists: [String: DNCRegistry]
    /// The day the latest national registry file was downloaded.
    var nationalDownloadedOn: CalendarDate?

    /// Where a number (ten national digits) is listed, as the gate needs it.
    func listing(nationalDigits: String?, internalList: Bool) -> DNCListing {
        var listing = DNCListing(
            internalList: internalList, nationalRegistryDownloadedOn: nationalDownloadedOn)
        guard let nationalDigits else { return listing }
        for (name, registry) in lists where registry.contains(nationalDigits: nationalDigits) {
            if name == DNCRegistryCache.national {
                listing.national = true
            } else {
                listing.states.append(name)
            }
        }
        listing.states.sort()
        return listing
    }
}

/// Every organization's DNC registries in memory, loaded from `dnc_registry_blocks` on first use
/// and refreshed when a newer upload appears (so every app node sees an upload within one
/// check). Lookups never touch the database; a refresh swaps an area code's table in without
/// blocking lookups.
final class DNCRegistryCache: Sendable {
    static let national = "national"

    private struct Loaded {
        var registry = DNCRegistry()
        /// The newest upload applied and when its blocks were read.
        var uploadID: UUID?
        var blocksReadUpTo: Date?
    }

    private let state = NIOLockedValueBox<[UUID: [String: Loaded]]>([:])

    /// The organization's lists, refreshed from the database when an upload is newer than the
    /// copy in memory.
    func lists(for organizationID: UUID, on database: any Database) async throws -> LoadedDNCLists {
        let uploads = try await DNCRegistryUpload.query(in: organizationID, on: database)
            .sort(\.$uploadedAt, .descending).all()
        var latest: [String: DNCRegistryUpload] = [:]
        for upload in uploads where latest[upload.list] == nil { latest[upload.list] = upload }
        var result = LoadedDNCLists(lists: [:])
        for (list, upload) in latest {
            let known = state.withLockedValue { $0[organizationID]?[list] }
            var loaded = known ?? Loaded()
            if loaded.uploadID != upload.id {
                try await refresh(&loaded, list: list, organizationID: organizationID, on: database)
                loaded.uploadID = upload.id
                let updated = loaded
                state.withLockedValue { $0[organizationID, default: [:]][list] = updated }
            }
            result.lists[list] = loaded.registry
        }
        result.nationalDownloadedOn = latest[Self.national].flatMap {
            try? CalendarDate.parse($0.downloadedOn)
        }
        return result
    }

    /// Reads the blocks changed since the last read into the registry.
    private func refresh(
        _ loaded: inout Loaded, list: String, organizationID: UUID, on database: any Database
    ) async throws {
        var query = DNCRegistryBlock.query(in: organizationID, on: database)
            .filter(\.$list == list)
        if let since = loaded.blocksReadUpTo { query = query.filter(\.$updatedAt >= since) }
        let blocks = try await query.all()
        for block in blocks {
            let table = try DNCAreaCodeTable(encoded: Array(block.data))
            loaded.registry.replace(areaCode: block.areaCode, with: table.count == 0 ? nil : table)
            loaded.blocksReadUpTo = max(loaded.blocksReadUpTo ?? block.updatedAt, block.updatedAt)
        }
    }
}
