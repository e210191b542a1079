using Xunit.Abstractions;

namespace Loops.Interop.Tests;

/// <summary>
/// The interop scenario (tests/interop/node/interop.js) run by @grpc/grpc-js (a pure JavaScript implementation on
/// Node's http2 module) against the real service process. Needs Node.js and `npm ci` in tests/interop/node.
/// </summary>
public sealed class NodeGrpcJsInteropTests(LoopsServiceProcess service, ITestOutputHelper output)
    : IClassFixture<LoopsServiceProcess>
{
    private static string NodeDirectory => Path.Combine(RepositoryLayout.InteropDirectory, "node");

    private static string InstallHint =>
        $"Install the Node.js gRPC peer: run `npm ci` in {NodeDirectory} (Node.js 18 or later must be on PATH; CI does this too).";

    [Fact]
    public async Task Node_grpc_js_client_passes_the_interop_scenario()
    {
        await RequireNodeGrpcAsync();
        await InteropScript.RunAsync(
            service,
            output,
            "Node @grpc/grpc-js",
            "node",
            [Path.Combine(NodeDirectory, "interop.js"), service.Address, "--protos", Path.Combine(RepositoryLayout.RepositoryRoot, "protos")],
            NodeDirectory);
    }

    private static async Task RequireNodeGrpcAsync()
    {
        foreach (var package in new[] { "@grpc/grpc-js", "@grpc/proto-loader" })
        {
            var manifest = Path.Combine(NodeDirectory, "node_modules", package, "package.json");
            Assert.True(File.Exists(manifest), $"{package} is not installed ({manifest} is missing). {InstallHint}");
        }

        var probe = await ExternalProcess.RunAsync("node", ["--version"], NodeDirectory, InteropScript.ProbeTimeout);
        Assert.True(probe.ExitCode == 0, $"`node --version` failed. {InstallHint}\n{probe.Output}");
    }
}
