using System.Collections.Concurrent;
using Loops.Service.Decisions;

namespace Loops.Service.Tests;

/// <summary>Event ids the service makes: the shape of a Guid's "N" form, and never the same twice.</summary>
public sealed class EventIdsTests
{
    [Fact]
    public void Ids_are_32_lowercase_hex_digits()
    {
        for (var i = 0; i < 1000; i++)
        {
            var id = EventIds.New();
            Assert.Equal(32, id.Length);
            Assert.All(id, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c), id));
        }
    }

    [Fact]
    public async Task Ids_from_many_threads_are_distinct_across_buffer_refills()
    {
        var ids = new ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            // Several times the per-thread buffer, so refills are crossed.
            for (var i = 0; i < 2000; i++)
            {
                ids.Add(EventIds.New());
            }
        }));
        await Task.WhenAll(writers);
        Assert.Equal(8000, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
