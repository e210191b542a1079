namespace Loops.Service.Dashboard;

/// <summary>Where the dashboard lives on the web endpoint.</summary>
internal static class DashboardPaths
{
    public const string Root = "/dashboard";
    public const string Login = "/dashboard/login";
    public const string Api = "/dashboard/api";

    /// <summary>The header every dashboard POST must carry: a cross-site form cannot set it, and a cross-site script cannot without CORS, which is not enabled.</summary>
    public const string CsrfHeader = "X-Loops-Dashboard";
}
