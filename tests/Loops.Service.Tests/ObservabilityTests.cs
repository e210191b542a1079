using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Loops.Contracts.V1;
using Loops.Grpc;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

// Alone: meters are process-wide, so services of tests running alongside would add to the numbers checked here.
[Collection(nameof(ObservabilityTests))]
public sealed class ObservabilityTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ServiceHost? _service;

    private ServiceHost Service => _service!;

    private Uri Web => Service.WebAddress!;

    public async Task InitializeAsync()
    {
        _service = await ServiceHost.StartAsync(extraArgs: ["--web-urls", "http://127.0.0.1:0"]);
        await Service.Client.UpsertPolicyAsync(new Policy { Name = "observed", Epsilon = 0.2, RewardWindowSeconds = 60 });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Service.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_pass_promtool_and_count_decisions_rewards_and_errors()
    {
        for (var i = 0; i < 5; i++)
        {
            var decision = await Service.Client.DecideAsync(Request());
            await Service.Client.RewardAsync(decision.EventId, 1);
        }

        await Assert.ThrowsAsync<GrpcException>(() => Service.Client.DecideAsync(new DecideRequest { Policy = "missing" }));
        var metrics = await _http.GetStringAsync(new Uri(Web, "/metrics"));

        Assert.Equal(5, Sample(metrics, "loops_decisions_total", "policy=\"observed\""));
        Assert.Equal(5, Sample(metrics, "loops_rewards_total", "matched=\"true\""));
        Assert.Equal(5, Sample(metrics, "loops_feedback_pending_joins", string.Empty));
        Assert.Equal(5, Sample(metrics, "loops_decide_duration_seconds_count", "policy=\"observed\""));
        Assert.Equal(1, Sample(metrics, "rpc_server_call_duration_seconds_count", "rpc_grpc_status_code=\"5\""));
        var policy = await Service.Client.GetPolicyAsync("observed");
        Assert.Equal(policy.ModelVersion, Sample(metrics, "loops_policy_model_version", "policy=\"observed\""));

        var (exitCode, output) = await Tool.RunAsync("promtool", metrics, "check", "metrics");
        Assert.True(exitCode == 0, $"promtool check metrics failed:\n{output}\n{metrics}");
    }

    [Fact]
    public async Task Health_endpoints_report_liveness_and_readiness()
    {
        using var live = await _http.GetAsync(new Uri(Web, "/healthz"));
        using var ready = await _http.GetAsync(new Uri(Web, "/readyz"));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.True(await Service.Client.IsServingAsync());
    }

    [Fact]
    public async Task A_prometheus_server_scrapes_the_service()
    {
        await Service.Client.DecideAsync(Request());
        var directory = Directory.CreateTempSubdirectory("loops-prometheus-").FullName;
        var port = Tool.FreePort();
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: loops
                static_configs:
                  - targets: ['{Web.Authority}']
            """);
        using var prometheus = Process.Start(Tool.Start("prometheus", [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
        ]))!;
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            var api = new Uri($"http://127.0.0.1:{port}/api/v1/");
            var value = await PollAsync(async () =>
            {
                using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri(api, "query?query=loops_decisions_total")));
                var result = document.RootElement.GetProperty("data").GetProperty("result");
                return result.GetArrayLength() == 1 ? result[0].GetProperty("value")[1].GetString() : null;
            });

            Assert.Equal("1", value);
            using var targets = JsonDocument.Parse(await _http.GetStringAsync(new Uri(api, "targets")));
            var target = targets.RootElement.GetProperty("data").GetProperty("activeTargets")[0];
            Assert.Equal("up", target.GetProperty("health").GetString());
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static DecideRequest Request()
    {
        var request = new DecideRequest { Policy = "observed", UserId = "u1" };
        request.Context.Add(new Feature { Namespace = "player", Name = "level", Number = 3 });
        request.Actions.Add(new Action { Id = "bonus-a" });
        request.Actions.Add(new Action { Id = "bonus-b" });
        return request;
    }

    // The value of the one sample of a metric whose labels contain the given text.
    private static double Sample(string metrics, string name, string label)
    {
        var lines = metrics.Split('\n').Where(line =>
            line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    // Retries until the query has an answer: Prometheus needs a scrape or two after it starts.
    private static async Task<string> PollAsync(Func<Task<string?>> query)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                if (await query() is { } answer)
                {
                    return answer;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException("Prometheus did not scrape the service within 90 s.");
            }

            await Task.Delay(250);
        }
    }
}

[CollectionDefinition(nameof(ObservabilityTests), DisableParallelization = true)]
public sealed class ObservabilityCollection;
