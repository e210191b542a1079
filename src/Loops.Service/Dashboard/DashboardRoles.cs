namespace Loops.Service.Dashboard;

/// <summary>The dashboard's roles and the authorization policies that require them.</summary>
public static class DashboardRoles
{
    /// <summary>Reads every page.</summary>
    public const string Viewer = "viewer";

    /// <summary>Reads every page and promotes or rolls back model versions.</summary>
    public const string Admin = "admin";

    /// <summary>The cookie authentication scheme of the dashboard; the gRPC API does not use it.</summary>
    public const string Scheme = "LoopsDashboard";

    internal const string ViewerPolicy = "dashboard-viewer";
    internal const string AdminPolicy = "dashboard-admin";

    internal static bool IsKnown(string role) => role is Viewer or Admin;
}
