using Loops.Contracts.V1;
using Microsoft.Win32.SafeHandles;

namespace Loops.Feedback.Tests;

public sealed class JournalReadsTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Decisions_are_read_back_in_runs_and_a_padded_or_mismatched_one_is_unreadable()
    {
        var buffer = new RecordBuffer();
        var locations = new List<JournalLocation>();
        foreach (var eventId in new[] { "a", "b", "c" })
        {
            var start = buffer.Length;
            JournalCodec.WriteDecision(buffer, _harness.Decision(eventId));
            locations.Add(new JournalLocation(1, buffer.Length - start, start));
            JournalCodec.WriteReward(buffer, _harness.Reward(eventId, 1), _harness.NowUnixMs);
        }

        // The batch holding b failed to be written: padding took its place.
        var bytes = buffer.WrittenSpan.ToArray();
        var padding = new RecordBuffer();
        JournalCodec.WritePadding(padding, locations[1].Length);
        padding.WrittenSpan.CopyTo(bytes.AsSpan((int)locations[1].Offset));
        var path = Path.Combine(_harness.DataDirectory, "journal-1.log");
        File.WriteAllBytes(path, bytes);

        using var file = File.OpenHandle(path);
        List<DueJoin> due =
        [
            Due("a", locations[0]),
            Due("b", locations[1]),
            Due("c", locations[2]),
            Due("not-a", locations[0]),
            Due("beyond", locations[2] with { Offset = bytes.Length }),
        ];
        var decisions = new List<ReadOnlyMemory<byte>?>();
        JournalReads.ReadDecisions(due, [.. due.Select(_ => (SafeFileHandle?)file)], decisions, new RunBuffers());

        Assert.Equal(_harness.Decision("a"), DecisionEvent.Parser.ParseFrom(decisions[0]!.Value.Span));
        Assert.Null(decisions[1]);
        Assert.Equal(_harness.Decision("c"), DecisionEvent.Parser.ParseFrom(decisions[2]!.Value.Span));
        Assert.Null(decisions[3]);
        Assert.Null(decisions[4]);
    }

    [Fact]
    public void A_reused_buffer_never_gives_back_a_record_of_an_earlier_round_that_is_no_longer_on_disk()
    {
        var buffer = new RecordBuffer();
        JournalCodec.WriteDecision(buffer, _harness.Decision("a"));
        var location = new JournalLocation(1, buffer.Length, 0);
        var whole = Path.Combine(_harness.DataDirectory, "journal-1.log");
        var cut = Path.Combine(_harness.DataDirectory, "journal-2.log");
        File.WriteAllBytes(whole, buffer.WrittenSpan.ToArray());
        File.WriteAllBytes(cut, buffer.WrittenSpan[..(buffer.Length - 5)].ToArray());
        var buffers = new RunBuffers();
        var decisions = new List<ReadOnlyMemory<byte>?>();

        using (var file = File.OpenHandle(whole))
        {
            JournalReads.ReadDecisions([Due("a", location)], [file], decisions, buffers);
        }

        Assert.Equal(_harness.Decision("a"), DecisionEvent.Parser.ParseFrom(decisions[0]!.Value.Span));
        buffers.Reset();
        decisions.Clear();
        using (var file = File.OpenHandle(cut))
        {
            JournalReads.ReadDecisions([Due("a", location)], [file], decisions, buffers);
        }

        Assert.Null(decisions[0]);
    }

    private static DueJoin Due(string eventId, JournalLocation location) =>
        new(EventKey.Of(eventId), location, 0, RewardAggregation.Sum, 0, default);
}
