using Loops.Contracts.V1;
using Loops.Grpc;

namespace Loops.Simulation.Live;

/// <summary>
/// Sends rewards to a live service when they are due, on one client stream: outcomes come back after their
/// simulated delay, scaled to real time, as a real backend would report them.
/// </summary>
internal sealed class RewardScheduler(ClientStreamingCall<RewardRequest, RewardStreamResponse> stream, TimeProvider timeProvider, long startTimestamp)
{
    private readonly PriorityQueue<RewardRequest, double> _queue = new();
    private readonly Lock _gate = new();

    public long Sent { get; private set; }

    /// <summary>Queues a reward due <paramref name="dueMilliseconds"/> after the start.</summary>
    public void Schedule(double dueMilliseconds, string eventId, double value)
    {
        lock (_gate)
        {
            _queue.Enqueue(new RewardRequest { EventId = eventId, Value = value }, dueMilliseconds);
        }
    }

    /// <summary>Sends due rewards every <paramref name="period"/> until cancelled; rewards not yet due then are dropped.</summary>
    public async Task RunAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await SendDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetElapsedTime(startTimestamp).TotalMilliseconds;
        while (true)
        {
            RewardRequest? reward;
            lock (_gate)
            {
                if (!_queue.TryPeek(out reward, out var due) || due > now)
                {
                    return;
                }

                _queue.Dequeue();
            }

            await stream.WriteAsync(reward, cancellationToken).ConfigureAwait(false);
            Sent++;
        }
    }
}
