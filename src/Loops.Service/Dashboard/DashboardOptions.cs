namespace Loops.Service.Dashboard;

/// <summary>The dashboard's settings (section <c>Loops:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>
    /// Who may log in. None by default: the service then makes a one-time admin token at start and logs a login URL
    /// with it (valid until the service stops).
    /// </summary>
    public List<DashboardUser> Users { get; set; } = [];

    /// <summary>How long a login lasts, in hours (sliding). Default 8.</summary>
    public double SessionHours { get; set; } = 8;

    /// <summary>Checks the settings; the message names the one to fix.</summary>
    public void Validate()
    {
        if (!double.IsFinite(SessionHours) || SessionHours <= 0)
        {
            throw new ArgumentException($"Loops:Dashboard:SessionHours must be positive, got {SessionHours}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Users.Count; i++)
        {
            var user = Users[i];
            if (string.IsNullOrWhiteSpace(user.Name) || !names.Add(user.Name))
            {
                throw new ArgumentException($"Loops:Dashboard:Users:{i}:Name must be a unique, non-empty name, got '{user.Name}'.");
            }

            if (!DashboardRoles.IsKnown(user.Role))
            {
                throw new ArgumentException($"Loops:Dashboard:Users:{i}:Role must be '{DashboardRoles.Viewer}' or '{DashboardRoles.Admin}', got '{user.Role}'.");
            }

            if (!PasswordHash.IsWellFormed(user.PasswordHash))
            {
                throw new ArgumentException(
                    $"Loops:Dashboard:Users:{i}:PasswordHash is not a hash made by 'Loops.Service hash-password' (pbkdf2-sha256$iterations$salt$hash).");
            }
        }
    }
}
