using Loops.Contracts.V1;
using Loops.Grpc;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

/// <summary>Bad requests get the right status and a message naming the field; nothing accepted is lost.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private ServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ServiceHost.StartAsync();
        await _host.Client.UpsertPolicyAsync(new Policy { Name = "offers", Epsilon = 0.2, RewardWindowSeconds = 60 });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Unknown_policy_is_not_found()
    {
        var error = await Decide(Request("missing", "a", "b"));
        Assert.Equal(StatusCode.NotFound, error.Status);
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_actions_and_no_catalogue_is_invalid() =>
        await AssertInvalid(Request("offers"), "actions");

    [Fact]
    public async Task Duplicate_action_ids_are_invalid() =>
        await AssertInvalid(Request("offers", "a", "a"), "'a' twice");

    [Fact]
    public async Task Empty_action_id_is_invalid() =>
        await AssertInvalid(Request("offers", "a", ""), "actions[1].id");

    [Fact]
    public async Task Empty_policy_name_is_invalid() =>
        await AssertInvalid(Request("", "a"), "policy");

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task Non_finite_context_number_is_invalid(double value)
    {
        var request = Request("offers", "a", "b");
        request.Context.Add(new Feature { Namespace = "user", Name = "age", Number = value });
        await AssertInvalid(request, "context[0].number (user/age)");
    }

    [Fact]
    public async Task Non_finite_action_feature_is_invalid()
    {
        var request = Request("offers", "a", "b");
        request.Actions[1].Features.Add(new Feature { Namespace = "offer", Name = "amount", Number = double.NaN });
        await AssertInvalid(request, "actions[1].features[0].number");
    }

    [Fact]
    public async Task Excluding_every_action_is_invalid()
    {
        var request = Request("offers", "a", "b");
        request.ExcludedActionIds.Add(["a", "b"]);
        await AssertInvalid(request, "excluded_action_ids");
    }

    [Fact]
    public async Task Excluded_action_is_never_chosen()
    {
        for (var i = 0; i < 50; i++)
        {
            var request = Request("offers", "a", "b", "c");
            request.ExcludedActionIds.Add("b");
            var response = await _host.Client.DecideAsync(request);
            Assert.NotEqual("b", response.ActionId);
            Assert.Equal(0, response.Ranking.Single(r => r.ActionId == "b").Probability);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public async Task Epsilon_outside_zero_one_is_invalid(double epsilon)
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _host.Client.UpsertPolicyAsync(new Policy { Name = "eps", Epsilon = epsilon }));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("policy.epsilon", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "policy.name")]
    [InlineData("has space", "policy.name")]
    public async Task Bad_policy_names_are_invalid(string name, string field)
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() => _host.Client.UpsertPolicyAsync(new Policy { Name = name }));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_algorithm_is_invalid_and_lists_the_supported_ones()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _host.Client.UpsertPolicyAsync(new Policy { Name = "algo", Algorithm = "magic" }));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("epsilon_greedy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_reward_aggregation_is_invalid_and_lists_the_supported_ones()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _host.Client.UpsertPolicyAsync(new Policy { Name = "aggregation", RewardAggregation = "max" }));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("policy.reward_aggregation 'max'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'last'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reward_aggregation_is_stored_with_its_default_spelled_out()
    {
        var created = await _host.Client.UpsertPolicyAsync(new Policy { Name = "aggregation-default" });
        Assert.Equal("sum", created.RewardAggregation);
        var changed = await _host.Client.UpsertPolicyAsync(new Policy { Name = "aggregation-default", RewardAggregation = "last" });
        Assert.Equal("last", changed.RewardAggregation);
    }

    [Fact]
    public async Task Reward_for_unknown_event_is_ok_and_counted_as_not_found()
    {
        var response = await _host.Client.RewardAsync("never-decided", 1);
        Assert.False(response.EventFound);
    }

    [Fact]
    public async Task Non_finite_reward_is_invalid()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() => _host.Client.RewardAsync("e", double.NaN));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_reward_in_a_stream_keeps_the_rewards_before_it()
    {
        var decisions = new List<DecideResponse>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add(await _host.Client.DecideAsync(Request("offers", "a", "b")));
        }

        using var call = _host.Client.StartRewardStream();
        foreach (var decision in decisions)
        {
            await call.WriteAsync(new RewardRequest { EventId = decision.EventId, Value = 2 });
        }

        await call.WriteAsync(new RewardRequest { EventId = decisions[0].EventId, Value = double.NaN });
        var error = await Assert.ThrowsAsync<GrpcException>(() => call.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("rewards[3].value", error.Message, StringComparison.Ordinal);

        // The accepted rewards were recorded: their decisions are still known and pending.
        foreach (var decision in decisions)
        {
            Assert.True((await _host.Client.RewardAsync(decision.EventId, 0)).EventFound);
        }
    }

    private Task<GrpcException> Decide(DecideRequest request) =>
        Assert.ThrowsAsync<GrpcException>(() => _host.Client.DecideAsync(request));

    private async Task AssertInvalid(DecideRequest request, string field)
    {
        var error = await Decide(request);
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    private static DecideRequest Request(string policy, params string[] actions)
    {
        var request = new DecideRequest { Policy = policy };
        request.Actions.Add(actions.Select(id => new Action { Id = id }));
        return request;
    }
}
