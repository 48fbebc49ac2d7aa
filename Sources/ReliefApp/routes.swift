import Vapor

/// Every route group in one place. Routes under `/app` and `/api` declare their access with
/// `.access(...)` (see ``RouteAccess``).
func routes(_ app: Application) throws {
    try HealthController().boot(routes: app.routes)
    try MetricsController().boot(routes: app.routes)
    try OpenAPIController(directory: app.directory).boot(routes: app.routes)
    let landing = LandingSigner(keyRing: app.relief.keys)
    try TrackingController(
        signer: TrackingTokenSigner(keyRing: app.relief.keys),
        limiter: RateLimiter(perMinute: app.relief.config.trackingEventsPerAddressPerMinute),
        landing: landing
    ).boot(routes: app.routes)
    try LandingPublicController(signer: landing).boot(routes: app.routes)

    let web = app.grouped(FlashMiddleware(), SessionAuthenticator(), CSRFMiddleware())
    try PublicAuthController().boot(routes: web)

    let signedIn = web.grouped("app").grouped(AccessMiddleware(surface: .web))
    try DashboardController().boot(routes: signedIn)
    try AccountController().boot(routes: signedIn)
    try UsersWebController().boot(routes: signedIn)
    try TeamsWebController().boot(routes: signedIn)
    try OrganizationWebController().boot(routes: signedIn)
    try AuditWebController().boot(routes: signedIn)
    try OutboxWebController().boot(routes: signedIn)
    try JobsWebController().boot(routes: signedIn)
    try LeadsWebController().boot(routes: signedIn)
    try LeadWorkWebController().boot(routes: signedIn)
    try CustomFieldsWebController().boot(routes: signedIn)
    try LeadSourcesWebController().boot(routes: signedIn)
    try SourceReportController().boot(routes: signedIn)
    try PipelineWebController().boot(routes: signedIn)
    try AssignmentWebController().boot(routes: signedIn)
    try ImportsWebController().boot(routes: signedIn)
    try ComplianceWebController().boot(routes: signedIn)
    try LandingPagesWebController().boot(routes: signedIn)
    try DNCWebController().boot(routes: signedIn)
    try LeadComplianceWebController().boot(routes: signedIn)
    try AreasController().boot(routes: signedIn)
    try LiveController().boot(routes: signedIn)
    try CallListWebController().boot(routes: signedIn)

    let api = app.grouped("api", "v1").grouped(
        BearerAuthenticator(), AccessMiddleware(surface: .api))
    try TokenAPIController().boot(routes: api)
    try UsersAPIController().boot(routes: api)
    try TeamsAPIController().boot(routes: api)
    try OrganizationAPIController().boot(routes: api)
    try AuditAPIController().boot(routes: api)
    try ApiKeysAPIController().boot(routes: api)
    try LeadsAPIController().boot(routes: api)
    try ImportsAPIController().boot(routes: api)
    try LeadWorkAPIController().boot(routes: api)
    try SavedViewsAPIController().boot(routes: api)
    try ComplianceAPIController().boot(routes: api)
    try EngagementAPIController().boot(routes: api)
    try CallListAPIController().boot(routes: api)
}
