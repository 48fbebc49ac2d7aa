import Foundation
import Logging
import Testing
import Vapor

@testable import ReliefApp

@Suite("Structured logs")
struct LoggingTests {
    @Test("a JSON log line carries the request id and cannot be forged by the message")
    func jsonLine() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 0), level: .info, label: "codes.vapor.request",
            message: "GET /app\n{\"level\":\"critical\"}", error: nil,
            metadata: ["request-id": "ABC-123", "level": "spoofed"])
        #expect(!line.contains("\n"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["request-id"] == "ABC-123")
        #expect(object["level"] == "info")
        #expect(object["time"] == "1970-01-01T00:00:00Z")
        #expect(object["message"] == "GET /app\n{\"level\":\"critical\"}")
    }

    @Test("every response carries its request id")
    func requestIDHeader() async throws {
        try await withApp { app, _ in
            try await app.testing().test(.GET, "/healthz") { response in
                #expect(response.status == .ok)
                #expect((response.headers.first(name: "X-Request-ID") ?? "").count >= 8)
            }
            try await app.testing().test(.GET, "/readyz") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("ready"))
            }
        }
    }
}
