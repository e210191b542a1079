using Xunit.Abstractions;

namespace Loops.Interop.Tests;

/// <summary>
/// The interop scenario (tests/interop/python/interop.py) run by Python's grpcio (gRPC core, a C implementation)
/// against the real service process. Needs Debian's python3-grpcio and python3-grpc-tools.
/// </summary>
public sealed class PythonGrpcioInteropTests(LoopsServiceProcess service, ITestOutputHelper output)
    : IClassFixture<LoopsServiceProcess>
{
    // Explicitly the system interpreter: a pyenv python3 earlier on PATH has no grpc module.
    private const string Python = "/usr/bin/python3";

    private const string InstallHint =
        "Install the Python gRPC peer: `sudo apt-get install python3-grpcio python3-grpc-tools` "
        + "(the Debian packages, for " + Python + "; CI installs them too).";

    [Fact]
    public async Task Python_grpcio_client_passes_the_interop_scenario()
    {
        await RequirePythonGrpcAsync();
        var script = Path.Combine(RepositoryLayout.InteropDirectory, "python", "interop.py");
        await InteropScript.RunAsync(
            service,
            output,
            "Python grpcio",
            Python,
            [script, service.Address, "--protos", Path.Combine(RepositoryLayout.RepositoryRoot, "protos")],
            Path.GetDirectoryName(script)!,
            new Dictionary<string, string> { ["PYTHONUNBUFFERED"] = "1", ["PYTHONDONTWRITEBYTECODE"] = "1" });
    }

    private static async Task RequirePythonGrpcAsync()
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} does not exist. {InstallHint}");
        }

        var probe = await ExternalProcess.RunAsync(
            Python, ["-c", "import grpc, grpc_tools.protoc"], RepositoryLayout.RepositoryRoot, InteropScript.ProbeTimeout);
        Assert.True(probe.ExitCode == 0, $"`{Python} -c \"import grpc, grpc_tools.protoc\"` failed. {InstallHint}\n{probe.Output}");
    }
}
