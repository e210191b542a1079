using System.Runtime.InteropServices;

namespace Loops.Feedback.Tests;

public sealed class RunBuffersTests
{
    [Fact]
    public void Runs_are_packed_into_chunks_that_are_reused_after_a_reset()
    {
        var buffers = new RunBuffers();

        var first = Segment(buffers.Take(100));
        var second = Segment(buffers.Take(200));
        var next = Segment(buffers.Take(RunBuffers.ChunkBytes - 100));
        buffers.Reset();
        var again = Segment(buffers.Take(50));

        Assert.Same(first.Array, second.Array);
        Assert.Equal(100, second.Offset);
        Assert.NotSame(first.Array, next.Array);
        Assert.Equal(0, next.Offset);
        Assert.Same(first.Array, again.Array);
        Assert.Equal(0, again.Offset);
    }

    [Fact]
    public void A_run_longer_than_a_chunk_gets_an_array_of_its_own()
    {
        var buffers = new RunBuffers();

        var large = Segment(buffers.Take(RunBuffers.ChunkBytes + 1));
        buffers.Reset();

        Assert.Equal(RunBuffers.ChunkBytes + 1, large.Count);
        Assert.NotSame(large.Array, Segment(buffers.Take(RunBuffers.ChunkBytes + 1)).Array);
    }

    private static ArraySegment<byte> Segment(Memory<byte> memory) =>
        MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment : throw new InvalidOperationException("not an array");
}
