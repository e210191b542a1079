using FsCheck.Xunit;

namespace Loops.Feedback.Tests;

public sealed class JoinedIdsTests
{
    [Property]
    public bool Remembers_what_a_set_and_a_queue_would_whatever_the_order_of_changes(short[] operations, byte max)
    {
        // A non-negative operation joins that id now; a negative one expires everything joined up to |operation| steps ago.
        var ids = new JoinedIds();
        var set = new HashSet<ulong>();
        var order = new Queue<RecentlyJoined>();
        var now = 0L;
        foreach (var operation in operations)
        {
            now++;
            if (operation >= 0)
            {
                var hash = (ulong)operation * 0x9E3779B97F4A7C15;
                var added = set.Add(hash);
                if (ids.Add(hash, now, max) != added)
                {
                    return false;
                }

                if (added)
                {
                    order.Enqueue(new RecentlyJoined(hash, now));
                }

                while (order.Count > max)
                {
                    set.Remove(order.Dequeue().EventIdHash);
                }
            }
            else
            {
                var cutoff = now + operation;
                ids.ExpireUpTo(cutoff);
                while (order.TryPeek(out var oldest) && oldest.JoinedAtUnixMs <= cutoff)
                {
                    set.Remove(order.Dequeue().EventIdHash);
                }
            }
        }

        return ids.Count == order.Count
            && ids.Snapshot().SequenceEqual(order)
            && set.All(ids.Contains);
    }

    [Fact]
    public void A_snapshot_keeps_what_it_saw_while_ids_come_and_go_over_many_chunks()
    {
        var ids = new JoinedIds();
        const int max = 30_000;
        for (var i = 1; i <= 50_000; i++)
        {
            ids.Add((ulong)i, i, max);
        }

        var snapshot = ids.Snapshot();
        var seen = Enumerable.Range(20_001, 30_000).Select(i => new RecentlyJoined((ulong)i, i)).ToArray();
        for (var i = 50_001; i <= 100_000; i++)
        {
            ids.Add((ulong)i, i, max);
        }

        ids.ExpireUpTo(90_000);

        Assert.Equal(seen, snapshot);
        Assert.Equal(10_000, ids.Count);
        Assert.False(ids.Contains(90_000));
        Assert.True(ids.Contains(90_001));
        Assert.Equal(Enumerable.Range(90_001, 10_000).Select(i => new RecentlyJoined((ulong)i, i)), ids.Snapshot());
    }

    [Fact]
    public void Forgetting_every_id_leaves_an_empty_set_that_fills_again()
    {
        var ids = new JoinedIds();
        ids.Add(1, 1, 10);
        ids.Add(2, 2, 10);
        var before = ids.Snapshot();

        ids.ExpireUpTo(2);
        Assert.Equal(0, ids.Count);
        Assert.Empty(ids.Snapshot());
        Assert.True(ids.Add(3, 3, 0));
        Assert.False(ids.Contains(3));
        Assert.True(ids.Add(4, 4, 10));

        Assert.Equal([new RecentlyJoined(1, 1), new RecentlyJoined(2, 2)], before);
        Assert.Equal([new RecentlyJoined(4, 4)], ids.Snapshot());
    }
}
