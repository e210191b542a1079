using Loops.Constraints;
using Loops.Contracts.V1;
using Loops.Feedback;

namespace Loops.Service.Observability;

/// <summary>
/// Follows the joined-event log and keeps each policy's economics report (spend, revenue, uplift against the control
/// group) up to date, so that metrics can export it on every scrape without re-reading the log.
/// </summary>
internal sealed class PolicyReportTally(IFeedbackStore store) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PolicyReportBuilder> _builders = new(StringComparer.Ordinal);

    /// <summary>The current report of every policy seen in the joined log.</summary>
    public IReadOnlyList<PolicyReport> Reports()
    {
        lock (_gate)
        {
            return [.. _builders.Values.Select(builder => builder.Build())];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in store.ReadJoinedAsync(0, stoppingToken).ConfigureAwait(false))
            {
                if (record.Event.Decision is not { } decision)
                {
                    continue;
                }

                lock (_gate)
                {
                    if (!_builders.TryGetValue(decision.Policy, out var builder))
                    {
                        builder = new PolicyReportBuilder(decision.Policy);
                        _builders.Add(decision.Policy, builder);
                    }

                    builder.Add(record.Event);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
