using FsCheck.Xunit;

namespace Loops.Feedback.Tests;

public sealed class DeadlineQueueTests
{
    [Property]
    public bool Keys_come_out_earliest_deadline_first_whatever_the_order_of_changes(int[] operations)
    {
        // A non-negative operation queues that deadline; a negative one takes the earliest out.
        var queue = new DeadlineQueue();
        var reference = new PriorityQueue<long, long>();
        foreach (var operation in operations)
        {
            if (operation >= 0)
            {
                queue.Enqueue(EventKey.Of($"e{operation}"), operation);
                reference.Enqueue(operation, operation);
            }
            else if (reference.Count > 0)
            {
                queue.TryPeek(out _, out var deadline);
                if (deadline != reference.Dequeue())
                {
                    return false;
                }

                queue.Dequeue();
            }
        }

        return queue.Count == reference.Count;
    }

    [Property]
    public bool Keys_of_many_reward_windows_come_out_earliest_deadline_first(byte[] windows, bool[] takes)
    {
        // Each decision's deadline is its time plus one of up to 256 windows (policies), and every so often the clock
        // steps back.
        var queue = new DeadlineQueue();
        var reference = new PriorityQueue<long, long>();
        var now = 1_000L;
        for (var i = 0; i < windows.Length; i++)
        {
            now += i % 17 == 16 ? -50 : 1;
            var deadline = now + (windows[i] * 10L);
            queue.Enqueue(EventKey.Of($"e{i}"), deadline);
            reference.Enqueue(deadline, deadline);
            if (i < takes.Length && takes[i] && !Takes(queue, reference))
            {
                return false;
            }
        }

        while (reference.Count > 0)
        {
            if (!Takes(queue, reference))
            {
                return false;
            }
        }

        return queue.Count == 0 && !queue.TryPeek(out _, out _);
    }

    [Fact]
    public void Keys_queued_in_order_over_many_chunks_come_out_in_order()
    {
        var queue = new DeadlineQueue();
        for (var i = 0; i < 20_000; i++)
        {
            queue.Enqueue(EventKey.Of($"e{i}"), i / 3);
        }

        for (var i = 0; i < 20_000; i++)
        {
            Assert.True(queue.TryPeek(out _, out var deadline));
            Assert.Equal(i / 3, deadline);
            queue.Dequeue();
        }

        Assert.Equal(0, queue.Count);
    }

    private static bool Takes(DeadlineQueue queue, PriorityQueue<long, long> reference)
    {
        queue.TryPeek(out _, out var deadline);
        queue.Dequeue();
        return deadline == reference.Dequeue() && queue.Count == reference.Count;
    }

    [Fact]
    public void A_queue_of_several_chunks_drains_in_order_and_can_be_filled_again()
    {
        var queue = new DeadlineQueue();
        var random = new Random(7);
        var deadlines = Enumerable.Range(0, 50_000).Select(_ => (long)random.Next(1_000_000)).ToArray();
        foreach (var deadline in deadlines)
        {
            queue.Enqueue(EventKey.Of($"e{deadline}"), deadline);
        }

        for (var round = 0; round < 2; round++)
        {
            var drained = new List<long>();
            while (queue.TryPeek(out var key, out var deadline))
            {
                Assert.Equal(EventKey.Of($"e{deadline}"), key);
                drained.Add(deadline);
                queue.Dequeue();
            }

            Assert.Equal(deadlines.Order(), drained);
            foreach (var deadline in deadlines)
            {
                queue.Enqueue(EventKey.Of($"e{deadline}"), deadline);
            }
        }

        Assert.Equal(deadlines.Length, queue.Count);
    }

    [Fact]
    public void Taking_from_an_empty_queue_is_refused()
    {
        var queue = new DeadlineQueue();

        Assert.False(queue.TryPeek(out _, out _));
        Assert.Throws<InvalidOperationException>(queue.Dequeue);
    }
}
