namespace Loops.Feedback.Tests;

public sealed class PendingBytesTests
{
    [Fact]
    public void Both_byte_strings_read_back_as_appended()
    {
        var bytes = new PendingBytes();
        var slice = bytes.Append(lane: 1, [1, 2, 3], [9, 8]);
        var empty = bytes.Append(lane: 1, [4], []);

        Assert.Equal([1, 2, 3], bytes.First(slice).ToArray());
        Assert.Equal([9, 8], bytes.Second(slice).ToArray());
        Assert.Equal([4], bytes.First(empty).ToArray());
        Assert.True(bytes.Second(empty).IsEmpty);
    }

    [Fact]
    public void A_slab_is_freed_once_all_of_its_records_are_released_and_it_is_no_longer_current()
    {
        var bytes = new PendingBytes();
        var record = new byte[PendingBytes.SlabBytes / 4];
        var slices = Enumerable.Range(0, 8).Select(_ => bytes.Append(lane: 1, record, [])).ToList();
        Assert.Equal(2, bytes.SlabCount);

        foreach (var slice in slices.Take(4))
        {
            bytes.Release(slice);
        }

        Assert.Equal(1, bytes.SlabCount);
        Assert.Equal(record, bytes.First(slices[7]).ToArray());
    }

    [Fact]
    public void Lanes_fill_slabs_of_their_own()
    {
        var bytes = new PendingBytes();
        var shortLived = bytes.Append(lane: 1_000, [1], []);
        var longLived = bytes.Append(lane: 3_600_000, [2], []);

        Assert.NotEqual(shortLived.Slab, longLived.Slab);
    }

    [Fact]
    public void A_record_larger_than_a_slab_gets_a_slab_of_its_own()
    {
        var bytes = new PendingBytes();
        var small = bytes.Append(lane: 1, [1], []);
        var large = new byte[PendingBytes.SlabBytes + 10];
        large[^1] = 7;
        var big = bytes.Append(lane: 1, large, [5]);
        var next = bytes.Append(lane: 1, [3], []);

        Assert.Equal(small.Slab, next.Slab);
        Assert.Equal(7, bytes.First(big)[^1]);
        Assert.Equal([5], bytes.Second(big).ToArray());
        bytes.Release(big);
        Assert.Equal(1, bytes.SlabCount);
    }

    [Fact]
    public void Released_slabs_are_not_reused_while_a_snapshot_reads_them()
    {
        var bytes = new PendingBytes();
        var record = new byte[PendingBytes.SlabBytes / 2];
        record[0] = 42;
        var first = bytes.Append(lane: 1, record, []);
        var second = bytes.Append(lane: 1, record, []);
        bytes.Append(lane: 1, new byte[10], []); // a new current slab: the first one can be freed
        bytes.BeginSnapshot();

        bytes.Release(first);
        bytes.Release(second);
        var overwriting = new byte[PendingBytes.SlabBytes];
        bytes.Append(lane: 2, overwriting, []);

        Assert.Equal(42, bytes.First(first)[0]);
        bytes.EndSnapshot();
        Assert.Equal(2, bytes.SlabCount);
    }
}
