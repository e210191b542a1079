using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Loops.Service.Dashboard;

/// <summary>
/// Maps the dashboard under <c>/dashboard</c>: the login page and static assets for anyone, every other page and
/// JSON endpoint for logged-in users, promote and rollback for admins only.
/// </summary>
internal static class DashboardEndpoints
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'";

    public static void MapDashboard(this WebApplication app)
    {
        var root = app.MapGroup(DashboardPaths.Root);
        root.AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.CacheControl = "no-store";
            return await next(context).ConfigureAwait(false);
        });
        root.MapGet("/login", () => Page("login.html"));
        root.MapGet("/assets/{name}", (string name) => DashboardAssets.Find(name) is { } asset ? Results.Bytes(asset.Content, asset.ContentType) : Results.NotFound());
        root.MapGet("/", () => Page("index.html")).RequireAuthorization(DashboardRoles.ViewerPolicy);
        root.MapGet("/policy", () => Page("policy.html")).RequireAuthorization(DashboardRoles.ViewerPolicy);
        MapApi(root.MapGroup("/api"));
    }

    private static void MapApi(RouteGroupBuilder api)
    {
        api.MapPost("/login", LoginAsync).AddEndpointFilter(RequireCsrfHeader);
        api.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(DashboardRoles.Scheme).ConfigureAwait(false);
            return Results.NoContent();
        }).AddEndpointFilter(RequireCsrfHeader);

        var viewer = api.MapGroup(string.Empty).RequireAuthorization(DashboardRoles.ViewerPolicy);
        viewer.MapGet("/me", (ClaimsPrincipal user) => Results.Json(
            new DashboardIdentity(user.Identity?.Name ?? string.Empty, user.IsInRole(DashboardRoles.Admin) ? DashboardRoles.Admin : DashboardRoles.Viewer),
            DashboardJsonContext.Default.DashboardIdentity));
        viewer.MapGet("/policies", (DashboardApi dashboard, CancellationToken cancellationToken) => dashboard.ListAsync(cancellationToken));
        viewer.MapGet("/policies/{name}", (string name, DashboardApi dashboard, CancellationToken cancellationToken) =>
            dashboard.PolicyAsync(name, cancellationToken));
        viewer.MapGet("/policies/{name}/timeline", (string name, long? bucketSeconds, string? segment, DashboardApi dashboard, CancellationToken cancellationToken) =>
            dashboard.TimelineAsync(name, bucketSeconds ?? 0, segment, cancellationToken));

        var admin = api.MapGroup(string.Empty).RequireAuthorization(DashboardRoles.AdminPolicy).AddEndpointFilter(RequireCsrfHeader);
        admin.MapPost("/policies/{name}/promote", (string name, [FromBody] PromoteBody body, ClaimsPrincipal user, DashboardApi dashboard, CancellationToken cancellationToken) =>
            dashboard.PromoteAsync(name, body.Version, user, cancellationToken));
        admin.MapPost("/policies/{name}/rollback", (string name, ClaimsPrincipal user, DashboardApi dashboard, CancellationToken cancellationToken) =>
            dashboard.RollbackAsync(name, user, cancellationToken));
    }

    private static async Task<IResult> LoginAsync(HttpContext context, [FromBody] LoginRequest login, DashboardLogins logins, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DashboardEndpoints).FullName!);
        var who = login.Token is { Length: > 0 } token
            ? logins.CheckToken(token)
            : logins.CheckPassword(login.Name ?? string.Empty, login.Password ?? string.Empty);
        if (who is not { } user)
        {
            DashboardLog.LoginRefused(logger, login.Token is { Length: > 0 } ? "(token)" : login.Name ?? string.Empty);
            return Results.Json(new DashboardError("Unknown user, wrong password or wrong token."), DashboardJsonContext.Default.DashboardError, statusCode: StatusCodes.Status401Unauthorized);
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)], DashboardRoles.Scheme);
        await context.SignInAsync(DashboardRoles.Scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        DashboardLog.LoggedIn(logger, user.Name, user.Role);
        return Results.Json(new DashboardIdentity(user.Name, user.Role), DashboardJsonContext.Default.DashboardIdentity);
    }

    private static async ValueTask<object?> RequireCsrfHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!context.HttpContext.Request.Headers.ContainsKey(DashboardPaths.CsrfHeader))
        {
            return Results.Json(
                new DashboardError($"The {DashboardPaths.CsrfHeader} header is missing: dashboard changes are made from its own pages."),
                DashboardJsonContext.Default.DashboardError,
                statusCode: StatusCodes.Status400BadRequest);
        }

        return await next(context).ConfigureAwait(false);
    }

    private static IResult Page(string name)
    {
        var (content, type) = DashboardAssets.Find(name) ?? throw new InvalidOperationException($"The dashboard page {name} was not embedded; rebuild the service.");
        return Results.Bytes(content, type);
    }
}
