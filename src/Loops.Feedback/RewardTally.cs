using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// The rewards counted for one event, in the order the store applied them: enough to give the joined reward under
/// any <see cref="RewardAggregation"/> without keeping every value.
/// </summary>
internal readonly record struct RewardTally(double Sum, int Count, double First, double Last)
{
    /// <summary>The tally with one more reward, received after the others.</summary>
    public RewardTally Add(double value) =>
        Count == 0 ? new RewardTally(value, 1, value, value) : new RewardTally(Sum + value, Count + 1, First, value);

    /// <summary>This tally followed by rewards received later.</summary>
    public RewardTally Then(RewardTally later) =>
        later.Count == 0 ? this
        : Count == 0 ? later
        : new RewardTally(Sum + later.Sum, Count + later.Count, First, later.Last);

    /// <summary>The joined reward under an aggregation; only meaningful when <see cref="Count"/> is positive.</summary>
    public double Value(RewardAggregation aggregation) => aggregation switch
    {
        RewardAggregation.First => First,
        RewardAggregation.Last => Last,
        _ => Sum,
    };

    /// <summary>A tally read from a record written before first and last were kept: exact for up to one reward.</summary>
    public static RewardTally FromSum(double sum, int count) => new(sum, count, sum, sum);
}
