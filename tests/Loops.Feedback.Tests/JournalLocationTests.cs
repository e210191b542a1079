using System.Buffers.Binary;
using Google.Protobuf;
using Loops.Contracts;
using Loops.Contracts.V1;

namespace Loops.Feedback.Tests;

/// <summary>Pending decisions kept by where their records are in the journal, across rotations, restarts and crashes.</summary>
public sealed class JournalLocationTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Pending_decisions_survive_several_rotations_and_a_restart_with_their_bytes_and_responses_intact()
    {
        var options = _harness.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes);
        var decisions = new List<DecisionEvent>();
        await using (var store = await _harness.OpenAsync(options))
        {
            for (var index = 0; index < 200; index++)
            {
                var decision = _harness.Decision($"p{index}", windowMs: 60_000);
                // Records much larger than their checkpoint entries, so that 200 decisions span several rotations:
                // a checkpoint spaces the next rotation by eight times its own size.
                decision.UserId = new string('u', 1_000 + (index % 50));
                decisions.Add(decision);
                await store.RecordDecisionOnceAsync(decision, DecisionResponses.Of(decision), CancellationToken.None);
                await store.RecordRewardAsync(_harness.Reward(decision.EventId, index), CancellationToken.None);
            }

            Assert.True(_harness.Logger.Entries.Count(entry => entry.Message.Contains("Started journal segment", StringComparison.Ordinal)) >= 3);
            Assert.Equal(decisions[5], await store.FindPendingDecisionAsync("p5", CancellationToken.None));
            Assert.Equal(DecisionResponses.Of(decisions[6]), await store.RecordDecisionOnceAsync(decisions[6], new DecideResponse { ActionId = "other" }, CancellationToken.None));
        }

        await using var reopened = await _harness.OpenAsync(options);
        Assert.Equal(200, reopened.GetStats().PendingJoins);
        foreach (var index in new[] { 0, 1, 99, 150, 199 })
        {
            Assert.Equal(decisions[index], await reopened.FindPendingDecisionAsync($"p{index}", CancellationToken.None));
        }

        // The original response is made again from the journaled decision, so a retry after the restart still gets it.
        var retry = await reopened.RecordDecisionOnceAsync(decisions[7], new DecideResponse { ActionId = "other" }, CancellationToken.None);
        Assert.Equal(DecisionResponses.Of(decisions[7]), retry);
        Assert.Equal(1, reopened.GetStats().DuplicateDecisions);

        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var joined = await reopened.TakeAsync(0, 200);
        foreach (var record in joined)
        {
            var index = int.Parse(record.Event.Decision.EventId[1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(decisions[index], record.Event.Decision);
            Assert.Equal(index, record.Event.Reward);
        }

        Assert.Null(await reopened.FindPendingDecisionAsync("p5", CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_segment_is_kept_while_a_pending_decision_is_in_it_and_deleted_once_that_is_joined(bool inlineBackgroundWork)
    {
        // Not inline, segments are deleted on a thread of their own while the writer goes on.
        var options = _harness.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes);
        options.InlineBackgroundWork = inlineBackgroundWork;
        var longLived = _harness.Decision("long", windowMs: 120_000);
        var count = 0;
        await using (var store = await _harness.OpenAsync(options))
        {
            await store.RecordDecisionAsync(longLived, CancellationToken.None);

            // Checkpoints written in the background make fewer rotations the busier the machine is: decisions keep
            // coming until a checkpoint covers a segment after the long-lived decision's.
            while (count < 300 || (NewestCheckpoint() <= 2 && count < 5_000))
            {
                await store.RecordDecisionAsync(_harness.Decision($"s{count}", windowMs: 1_000), CancellationToken.None);
                count++;
            }

            _harness.Time.Advance(TimeSpan.FromSeconds(1));
            await store.TakeAsync(0, count);

            // Every segment the newest checkpoint covers goes, but the one the long-lived decision is in.
            await StoreHarness.WaitUntilAsync(() =>
            {
                var checkpoint = NewestCheckpoint();
                return checkpoint > 2 && _harness.Files("journal").All(name => name == "journal-1.log" || StoreHarness.NumberOf(name) >= checkpoint);
            });
            Assert.Contains("journal-1.log", _harness.Files("journal"));

            // The checkpoints the newest one replaced go too.
            await StoreHarness.WaitUntilAsync(() => _harness.Files("checkpoint").Length == 1);
        }

        await using var reopened = await _harness.OpenAsync(options);
        Assert.Equal(1, reopened.GetStats().PendingJoins);
        Assert.Contains("journal-1.log", _harness.Files("journal"));
        _harness.Time.Advance(TimeSpan.FromMinutes(2));
        var joined = Assert.Single(await reopened.TakeAsync(count, 1));
        Assert.Equal(longLived, joined.Event.Decision);

        // Deleted after its joined marker is written.
        await StoreHarness.WaitUntilAsync(() => !_harness.Files("journal").Contains("journal-1.log"));
    }

    private long NewestCheckpoint() => _harness.Files("checkpoint").Select(StoreHarness.NumberOf).DefaultIfEmpty(1).Max();

    [Fact]
    public async Task Memory_does_not_grow_with_the_bytes_of_pending_decisions()
    {
        await using var store = await _harness.OpenAsync();
        var payload = new string('x', 128 * 1024);
        await store.RecordDecisionAsync(_harness.Decision("warm-up", windowMs: 600_000), CancellationToken.None);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var index = 0; index < 400; index++)
        {
            var decision = _harness.Decision($"big{index}", windowMs: 600_000);
            decision.UserId = payload;
            await store.RecordDecisionAsync(decision, CancellationToken.None);
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;

        // 50 MB of decisions are pending; what stays in memory is where they are, not their bytes.
        Assert.Equal(401, store.GetStats().PendingJoins);
        Assert.True(grown < 16 * 1024 * 1024, $"{grown} bytes more after 400 decisions of 128 KB");
        var read = await store.FindPendingDecisionAsync("big399", CancellationToken.None);
        Assert.Equal(payload, read!.UserId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_crash_before_or_just_after_a_checkpoint_is_published_recovers_exactly(bool published)
    {
        var options = _harness.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes);
        await using (var store = await _harness.OpenAsync(options))
        {
            for (var index = 0; index < 150; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"a{index}", windowMs: index % 3 == 0 ? 10 : 600_000), CancellationToken.None);
                await store.RecordRewardAsync(_harness.Reward($"a{index}", index), CancellationToken.None);
                await store.RecordRewardAsync(_harness.Reward($"orphan{index}", 1), CancellationToken.None);
            }

            _harness.Time.Advance(TimeSpan.FromMilliseconds(10));
            await store.TakeAsync(0, 50);
        }

        // The files at a checkpoint: what the next run starts from.
        using var atCheckpoint = new StoreHarness();
        _harness.CopyFilesTo(atCheckpoint);
        var firstCheckpoints = atCheckpoint.Files("checkpoint");
        Assert.NotEmpty(firstCheckpoints);

        // The next run keeps every segment it writes (all its decisions stay pending), so its files together with the
        // first run's are what a crash before it published its checkpoints would have left.
        await using (var store = await _harness.OpenAsync(options))
        {
            for (var index = 0; index < 300; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"b{index}", windowMs: 600_000), CancellationToken.None);
                await store.RecordRewardAsync(_harness.Reward($"b{index}", index), CancellationToken.None);
                await store.RecordRewardAsync(_harness.Reward($"a{index % 150}", 100), CancellationToken.None);
            }

            await StoreHarness.WaitUntilAsync(() => !_harness.Files("checkpoint").SequenceEqual(firstCheckpoints));
        }

        using var crashed = new StoreHarness();
        atCheckpoint.CopyFilesTo(crashed);
        _harness.CopyFilesTo(crashed, name => published || !name.StartsWith("checkpoint-", StringComparison.Ordinal));
        var newest = _harness.Files("checkpoint")[^1];
        var torn = await File.ReadAllBytesAsync(Path.Combine(_harness.FeedbackDirectory, newest));
        await File.WriteAllBytesAsync(Path.Combine(crashed.FeedbackDirectory, newest + ".tmp"), torn[..(torn.Length / 2)]);

        var expected = await JoinEverythingAsync(_harness, options);
        crashed.Time.Advance(_harness.Time.GetUtcNow() - crashed.Time.GetUtcNow() - TimeSpan.FromMinutes(20));
        var recovered = await JoinEverythingAsync(crashed, crashed.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes));

        Assert.Equal(expected.Stats, recovered.Stats);
        Assert.Equal(expected.Joined, recovered.Joined);
        Assert.DoesNotContain(crashed.Files("checkpoint"), name => name.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_torn_tail_of_the_segment_being_left_is_truncated_and_the_new_empty_segment_appended_to()
    {
        await using (var store = await _harness.OpenAsync())
        {
            for (var index = 0; index < 10; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"e{index}"), CancellationToken.None);
            }
        }

        // Killed while writing the last batch of a segment, right after the next one was created.
        var journal = Path.Combine(_harness.FeedbackDirectory, "journal-1.log");
        using (var file = File.OpenWrite(journal))
        {
            file.SetLength(file.Length - 3);
        }

        await File.WriteAllBytesAsync(Path.Combine(_harness.FeedbackDirectory, "journal-2.log"), []);
        await using (var reopened = await _harness.OpenAsync())
        {
            Assert.Equal(9, reopened.GetStats().PendingJoins);
            Assert.Contains(_harness.Logger.Entries, entry => entry.Message.Contains("Truncated", StringComparison.Ordinal));
            await reopened.RecordDecisionAsync(_harness.Decision("after"), CancellationToken.None);
        }

        Assert.True(new FileInfo(Path.Combine(_harness.FeedbackDirectory, "journal-2.log")).Length > 0);
        await using var third = await _harness.OpenAsync();
        Assert.Equal(10, third.GetStats().PendingJoins);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var joined = await third.TakeAsync(0, 10);
        Assert.Contains(joined, record => record.Event.Decision.EventId == "after");
        Assert.DoesNotContain(joined, record => record.Event.Decision.EventId == "e9");
    }

    [Fact]
    public async Task A_decision_journaled_with_its_response_by_an_earlier_version_answers_its_retry_with_that_response()
    {
        var decision = _harness.Decision("kept", windowMs: 60_000);
        var stored = new DecideResponse { EventId = "kept", ActionId = "bonus-10", Probability = 0.75, ModelVersion = 3 };
        var encodedDecision = decision.ToByteArray();
        var encodedResponse = stored.ToByteArray();
        var buffer = new RecordBuffer();
        var body = buffer.BeginFrame(5 + encodedDecision.Length + encodedResponse.Length);
        body[0] = (byte)JournalRecordKind.DecisionWithResponse;
        BinaryPrimitives.WriteInt32LittleEndian(body[1..], encodedDecision.Length);
        encodedDecision.CopyTo(body[5..]);
        encodedResponse.CopyTo(body[(5 + encodedDecision.Length)..]);
        buffer.EndFrame();
        Directory.CreateDirectory(_harness.FeedbackDirectory);
        await File.WriteAllBytesAsync(Path.Combine(_harness.FeedbackDirectory, "journal-1.log"), buffer.WrittenSpan.ToArray());

        await using var store = await _harness.OpenAsync();
        var retry = await store.RecordDecisionOnceAsync(decision, new DecideResponse { ActionId = "other" }, CancellationToken.None);

        Assert.Equal(stored, retry);
        Assert.Equal(decision, await store.FindPendingDecisionAsync("kept", CancellationToken.None));
    }

    [Fact]
    public async Task A_journal_of_the_previous_version_is_recovered_and_its_decisions_read_from_its_checkpoint()
    {
        // The previous version's newest segment starts with a checkpoint holding the pending decisions' bytes.
        var kept = _harness.Decision("kept", windowMs: 5_000);
        var later = _harness.Decision("later", windowMs: 5_000);
        var buffer = new RecordBuffer();
        var start = buffer.BeginFrame(9);
        start[0] = (byte)JournalRecordKind.CheckpointStart;
        BinaryPrimitives.WriteInt64LittleEndian(start[1..], 5);
        buffer.EndFrame();
        var encoded = kept.ToByteArray();
        var pending = buffer.BeginFrame(29 + encoded.Length);
        pending[0] = (byte)JournalRecordKind.PendingDecisionTally;
        BinaryPrimitives.WriteDoubleLittleEndian(pending[1..], 2);
        BinaryPrimitives.WriteInt32LittleEndian(pending[9..], 1);
        BinaryPrimitives.WriteDoubleLittleEndian(pending[13..], 2);
        BinaryPrimitives.WriteDoubleLittleEndian(pending[21..], 2);
        encoded.CopyTo(pending[29..]);
        buffer.EndFrame();
        buffer.BeginFrame(1)[0] = (byte)JournalRecordKind.CheckpointEnd;
        buffer.EndFrame();
        JournalCodec.WriteDecision(buffer, later);
        Directory.CreateDirectory(_harness.FeedbackDirectory);
        await File.WriteAllBytesAsync(Path.Combine(_harness.FeedbackDirectory, "journal-3.log"), buffer.WrittenSpan.ToArray());
        await File.WriteAllBytesAsync(Path.Combine(_harness.FeedbackDirectory, "journal-2.log"), [1, 2, 3]);

        var options = _harness.Options(segmentBytes: EmbeddedFeedbackStoreOptions.MinSegmentBytes);
        await using (var store = await _harness.OpenAsync(options))
        {
            Assert.Equal(2, store.GetStats().PendingJoins);
            Assert.Equal(5, store.GetStats().LastJoinedSequence);
            Assert.DoesNotContain("journal-2.log", _harness.Files("journal"));
            Assert.Equal(kept, await store.FindPendingDecisionAsync("kept", CancellationToken.None));

            // Rotations past it: checkpoints then refer to the old checkpoint's record.
            for (var index = 0; index < 100; index++)
            {
                await store.RecordDecisionAsync(_harness.Decision($"x{index}", windowMs: 5_000), CancellationToken.None);
            }

            await StoreHarness.WaitUntilAsync(() => _harness.Files("checkpoint").Length > 0);
        }

        await using var reopened = await _harness.OpenAsync(options);
        Assert.Equal(102, reopened.GetStats().PendingJoins);
        Assert.Contains("journal-3.log", _harness.Files("journal"));
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        var joined = (await reopened.TakeAsync(5, 102)).ToDictionary(record => record.Event.Decision.EventId, record => record.Event);
        Assert.Equal(kept, joined["kept"].Decision);
        Assert.Equal(2, joined["kept"].Reward);
        Assert.Equal(later, joined["later"].Decision);
    }

    private static async Task<(string Stats, List<string> Joined)> JoinEverythingAsync(StoreHarness harness, EmbeddedFeedbackStoreOptions options)
    {
        await using var store = await harness.OpenAsync(options);
        var stats = store.GetStats();
        var summary = $"{stats.PendingJoins} pending, {stats.LiveOrphans} orphans, last joined {stats.LastJoinedSequence}";
        harness.Time.Advance(TimeSpan.FromMinutes(20));
        var joined = await store.TakeAsync(stats.LastJoinedSequence, (int)stats.PendingJoins);
        Assert.Equal(
            Enumerable.Range((int)stats.LastJoinedSequence + 1, (int)stats.PendingJoins).Select(sequence => (long)sequence),
            joined.Select(record => record.Sequence));

        // Decisions with the same deadline are joined in no particular order.
        return (summary, [.. joined.Select(record => record.Event.ToString()).Order(StringComparer.Ordinal)]);
    }
}
