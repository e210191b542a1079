using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Feedback.Tests;

public sealed class SharedParsesTests
{
    [Fact]
    public void A_sequence_decoded_once_is_shared_and_a_later_one_in_its_slot_replaces_it()
    {
        var parses = new SharedParses();
        var first = new JoinedEvent { Reward = 1 }.ToByteArray();
        var later = new JoinedEvent { Reward = 2 }.ToByteArray();

        var a = parses.Parse(7, first);
        var b = parses.Parse(7, first);
        var c = parses.Parse(7 + 4096, later);

        Assert.Same(a, b);
        Assert.Equal(2, c.Reward);
        Assert.NotSame(a, parses.Parse(7, first));
    }
}
