using Loops.Contracts.V1;
using Loops.Grpc;

namespace Loops.Service.Tests;

/// <summary>ExportModel and ImportModel: a model moves between deployments as a model file.</summary>
public sealed class ModelFileTransferTests
{
    private const string Name = "portable";

    [Fact]
    public async Task An_exported_model_imported_elsewhere_and_promoted_decides_as_it_did_where_it_was_trained()
    {
        await using var source = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.2");
        await using var target = await ServiceHost.StartAsync();
        var policy = new Policy { Name = Name, Epsilon = 0.1, RewardWindowSeconds = 1 };
        await source.Client.UpsertPolicyAsync(policy);
        await target.Client.UpsertPolicyAsync(policy);
        var environment = new RetrainingEnvironment(source.Client, Name);
        await environment.RunAsync(300, seed: 7, pauseMs: 0);
        await environment.WaitLearnedAsync(300);
        for (var i = 0; i < 200 && (await source.Client.ListModelsAsync(Name)) is not [.., { EventsLearned: 300 }]; i++)
        {
            await Task.Delay(50);
        }

        var file = await source.Client.ExportModelAsync(Name);
        var imported = await target.Client.ImportModelAsync(Name, file, "carol");
        Assert.Equal("imported", imported.Source);
        Assert.Equal(300, imported.EventsLearned);
        Assert.False((await target.Client.GetPolicyAsync(Name)).ModelVersion == imported.Version);
        await target.Client.PromoteAsync(Name, imported.Version, "carol");
        Assert.Contains(await target.Client.ListEvaluationsAsync(Name), r => r.Decision == "imported" && r.Actor == "carol");

        for (var i = 0; i < 50; i++)
        {
            var request = RetrainingEnvironment.Request(Name, i % 2 == 0 ? "casual" : "whale", $"replay-{i}");
            var there = await source.Client.DecideAsync(request);
            var here = await target.Client.DecideAsync(request);
            Assert.Equal(there.ActionId, here.ActionId);
            Assert.Equal(there.Probability, here.Probability);
            Assert.Equal(imported.Version, here.ModelVersion);
        }
    }

    [Fact]
    public async Task The_command_line_exports_a_version_to_a_file_and_imports_it_live_elsewhere()
    {
        await using var source = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.2");
        await using var target = await ServiceHost.StartAsync();
        var policy = new Policy { Name = Name, RewardWindowSeconds = 1 };
        await source.Client.UpsertPolicyAsync(policy);
        await target.Client.UpsertPolicyAsync(policy);
        await new RetrainingEnvironment(source.Client, Name).RunAsync(50, seed: 2, pauseMs: 0);
        for (var i = 0; i < 200 && (await source.Client.ListModelsAsync(Name)).Count == 0; i++)
        {
            await Task.Delay(50);
        }

        var file = Path.Combine(source.DataDirectory, "exported.model");
        var output = new StringWriter();
        Assert.Equal(0, await Cli.LoopsCommandLine.RunAsync(
            ["model", "export", "--service", source.Address.ToString(), "--policy", Name, "--out", file], output, output, CancellationToken.None));
        Assert.Equal(0, await Cli.LoopsCommandLine.RunAsync(
            ["model", "import", "--service", target.Address.ToString(), "--policy", Name, "--file", file, "--actor", "dave", "--promote"], output, output, CancellationToken.None));
        Assert.Contains("now live", output.ToString(), StringComparison.Ordinal);
        var live = Assert.Single(await target.Client.ListModelsAsync(Name), v => v.Live);
        Assert.Equal("imported", live.Source);

        var error = new StringWriter();
        Assert.Equal(2, await Cli.LoopsCommandLine.RunAsync(
            ["model", "export", "--service", target.Address.ToString(), "--policy", "missing", "--out", file], output, error, CancellationToken.None));
        Assert.Contains("NotFound", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_model_or_was_made_under_other_settings_is_refused_with_the_reason()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Loops:SnapshotIntervalSeconds=0.2");
        await host.Client.UpsertPolicyAsync(new Policy { Name = Name, RewardWindowSeconds = 1 });
        await host.Client.UpsertPolicyAsync(new Policy { Name = "linear", Algorithm = "linucb" });

        var garbage = await Assert.ThrowsAsync<GrpcException>(() => host.Client.ImportModelAsync(Name, [1, 2, 3, 4, 5]));
        Assert.Equal(StatusCode.InvalidArgument, garbage.Status);
        Assert.Contains("not a Loops model snapshot", garbage.Message, StringComparison.Ordinal);

        await new RetrainingEnvironment(host.Client, Name).RunAsync(50, seed: 1, pauseMs: 0);
        for (var i = 0; i < 200 && (await host.Client.ListModelsAsync(Name)).Count == 0; i++)
        {
            await Task.Delay(50);
        }

        var file = await host.Client.ExportModelAsync(Name);
        var mismatch = await Assert.ThrowsAsync<GrpcException>(() => host.Client.ImportModelAsync("linear", file));
        Assert.Equal(StatusCode.InvalidArgument, mismatch.Status);
        Assert.Contains("other settings", mismatch.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<GrpcException>(() => host.Client.ExportModelAsync(Name, 999));
        Assert.Equal(StatusCode.NotFound, missing.Status);
    }
}
