using System.Text.Json;
using System.Text.Json.Serialization;

namespace Loops.Simulation.Scenarios;

/// <summary>Reads scenario files (JSON, camelCase, comments allowed) and validates them.</summary>
public static class ScenarioLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads and validates a scenario file.</summary>
    /// <exception cref="ScenarioException">The file is missing, is not valid JSON or breaks a rule.</exception>
    public static async Task<Scenario> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"Cannot read scenario file '{path}': {exception.Message}", exception);
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates a scenario.</summary>
    /// <param name="json">The scenario as JSON.</param>
    /// <param name="source">Where it comes from, for error messages.</param>
    /// <exception cref="ScenarioException">It is not valid JSON or breaks a rule.</exception>
    public static Scenario Parse(string json, string source)
    {
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(StripSchemaProperty(json), Options);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 0 } path ? $" at {path}" : string.Empty;
            throw new ScenarioException($"{source}: invalid scenario{where}: {exception.Message}", exception);
        }

        if (scenario is null)
        {
            throw new ScenarioException($"{source}: the scenario is null.");
        }

        var errors = ScenarioValidator.Validate(scenario);
        if (errors.Count > 0)
        {
            throw new ScenarioException($"{source}: invalid scenario:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return scenario;
    }

    // "$schema" lets editors validate the file; it is not part of the model.
    private static string StripSchemaProperty(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("$schema", out _))
        {
            return json;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name != "$schema")
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
