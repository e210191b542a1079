using Google.Protobuf.Collections;
using Loops.Constraints;
using Loops.Constraints.Ledgers;
using Loops.Contracts.V1;
using Loops.Core;
using static Loops.Service.Tests.ConstraintPolicies;

namespace Loops.Service.Tests;

/// <summary>
/// Off-policy evaluation stays unbiased on logs made under masking: IPS with a normal 95% interval over logs drawn
/// through the real masking step covers the true value of a target policy in most of 200 seeds. Self-contained (a
/// small IPS here) until the estimators of Loops.Core.Evaluation are on this branch.
/// </summary>
public sealed class MaskedOffPolicyEvaluationTests
{
    private const int Seeds = 200;
    private const int Rounds = 1500;
    private static readonly string[] Segments = ["vip", "regular"];

    // The click rate of each action per segment: b25 is best for VIPs, but masked for everyone else.
    private static readonly Dictionary<(string, string), double> Rates = new()
    {
        [("vip", "none")] = 0.2,
        [("vip", "b10")] = 0.4,
        [("vip", "b25")] = 0.7,
        [("regular", "none")] = 0.1,
        [("regular", "b10")] = 0.3,
        [("regular", "b25")] = 0.9,
    };

    [Fact]
    public async Task Ips_intervals_on_masked_logs_cover_the_truth()
    {
        var directory = Directory.CreateTempSubdirectory("loops-ope-").FullName;
        await using var ledger = EmbeddedConstraintLedger.Open(directory, 0);
        var definition = new Contracts.V1.Constraints { NoBonusActionId = "none" };
        definition.Eligibility.Add(Rule("vip-only", "b25", "segment", RuleOperator.Eq, "vip"));
        var policy = Bonuses("ope", definition, epsilon: 0.3);
        var set = ConstraintCompiler.Compile(policy);
        var actions = policy.Actions;

        // The target: the best allowed action per segment (b25 for VIPs, b10 for the others): true value 0.5·0.7 + 0.5·0.3.
        const double truth = 0.5;
        var covered = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed);
            var values = new double[Rounds];
            for (var round = 0; round < Rounds; round++)
            {
                var segment = Segments[random.Next(2)];
                var context = new RepeatedField<Feature> { Category("user", "segment", segment) };
                var eventId = $"{seed}-{round}";
                var allowed = new bool[actions.Count];
                Array.Fill(allowed, true);
                var step = new ConstrainedDecision(set, "ope", 7, $"u{round}", eventId, context, actions, 0);
                await step.MaskAsync(ledger, allowed, CancellationToken.None);

                // The logging policy prefers "none" (a poor model), exploring over the allowed actions only.
                double[] scores = [1, 0, 0];
                var probabilities = new double[actions.Count];
                Exploration.EpsilonGreedy(scores, allowed, 0.3, probabilities);
                var chosen = Sampling.Sample(probabilities, Sampling.SeedOf(eventId, (ulong)seed));
                var reward = random.NextDouble() < Rates[(segment, actions[chosen].Id)] ? 1.0 : 0.0;
                var target = segment == "vip" ? "b25" : "b10";
                values[round] = actions[chosen].Id == target ? reward / probabilities[chosen] : 0;
            }

            var mean = values.Average();
            var error = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (Rounds - 1) / Rounds);
            covered += Math.Abs(mean - truth) <= 1.96 * error ? 1 : 0;
        }

        Assert.InRange(covered, (int)(0.9 * Seeds), Seeds);
    }
}
