namespace Loops.Service.Dashboard;

/// <summary>A person who may log in to the dashboard (<c>Loops:Dashboard:Users:N</c>).</summary>
public sealed class DashboardUser
{
    /// <summary>The login name; also the actor recorded in the audit log for this user's promotions and rollbacks.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>viewer</c> (reads everything) or <c>admin</c> (also promotes and rolls back). Default <c>viewer</c>.</summary>
    public string Role { get; set; } = DashboardRoles.Viewer;

    /// <summary>The password's hash, as printed by <c>Loops.Service hash-password</c> (<c>pbkdf2-sha256$iterations$salt$hash</c>).</summary>
    public string PasswordHash { get; set; } = string.Empty;
}
