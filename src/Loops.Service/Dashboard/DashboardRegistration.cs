using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace Loops.Service.Dashboard;

/// <summary>
/// Registers the dashboard's services: its options, logins, cookie authentication (its own scheme, not the default
/// one, so gRPC calls never pay for it) and the viewer and admin authorization policies.
/// </summary>
internal static class DashboardRegistration
{
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var options = configuration.GetSection("Loops:Dashboard").Get<DashboardOptions>() ?? new DashboardOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(new DashboardLogins(options));
        services.AddSingleton<DashboardApi>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DashboardJsonContext.Default));
        // Login cookies survive restarts: the keys that protect them live with the rest of the service's state.
        services.AddDataProtection()
            .SetApplicationName("loops-dashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "dashboard-keys")));
        services.AddAuthentication()
            .AddCookie(DashboardRoles.Scheme, cookie =>
            {
                cookie.Cookie.Name = "loops-dashboard";
                cookie.Cookie.Path = DashboardPaths.Root;
                cookie.Cookie.HttpOnly = true;
                // Strict: no other site can make the browser send it, which (with the header every POST must carry) stops CSRF.
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(options.SessionHours);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = DashboardPaths.Login;
                cookie.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden),
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardRoles.ViewerPolicy, policy => policy
                .AddAuthenticationSchemes(DashboardRoles.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(DashboardRoles.Viewer, DashboardRoles.Admin))
            .AddPolicy(DashboardRoles.AdminPolicy, policy => policy
                .AddAuthenticationSchemes(DashboardRoles.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(DashboardRoles.Admin));
        return services;
    }

    // Pages go to the login page; API calls get the status, which scripts handle.
    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments(DashboardPaths.Api) || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
