namespace Loops.Feedback.Tests;

internal static class JoinedReading
{
    /// <summary>Reads exactly <paramref name="count"/> joined records after <paramref name="afterSequence"/>, failing after the timeout.</summary>
    public static async Task<List<JoinedRecord>> TakeAsync(this IFeedbackStore store, long afterSequence, int count)
    {
        using var timeout = new CancellationTokenSource(StoreHarness.Timeout);
        var records = new List<JoinedRecord>(count);
        if (count == 0)
        {
            return records;
        }

        await foreach (var record in store.ReadJoinedAsync(afterSequence, timeout.Token))
        {
            records.Add(record);
            if (records.Count == count)
            {
                return records;
            }
        }

        throw new TimeoutException($"Read {records.Count} of {count} joined records before the timeout.");
    }

    /// <summary>Reads what is stored after <paramref name="afterSequence"/> up to the store's last joined sequence.</summary>
    public static Task<List<JoinedRecord>> TakeStoredAsync(this IFeedbackStore store, long afterSequence) =>
        store.TakeAsync(afterSequence, (int)Math.Max(0, store.GetStats().LastJoinedSequence - afterSequence));
}
