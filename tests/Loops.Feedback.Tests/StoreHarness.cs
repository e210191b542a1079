using Loops.Contracts.V1;
using Microsoft.Extensions.Time.Testing;

namespace Loops.Feedback.Tests;

/// <summary>A temporary data directory, a fake clock and helpers to open stores over them.</summary>
internal sealed class StoreHarness : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public StoreHarness()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "loops-feedback-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
    }

    public string DataDirectory { get; }

    public string FeedbackDirectory => Path.Combine(DataDirectory, "feedback");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ListLogger<EmbeddedFeedbackStore> Logger { get; } = new();

    public long NowUnixMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public EmbeddedFeedbackStoreOptions Options(long segmentBytes = 64L * 1024 * 1024, long retentionBytes = 1L << 30) => new()
    {
        DataDirectory = DataDirectory,
        SegmentBytes = segmentBytes,
        JoinedRetentionBytes = retentionBytes,

        // Rotations after twice the checkpoint's size, so that tests with a few hundred records see several.
        CheckpointSpacing = 2,

        // Rotations where the records put them, however busy the machine running the tests is.
        InlineBackgroundWork = true,
    };

    /// <summary>Writes a checkpoint of <paramref name="snapshot"/> and replays it into <paramref name="restored"/>.</summary>
    public static void Restore(FeedbackSnapshot snapshot, FeedbackState restored) =>
        JournalCodec.WriteCheckpoint(new RecordBuffer(), snapshot, int.MaxValue, written =>
        {
            var bytes = written.WrittenSpan;
            while (bytes.Length > 0)
            {
                var length = RecordFrame.ReadBodyLength(bytes);
                JournalCodec.Apply(bytes.Slice(RecordFrame.HeaderSize, length), restored, default);
                bytes = bytes[(RecordFrame.HeaderSize + length)..];
            }
        });

    public Task<EmbeddedFeedbackStore> OpenAsync(EmbeddedFeedbackStoreOptions? options = null) =>
        EmbeddedFeedbackStore.OpenAsync(options ?? Options(), Time, Logger, CancellationToken.None).WaitAsync(Timeout);

    public DecisionEvent Decision(string eventId, long windowMs = 1_000, double defaultReward = 0) => new()
    {
        EventId = eventId,
        Policy = "bonus",
        ModelVersion = 7,
        TimestampUnixMs = NowUnixMs,
        UserId = "user-" + eventId,
        Context = { new Feature { Namespace = "user", Name = "country", Category = "fr" } },
        Actions = { new Contracts.V1.Action { Id = "none" }, new Contracts.V1.Action { Id = "bonus-10", Cost = 10 } },
        Probabilities = { 0.25, 0.75 },
        ChosenIndex = 1,
        Exploratory = false,
        JoinDeadlineUnixMs = NowUnixMs + windowMs,
        DefaultReward = defaultReward,
    };

    public RewardEvent Reward(string eventId, double value) => new()
    {
        EventId = eventId,
        Value = value,
        TimestampUnixMs = NowUnixMs,
    };

    public string[] Files(string prefix) =>
        [.. Directory.EnumerateFiles(FeedbackDirectory, prefix + "-*").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>The number in a segment's file name (<c>journal-12.log</c>: 12).</summary>
    public static long NumberOf(string fileName) =>
        long.Parse(fileName[(fileName.IndexOf('-', StringComparison.Ordinal) + 1)..fileName.IndexOf('.', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits for something the store does in the background, failing after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - started > Timeout)
            {
                throw new TimeoutException("The condition did not hold before the timeout.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Copies the feedback directory's files (not the lock) into another harness's data directory.</summary>
    public void CopyFilesTo(StoreHarness other, Func<string, bool>? include = null)
    {
        Directory.CreateDirectory(other.FeedbackDirectory);
        foreach (var path in Directory.EnumerateFiles(FeedbackDirectory))
        {
            var name = Path.GetFileName(path);
            if (name != "lock" && (include is null || include(name)))
            {
                File.Copy(path, Path.Combine(other.FeedbackDirectory, name), overwrite: true);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
