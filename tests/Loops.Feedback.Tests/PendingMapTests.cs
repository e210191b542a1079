namespace Loops.Feedback.Tests;

public sealed class PendingMapTests
{
    [Fact]
    public void Copies_reuse_their_array_while_it_fits_and_shrink_it_when_far_too_large()
    {
        var map = new PendingMap();
        for (var index = 0; index < 1_000; index++)
        {
            map.GetValueRefOrAddDefault(EventKey.Of($"e{index}"), out _).DeadlineUnixMs = index;
        }

        KeyValuePair<EventKey, PendingDecision>[] copy = [];
        Assert.Equal(1_000, map.CopyTo(ref copy));
        var first = copy;
        Assert.Equal(Enumerable.Range(0, 1_000).Select(index => (long)index), copy.Take(1_000).Select(entry => entry.Value.DeadlineUnixMs).Order());
        Assert.Equal(EventKey.Of("e7"), copy.Take(1_000).Single(entry => entry.Value.DeadlineUnixMs == 7).Key);

        for (var index = 0; index < 600; index++)
        {
            map.Remove(EventKey.Of($"e{index}"), out _);
        }

        Assert.Equal(400, map.CopyTo(ref copy));
        Assert.Same(first, copy);

        for (var index = 600; index < 990; index++)
        {
            map.Remove(EventKey.Of($"e{index}"), out _);
        }

        Assert.Equal(10, map.CopyTo(ref copy));
        Assert.NotSame(first, copy);
        Assert.Equal(Enumerable.Range(990, 10).Select(index => (long)index), copy.Take(10).Select(entry => entry.Value.DeadlineUnixMs).Order());
    }
}
