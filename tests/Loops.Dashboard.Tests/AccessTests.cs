using Loops.Service.Dashboard;

namespace Loops.Dashboard.Tests;

public sealed class AccessTests
{
    [Fact]
    public void A_password_matches_its_hash_and_nothing_else()
    {
        var hash = PasswordHash.Create("correct horse", iterations: 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHash.Verify("correct horse", hash));
        Assert.False(PasswordHash.Verify("correct horse ", hash));
        Assert.False(PasswordHash.Verify("", hash));
        Assert.NotEqual(hash, PasswordHash.Create("correct horse", iterations: 1000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-text")]
    [InlineData("pbkdf2-sha256$x$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha256$1000$not base64$aGFzaA==")]
    [InlineData("sha1$1000$c2FsdA==$aGFzaA==")]
    public void A_malformed_hash_matches_no_password(string hash)
    {
        Assert.False(PasswordHash.IsWellFormed(hash));
        Assert.False(PasswordHash.Verify("anything", hash));
    }

    [Fact]
    public void Configured_users_log_in_with_their_role_and_no_token_is_made()
    {
        var logins = new DashboardLogins(new DashboardOptions
        {
            Users = [new DashboardUser { Name = "ann", Role = "admin", PasswordHash = PasswordHash.Create("pw-ann", 1000) }],
        });

        Assert.Equal(("ann", "admin"), logins.CheckPassword("ann", "pw-ann"));
        Assert.Null(logins.CheckPassword("ann", "pw-bob"));
        Assert.Null(logins.CheckPassword("bob", "pw-ann"));
        Assert.Null(logins.Token);
        Assert.Null(logins.CheckToken(string.Empty));
    }

    [Fact]
    public void Without_users_a_random_one_time_token_logs_in_as_admin()
    {
        var logins = new DashboardLogins(new DashboardOptions());
        var other = new DashboardLogins(new DashboardOptions());

        Assert.Equal(48, logins.Token!.Length);
        Assert.NotEqual(logins.Token, other.Token);
        Assert.Equal((DashboardLogins.TokenUser, DashboardRoles.Admin), logins.CheckToken(logins.Token));
        Assert.Null(logins.CheckToken(other.Token!));
    }

    [Theory]
    [InlineData("", "viewer", "Name")]
    [InlineData("ann", "owner", "Role")]
    [InlineData("ann", "admin", "PasswordHash")]
    public void Bad_user_settings_fail_at_start_naming_the_setting(string name, string role, string setting)
    {
        var options = new DashboardOptions { Users = [new DashboardUser { Name = name, Role = role, PasswordHash = setting == "PasswordHash" ? "secret" : PasswordHash.Create("x", 1) }] };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains($"Loops:Dashboard:Users:0:{setting}", error.Message, StringComparison.Ordinal);
    }
}
