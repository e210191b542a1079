using System.Globalization;
using Loops.Contracts.V1;
using Loops.Core.Evaluation;

namespace Loops.Training;

/// <summary>
/// Decides what an evaluation means: a challenger is promoted only when the lower bound of its DR estimate beats
/// the champion's estimate; the live model is rolled back (when the policy asks for it) when its on-policy reward
/// falls below the previous model's beyond its interval. Every decision is an audit record.
/// </summary>
internal sealed class RetrainingJudge(PolicyCatalog catalog, AuditLog audit, TimeProvider time)
{
    private const string Actor = "trainer";

    /// <summary>Evaluates the held-out window, promotes or keeps, then lets the challengers learn the window.</summary>
    public async Task EvaluateAsync(PolicyState state, PolicyRetraining retraining, CancellationToken cancellationToken)
    {
        var settings = state.Settings;
        var plan = settings.Retraining;
        var champion = retraining.FrozenChampion ?? state.Policy.Clone();
        var record = new Evaluation { Policy = settings.Name, Actor = Actor, FromVersion = state.ModelVersion, ToVersion = state.ModelVersion };
        var championEstimate = retraining.Estimate(champion, champion, settings.SamplingSalt, plan.Confidence);
        record.Candidates.Add(Candidate("champion", championEstimate));
        record.Candidates.Add(Candidate("baseline", retraining.Estimate(null, champion, settings.SamplingSalt, plan.Confidence, plan.BaselineActionId)));
        (string Name, OffPolicyEstimate Estimate)? best = null;
        foreach (var (name, _, model) in retraining.Challengers)
        {
            var estimate = retraining.Estimate(model, model, settings.SamplingSalt, plan.Confidence);
            record.Candidates.Add(Candidate(name, estimate));
            if (best is null || estimate.Lower > best.Value.Estimate.Lower)
            {
                best = (name, estimate);
            }
        }

        if (best is { } winner && winner.Estimate.Lower > championEstimate.Estimate)
        {
            var challenger = settings.Definition.Retraining.Challengers.First(c => c.Name == winner.Name);
            var definition = RetrainingPlan.ChallengerDefinition(settings.Definition, challenger);
            definition.Retraining = settings.Definition.Retraining.Clone();
            var model = retraining.Challengers.First(c => c.Name == winner.Name).Model;
            record.ToVersion = await catalog.AdoptAsync(settings.Name, definition, model, "promoted:" + winner.Name, cancellationToken)
                .ConfigureAwait(false);
            record.Decision = "promoted";
            record.Reason = Invariant($"challenger '{winner.Name}' lower bound {winner.Estimate.Lower:0.####} > champion estimate {championEstimate.Estimate:0.####}");
        }
        else
        {
            record.Decision = "kept";
            record.Reason = best is { } b
                ? Invariant($"best challenger '{b.Name}' lower bound {b.Estimate.Lower:0.####} <= champion estimate {championEstimate.Estimate:0.####}")
                : "no challengers";
        }

        await audit.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        retraining.Evaluated(time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>Rolls the live model back when its on-policy reward is below the previous model's beyond its interval.</summary>
    public async Task CheckRollbackAsync(PolicyState state, PolicyRetraining retraining, CancellationToken cancellationToken)
    {
        var plan = state.Settings.Retraining;
        var live = retraining.LiveRewards;
        var previous = retraining.PreviousRewards;
        if (!plan.AutoRollback || live.Count < plan.WindowEvents || previous.Count < plan.WindowEvents / 2
            || catalog.PreviousVersion(state.Settings.Name) is not { } target)
        {
            return;
        }

        var z = ConfidenceMultiplier(plan.Confidence);
        var upper = live.Mean + (z * live.StandardError);
        if (upper >= previous.Mean)
        {
            return;
        }

        var from = state.ModelVersion;
        await catalog.MakeLiveAsync(state.Settings.Name, target, rollback: true, cancellationToken).ConfigureAwait(false);
        catalog.RolledBack(state.Settings.Name);
        var record = new Evaluation
        {
            Policy = state.Settings.Name,
            Actor = Actor,
            Decision = "rolled_back",
            FromVersion = from,
            ToVersion = target,
            Reason = Invariant($"live on-policy reward {live.Mean:0.####} (upper {upper:0.####}, n {live.Count}) < previous {previous.Mean:0.####} (n {previous.Count})"),
        };
        record.Candidates.Add(new CandidateEstimate { Name = "live", Estimator = "on_policy", Estimate = live.Mean, Lower = live.Mean - (z * live.StandardError), Upper = upper, N = live.Count });
        record.Candidates.Add(new CandidateEstimate { Name = "previous", Estimator = "on_policy", Estimate = previous.Mean, Lower = previous.Mean - (z * previous.StandardError), Upper = previous.Mean + (z * previous.StandardError), N = previous.Count });
        await audit.AppendAsync(record, cancellationToken).ConfigureAwait(false);
    }

    private static CandidateEstimate Candidate(string name, OffPolicyEstimate estimate) => new()
    {
        Name = name,
        Estimator = estimate.Estimator,
        Estimate = estimate.Estimate,
        Lower = estimate.Lower,
        Upper = estimate.Upper,
        N = estimate.Diagnostics.Count,
    };

    /// <summary>The two-sided normal quantile for a confidence level (the common levels; 1.96 otherwise).</summary>
    private static double ConfidenceMultiplier(double confidence) => confidence switch
    {
        >= 0.99 => 2.576,
        >= 0.95 => 1.96,
        >= 0.9 => 1.645,
        _ => 1.282,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
