using System.CommandLine;
using Loops.Client;
using Loops.Grpc;

namespace Loops.Cli;

/// <summary>
/// <c>loops model export|import</c>: moves model versions between a running service and model files, so a model
/// trained in one deployment (or kept in a repository, like <c>models/</c>) can be served by another.
/// </summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Export a policy's model version to a file, or import a model file as a new version.");
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Import());
        return command;
    }

    private static Command Export()
    {
        var (service, policy) = (ServiceOption(), PolicyOption());
        var version = new Option<long>("--version") { Description = "The stored version; 0 (the default) is the live one." };
        var file = new Option<FileInfo>("--out") { Description = "The model file to write.", Required = true };
        var command = new Command("export", "Write a stored model version of a policy to a model file.") { service, policy, version, file };
        command.SetAction((result, cancellationToken) => CallAsync(result, service, async client =>
        {
            var bytes = await client.ExportModelAsync(result.GetRequiredValue(policy), result.GetValue(version), cancellationToken);
            var path = result.GetRequiredValue(file).FullName;
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            return $"wrote {bytes.Length} bytes to {path}";
        }));
        return command;
    }

    private static Command Import()
    {
        var (service, policy) = (ServiceOption(), PolicyOption());
        var file = new Option<FileInfo>("--file") { Description = "The model file to import.", Required = true };
        var actor = new Option<string>("--actor") { Description = "Who imports, for the audit log.", DefaultValueFactory = _ => Environment.UserName };
        var promote = new Option<bool>("--promote") { Description = "Make the imported version live at once." };
        var command = new Command("import", "Store a model file as a new version of a policy (live only when promoted).") { service, policy, file, actor, promote };
        command.SetAction((result, cancellationToken) => CallAsync(result, service, async client =>
        {
            var name = result.GetRequiredValue(policy);
            var bytes = await File.ReadAllBytesAsync(result.GetRequiredValue(file).FullName, cancellationToken);
            var who = result.GetValue(actor) ?? string.Empty;
            var entry = await client.ImportModelAsync(name, bytes, who, cancellationToken);
            if (result.GetValue(promote))
            {
                await client.PromoteAsync(name, entry.Version, who, cancellationToken);
                return $"imported as version {entry.Version} of {name}, now live";
            }

            return $"imported as version {entry.Version} of {name}; make it live with Promote";
        }));
        return command;
    }

    private static Option<string> ServiceOption() => new("--service")
    {
        Description = "The service's gRPC address.",
        DefaultValueFactory = _ => "http://localhost:5000",
    };

    private static Option<string> PolicyOption() => new("--policy") { Description = "The policy's name.", Required = true };

    private static async Task<int> CallAsync(ParseResult result, Option<string> service, Func<LoopsClient, Task<string>> call)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        if (!Uri.TryCreate(result.GetRequiredValue(service), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"error: --service '{result.GetValue(service)}' is not an http:// address such as http://localhost:5000.");
            return EvaluateCommand.BadInput;
        }

        try
        {
            using var client = new LoopsClient(address);
            await output.WriteLineAsync(await call(client));
            return 0;
        }
        catch (GrpcException exception)
        {
            await error.WriteLineAsync($"error: {exception.Status}: {exception.Message}");
            return EvaluateCommand.BadInput;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            await error.WriteLineAsync($"error: {exception.Message}");
            return EvaluateCommand.BadInput;
        }
    }
}
