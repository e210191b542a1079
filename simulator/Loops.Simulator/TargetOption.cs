using System.CommandLine;

namespace Loops.Simulator;

/// <summary>The <c>--target</c> option every verb that talks to a live service shares.</summary>
internal static class TargetOption
{
    public static Option<Uri> Create(bool required = true) => new("--target")
    {
        Description = required
            ? "The service address, e.g. http://127.0.0.1:5000."
            : "Run the Loops strategies against this live service (e.g. http://127.0.0.1:5000) instead of in-process.",
        Required = required,
        CustomParser = result => new Uri(result.Tokens.Single().Value, UriKind.Absolute),
    };
}
