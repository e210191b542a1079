namespace Loops.Service.Dashboard;

/// <summary>Log messages of the dashboard.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Dashboard: no users are configured (Loops:Dashboard:Users); log in as admin with this one-time token, valid until the service stops: {LoginUrls}")]
    public static partial void OneTimeToken(ILogger logger, string loginUrls);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Dashboard: {User} logged in as {Role}")]
    public static partial void LoggedIn(ILogger logger, string user, string role);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Dashboard: a login as '{User}' was refused")]
    public static partial void LoginRefused(ILogger logger, string user);
}
