using System.CommandLine;
using Loops.Core.Evaluation;

namespace Loops.Cli;

/// <summary>The options of <c>loops evaluate</c>.</summary>
internal sealed class EvaluateOptions
{
    public Option<string> Logs { get; } = new("--logs")
    {
        Description = "The logged events: an OBD log CSV or its campaign folder, or a Loops data directory.",
        Required = true,
    };

    public Option<string?> Format { get; } = new Option<string?>("--format")
    {
        Description = "The layout of --logs: obd or loops. Detected from the path when left out.",
    }.AcceptOnlyFromAmong("obd", "loops");

    public Option<string?> Policy { get; } = new("--policy")
    {
        Description = "For Loops logs: evaluate on this policy's decisions only.",
    };

    public Option<string> Target { get; } = new("--target")
    {
        Description = "The policy to evaluate: uniform, logging, a probability CSV (round,action,position,prob) or a policy JSON (with --model).",
        Required = true,
    };

    public Option<string?> Model { get; } = new("--model")
    {
        Description = "The model file of a policy JSON target (a data/models/*.model snapshot or a bare model).",
    };

    public Option<string> Estimators { get; } = new("--estimators")
    {
        Description = $"Comma-separated estimators among {string.Join(", ", OffPolicyEstimators.Names)}. Default: all the target allows.",
    };

    public Option<double> Confidence { get; } = new("--confidence")
    {
        Description = "The confidence level of the intervals, strictly between 0 and 1.",
        DefaultValueFactory = _ => 0.95,
    };

    public Option<string> Interval { get; } = new Option<string>("--interval")
    {
        Description = "How intervals are computed: normal (approximation), bernstein (empirical Bernstein) or bootstrap (percentile, seeded).",
        DefaultValueFactory = _ => "normal",
    }.AcceptOnlyFromAmong("normal", "bernstein", "bootstrap");

    public Option<int> Resamples { get; } = new("--resamples")
    {
        Description = "The number of bootstrap resamples (at least 100).",
        DefaultValueFactory = _ => 1000,
    };

    public Option<int> Seed { get; } = new("--seed")
    {
        Description = "The seed of the bootstrap.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int?> Position { get; } = new("--position")
    {
        Description = "For OBD logs: evaluate the impressions at this position (1, 2 or 3) only. Default: every row as its own decision.",
    };

    public Option<string> RewardModel { get; } = new Option<string>("--reward-model")
    {
        Description = "The reward model of dm and the dr family: auto (mean for OBD, linear for Loops logs), mean (per action and position) or linear.",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "mean", "linear");

    public Option<double> SwitchThreshold { get; } = new("--switch-threshold")
    {
        Description = "τ of switch-dr: events with a larger importance weight use the direct method.",
        DefaultValueFactory = _ => SwitchDoublyRobust.DefaultThreshold,
    };

    public Option<string?> Json { get; } = new("--json")
    {
        Description = "Also write the results as JSON to this file; '-' writes JSON to the standard output instead of the table.",
    };

    public IEnumerable<Option> All =>
        [Logs, Format, Policy, Target, Model, Estimators, Confidence, Interval, Resamples, Seed, Position, RewardModel, SwitchThreshold, Json];
}
