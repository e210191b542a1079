namespace Loops.Feedback.Tests;

public sealed class EventKeyMapTests
{
    [Fact]
    public void A_snapshot_holds_every_entry_of_the_moment_it_was_taken()
    {
        var map = MapOf(1_000);

        Assert.Equal(1_000, map.Freeze());

        var entries = FrozenEntries(map);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(index => (long)index), entries.Select(entry => entry.Value.DeadlineUnixMs).Order());
        Assert.Equal(EventKey.Of("e7"), entries.Single(entry => entry.Value.DeadlineUnixMs == 7).Key);
    }

    [Fact]
    public void Changes_after_a_snapshot_do_not_reach_it_and_reach_the_next()
    {
        var map = MapOf(3_000);
        map.Freeze();

        // Every kind of change, in shards copied before the change and after it.
        var firstShards = Enumerable.Range(0, EventKeyMap<PendingDecision>.ShardCount / 2).Select(shard => map.FrozenShard(shard)).Sum(shard => shard.Count);
        for (var index = 0; index < 500; index++)
        {
            map.GetValueRefOrNullRef(EventKey.Of($"e{index}")).DeadlineUnixMs = -1;
            map.Remove(EventKey.Of($"e{index + 500}"), out _);
            map.GetValueRefOrAddDefault(EventKey.Of($"new{index}"), out _).DeadlineUnixMs = 10_000 + index;
        }

        var frozen = FrozenEntries(map);
        Assert.Equal(3_000, frozen.Count);
        Assert.Equal(Enumerable.Range(0, 3_000).Select(index => (long)index), frozen.Select(entry => entry.Value.DeadlineUnixMs).Order());
        Assert.InRange(firstShards, 1, 2_999);

        Assert.Equal(3_000, map.Freeze());
        var next = FrozenEntries(map);
        Assert.Equal(500, next.Count(entry => entry.Value.DeadlineUnixMs == -1));
        Assert.DoesNotContain(next, entry => entry.Key == EventKey.Of("e700"));
        Assert.Contains(next, entry => entry.Key == EventKey.Of("new499") && entry.Value.DeadlineUnixMs == 10_499);
    }

    [Fact]
    public void A_snapshot_of_a_grown_map_gets_larger_copies()
    {
        var map = MapOf(100);
        map.Freeze();
        Assert.Equal(100, FrozenEntries(map).Count);

        for (var index = 100; index < 20_000; index++)
        {
            map.GetValueRefOrAddDefault(EventKey.Of($"e{index}"), out _).DeadlineUnixMs = index;
        }

        Assert.Equal(20_000, map.Freeze());
        Assert.Equal(20_000, FrozenEntries(map).Select(entry => entry.Key).Distinct().Count());
    }

    [Fact]
    public void Copy_arrays_readied_ahead_are_used_by_the_next_snapshot()
    {
        // Enough entries for every shard to hold some: an empty shard needs no array.
        var map = MapOf(20_000);
        List<(int Shard, int Length)> grow = [];
        map.CopiesToGrow(grow);
        Assert.Equal(EventKeyMap<PendingDecision>.ShardCount, grow.Count);

        var installed = new Dictionary<int, KeyValuePair<EventKey, PendingDecision>[]>();
        foreach (var (shard, length) in grow)
        {
            installed[shard] = new KeyValuePair<EventKey, PendingDecision>[length];
            map.InstallCopy(shard, installed[shard]);
        }

        grow.Clear();
        map.CopiesToGrow(grow);
        Assert.Empty(grow);

        map.Freeze();
        Assert.All(Enumerable.Range(0, EventKeyMap<PendingDecision>.ShardCount), shard => Assert.Same(installed[shard], map.FrozenShard(shard).Array));
        Assert.Equal(20_000, FrozenEntries(map).Count);

        // A smaller array never replaces a larger one.
        map.InstallCopy(0, new KeyValuePair<EventKey, PendingDecision>[1]);
        Assert.Same(installed[0], map.FrozenShard(0).Array);
    }

    [Fact]
    public void Empty_shards_get_no_copy_array_readied()
    {
        var map = MapOf(3);
        List<(int Shard, int Length)> grow = [];

        map.CopiesToGrow(grow);

        Assert.InRange(grow.Count, 1, 3);
    }

    private static List<KeyValuePair<EventKey, PendingDecision>> FrozenEntries(EventKeyMap<PendingDecision> map) =>
        [.. Enumerable.Range(0, EventKeyMap<PendingDecision>.ShardCount).SelectMany(shard => map.FrozenShard(shard))];

    private static EventKeyMap<PendingDecision> MapOf(int count)
    {
        var map = new EventKeyMap<PendingDecision>();
        for (var index = 0; index < count; index++)
        {
            map.GetValueRefOrAddDefault(EventKey.Of($"e{index}"), out _).DeadlineUnixMs = index;
        }

        return map;
    }
}
