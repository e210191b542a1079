using System.Security.Cryptography;
using System.Text;

namespace Loops.Service.Dashboard;

/// <summary>
/// Checks dashboard logins against the configured users, or, when none is configured, against a one-time admin
/// token made at start (the way Jupyter does), which the service logs with a login URL.
/// </summary>
internal sealed class DashboardLogins
{
    /// <summary>The name the one-time token logs in as.</summary>
    public const string TokenUser = "admin";

    private readonly Dictionary<string, DashboardUser> _users;
    private readonly byte[]? _token;

    public DashboardLogins(DashboardOptions options, string? token = null)
    {
        _users = options.Users.ToDictionary(user => user.Name, StringComparer.Ordinal);
        if (_users.Count == 0)
        {
            Token = token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            _token = Encoding.UTF8.GetBytes(Token);
        }
    }

    /// <summary>The one-time admin token, when no user is configured.</summary>
    public string? Token { get; }

    /// <summary>The user and role a name and password log in as, or null.</summary>
    public (string Name, string Role)? CheckPassword(string name, string password)
    {
        if (!_users.TryGetValue(name, out var user) || !PasswordHash.Verify(password, user.PasswordHash))
        {
            return null;
        }

        return (user.Name, user.Role);
    }

    /// <summary>The admin the one-time token logs in as, or null when it does not match or users are configured.</summary>
    public (string Name, string Role)? CheckToken(string token)
    {
        if (_token is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _token))
        {
            return null;
        }

        return (TokenUser, DashboardRoles.Admin);
    }
}
