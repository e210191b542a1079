using Loops.Contracts.V1;
using Loops.Grpc;
using Loops.Training;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

/// <summary>Policies choose their algorithm and its parameters; bad settings name the field; models reset only when they must.</summary>
public sealed class AlgorithmPolicyTests
{
    [Theory]
    [InlineData("epsilon_greedy")]
    [InlineData("softmax")]
    [InlineData("squarecb")]
    [InlineData("bagging")]
    [InlineData("linucb")]
    [InlineData("thompson")]
    public async Task Every_algorithm_decides_with_a_distribution_that_sums_to_one(string algorithm)
    {
        await using var host = await ServiceHost.StartAsync();
        var created = await host.Client.UpsertPolicyAsync(new Policy
        {
            Name = "p",
            Algorithm = algorithm,
            Epsilon = 0.05,
            AlgorithmSettings = new AlgorithmSettings { Bags = 2, LinearBits = 5 },
        });

        var request = new DecideRequest { Policy = "p", EventId = "event-1" };
        request.Context.Add(new Feature { Namespace = "player", Name = "segment", Category = "whale" });
        request.Actions.Add(Enumerable.Range(0, 4).Select(i => new Action { Id = $"a{i}" }));
        request.ExcludedActionIds.Add("a3");
        var response = await host.Client.DecideAsync(request);
        var again = await host.Client.DecideAsync(request);

        Assert.Equal(algorithm, created.Algorithm);
        Assert.True(created.ModelBytes > 0);
        Assert.Equal(1.0, response.Ranking.Sum(r => r.Probability), 9);
        Assert.Equal(0, response.Ranking.Single(r => r.ActionId == "a3").Probability);
        Assert.All(response.Ranking.Where(r => r.ActionId != "a3"), r => Assert.True(r.Probability >= 0.05 / 3 - 1e-12));
        Assert.Equal(response.ActionId, again.ActionId);
        Assert.Equal(response.Probability, again.Probability);
    }

    [Fact]
    public async Task Changing_epsilon_keeps_the_model_and_changing_the_algorithm_resets_it()
    {
        await using var host = await ServiceHost.StartAsync();
        var first = await host.Client.UpsertPolicyAsync(new Policy { Name = "p", Epsilon = 0.1 });

        var epsilonOnly = await host.Client.UpsertPolicyAsync(new Policy { Name = "p", Epsilon = 0.3, AlgorithmSettings = new AlgorithmSettings { SoftmaxLambda = 3 } });
        var newAlgorithm = await host.Client.UpsertPolicyAsync(new Policy { Name = "p", Epsilon = 0.3, Algorithm = "squarecb" });
        var newLearner = await host.Client.UpsertPolicyAsync(new Policy
        {
            Name = "p",
            Epsilon = 0.3,
            Algorithm = "squarecb",
            Learning = new LearningSettings { CbType = "dr" },
        });

        Assert.Equal(first.ModelVersion, epsilonOnly.ModelVersion);
        Assert.Equal(first.ModelVersion + 1, newAlgorithm.ModelVersion);
        Assert.Equal(newAlgorithm.ModelVersion + 1, newLearner.ModelVersion);
        Assert.Equal("dr", newLearner.Learning.CbType);
    }

    [Fact]
    public async Task Invalid_algorithm_settings_are_invalid_argument_naming_the_field()
    {
        await using var host = await ServiceHost.StartAsync();

        var error = await Assert.ThrowsAsync<GrpcException>(() => host.Client.UpsertPolicyAsync(new Policy
        {
            Name = "p",
            Algorithm = "squarecb",
            AlgorithmSettings = new AlgorithmSettings { SquarecbGamma = -1 },
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Contains("policy.algorithm_settings.squarecb_gamma", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ucb", null, "policy.algorithm 'ucb'")]
    [InlineData("bagging", "bags=-1", "policy.algorithm_settings.bags")]
    [InlineData("bagging", "bags=65", "policy.algorithm_settings.bags must be between 1 and 64")]
    [InlineData("squarecb", "squarecb_gamma=-2", "policy.algorithm_settings.squarecb_gamma")]
    [InlineData("softmax", "softmax_lambda=-1", "policy.algorithm_settings.softmax_lambda")]
    [InlineData("linucb", "linucb_alpha=-1", "policy.algorithm_settings.linucb_alpha")]
    [InlineData("thompson", "ts_posterior_scale=-1", "policy.algorithm_settings.ts_posterior_scale")]
    [InlineData("linucb", "linear_bits=11", "policy.algorithm_settings.linear_bits")]
    [InlineData("thompson", "ridge=-1", "policy.algorithm_settings.ridge")]
    [InlineData("epsilon_greedy", "epsilon_decay=2", "policy.algorithm_settings.epsilon_decay")]
    [InlineData("epsilon_greedy", "cb_type=magic", "policy.learning.cb_type 'magic'")]
    [InlineData("epsilon_greedy", "power_t=1.5", "policy.learning.power_t")]
    [InlineData("epsilon_greedy", "forgetting_half_life=-5", "policy.learning.forgetting_half_life")]
    [InlineData("linucb", "cb_type=ips", "policy.learning.cb_type applies to the regression algorithms")]
    [InlineData("thompson", "forgetting_half_life=100", "policy.learning.forgetting_half_life is not supported by thompson")]
    public void The_validator_names_the_invalid_field(string algorithm, string? setting, string expected)
    {
        var policy = new Policy { Name = "p", Algorithm = algorithm, AlgorithmSettings = new AlgorithmSettings(), Learning = new LearningSettings() };
        if (setting is not null)
        {
            var (name, value) = (setting.Split('=')[0], setting.Split('=')[1]);
            switch (name)
            {
                case "bags": policy.AlgorithmSettings.Bags = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "linear_bits": policy.AlgorithmSettings.LinearBits = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "squarecb_gamma": policy.AlgorithmSettings.SquarecbGamma = Number(value); break;
                case "softmax_lambda": policy.AlgorithmSettings.SoftmaxLambda = Number(value); break;
                case "linucb_alpha": policy.AlgorithmSettings.LinucbAlpha = Number(value); break;
                case "ts_posterior_scale": policy.AlgorithmSettings.TsPosteriorScale = Number(value); break;
                case "ridge": policy.AlgorithmSettings.Ridge = Number(value); break;
                case "epsilon_decay": policy.AlgorithmSettings.EpsilonDecay = Number(value); break;
                case "cb_type": policy.Learning.CbType = value; break;
                case "power_t": policy.Learning.PowerT = Number(value); break;
                case "forgetting_half_life": policy.Learning.ForgettingHalfLife = Number(value); break;
                default: throw new ArgumentException(name);
            }
        }

        var error = Assert.Throws<InvalidPolicyException>(() => PolicyValidator.Validate(policy));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_fill_in_and_parameters_of_other_algorithms_do_not_shape_the_model()
    {
        var plain = PolicyValidator.Validate(new Policy { Name = "p" });
        var withBags = PolicyValidator.Validate(new Policy { Name = "p", AlgorithmSettings = new AlgorithmSettings { Bags = 9 } });
        var bagging = PolicyValidator.Validate(new Policy { Name = "p", Algorithm = "bagging" });

        Assert.Equal("epsilon_greedy", plain.Definition.Algorithm);
        Assert.Equal(plain.Model, withBags.Model);
        Assert.Equal(5, bagging.Model.Bags);
        Assert.Equal(10, bagging.Exploration.SquareCbGamma);
        Assert.Equal(0.5, bagging.Learner.PowerT);
    }

    private static double Number(string value) => double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
