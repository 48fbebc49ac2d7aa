import Foundation
import Logging
import ReliefApp
import Vapor

/// The `relief` executable: reads the configuration, builds the application and runs the
/// command named on the command line (`serve` by default).
var environment = try Environment.detect()
let isProduction = environment == .production
if ProcessInfo.processInfo.environment["LOG_FORMAT"] == "json"
    || (isProduction && ProcessInfo.processInfo.environment["LOG_FORMAT"] != "text")
{
    let level =
        Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info") ?? .info
    LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
} else {
    try LoggingSystem.bootstrap(from: &environment)
}

let app = try await Application.make(environment)
var exitCode: Int32 = 0
do {
    let config = try AppConfig.load(
        environment: ProcessInfo.processInfo.environment, isProduction: isProduction,
        workingDirectory: app.directory.workingDirectory)
    let command = environment.arguments.dropFirst().first ?? "serve"
    try await configure(
        app, config: config, checkDatabase: !commandsWithoutDatabase.contains(command))
    try await app.execute()
} catch let error as ConfigError {
    FileHandle.standardError.write(Data("relief: \(error)\n".utf8))
    exitCode = 1
} catch let error as StartupError {
    FileHandle.standardError.write(Data("relief: \(error)\n".utf8))
    exitCode = 1
} catch {
    FileHandle.standardError.write(Data("relief: \(error)\n".utf8))
    exitCode = 1
}
try? await app.asyncShutdown()
exit(exitCode)
