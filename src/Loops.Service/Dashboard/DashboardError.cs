using System.Text.Json.Serialization;

namespace Loops.Service.Dashboard;

/// <summary>The body of a failed dashboard request.</summary>
/// <param name="Error">What went wrong and, where it can, what to do.</param>
internal sealed record DashboardError(string Error);

/// <summary>The dashboard's own small JSON bodies (source-generated: the slim host has no reflection-based serialiser).</summary>
[JsonSerializable(typeof(DashboardError))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(PromoteBody))]
[JsonSerializable(typeof(DashboardIdentity))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;

/// <summary>A login: a name and password, or the one-time token.</summary>
internal sealed record LoginRequest(string? Name, string? Password, string? Token);

/// <summary>The version to promote.</summary>
internal sealed record PromoteBody(long Version);

/// <summary>Who is logged in.</summary>
internal sealed record DashboardIdentity(string Name, string Role);
