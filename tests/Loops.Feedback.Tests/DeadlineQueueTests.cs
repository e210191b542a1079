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
