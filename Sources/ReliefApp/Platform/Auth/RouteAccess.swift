import ReliefCore
import Vapor

/// What a route needs. Every route under `/app` and `/api` declares one with
/// `.access(...)`; ``AccessMiddleware`` refuses routes that did not, and a test walks every
/// route to prove none is missing.
enum RouteAccess: Sendable, Equatable {
    /// Anyone, signed in or not (sign-in, password reset, health checks).
    case open
    /// A signed-in principal holding this permission.
    case requires(Permission)
}

extension Route {
    private static let accessKey = "relief.access"
    private static let setupKey = "relief.allowed-before-2fa-setup"

    /// Declares what this route needs.
    @discardableResult
    func access(_ access: RouteAccess) -> Route {
        userInfo[Route.accessKey] = access
        return self
    }

    /// The declared access, nil when the route declared none.
    var declaredAccess: RouteAccess? { userInfo[Route.accessKey] as? RouteAccess }

    /// Marks a route usable while an organization that requires two-factor sign-in waits for
    /// the user to set it up (the set-up pages themselves, sign-out, theme).
    @discardableResult
    func allowedBeforeTwoFactorSetup() -> Route {
        userInfo[Route.setupKey] = true
        return self
    }

    var isAllowedBeforeTwoFactorSetup: Bool { userInfo[Route.setupKey] as? Bool ?? false }
}
