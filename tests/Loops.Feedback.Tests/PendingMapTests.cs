namespace Loops.Feedback.Tests;

public sealed class PendingMapTests
{
    [Fact]
    public void Copies_hold_every_entry_and_reuse_a_reserved_array()
    {
        var map = MapOf(1_000);
        var copy = PendingMap.Reserve([], map.Count);
        var reserved = copy;

        Assert.Equal(1_000, map.CopyTo(ref copy));
        Assert.Same(reserved, copy);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(index => (long)index), copy.Take(1_000).Select(entry => entry.Value.DeadlineUnixMs).Order());
        Assert.Equal(EventKey.Of("e7"), copy.Take(1_000).Single(entry => entry.Value.DeadlineUnixMs == 7).Key);
    }

    [Fact]
    public void A_copy_into_an_array_too_small_gets_a_larger_one()
    {
        var map = MapOf(3_000);
        var copy = PendingMap.Reserve([], 10);

        Assert.Equal(3_000, map.CopyTo(ref copy));
        Assert.True(copy.Length >= 3_000);
        Assert.Equal(3_000, copy.Take(3_000).Select(entry => entry.Key).Distinct().Count());
    }

    [Fact]
    public void Reserving_keeps_an_array_that_fits_and_replaces_one_too_small_or_far_too_large()
    {
        var first = PendingMap.Reserve([], 100_000);
        Assert.True(first.Length >= 100_000);
        Assert.True(PendingMap.Fits(first, 60_000));
        Assert.Same(first, PendingMap.Reserve(first, 60_000));

        Assert.False(PendingMap.Fits(first, 200_000));
        var larger = PendingMap.Reserve(first, 200_000);
        Assert.True(larger.Length >= 200_000);

        Assert.False(PendingMap.Fits(larger, 1_000));
        Assert.True(PendingMap.Reserve(larger, 1_000).Length < larger.Length / 4);
    }

    private static PendingMap MapOf(int count)
    {
        var map = new PendingMap();
        for (var index = 0; index < count; index++)
        {
            map.GetValueRefOrAddDefault(EventKey.Of($"e{index}"), out _).DeadlineUnixMs = index;
        }

        return map;
    }
}
