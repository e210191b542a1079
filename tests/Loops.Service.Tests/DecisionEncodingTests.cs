using System.Buffers;
using Google.Protobuf;
using Loops.Contracts.V1;
using Loops.Service.Decisions;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Service.Tests;

/// <summary>A decision encoded with its context and actions copied from the request's bytes is the decision itself.</summary>
public sealed class DecisionEncodingTests
{
    [Theory]
    [InlineData(1, true, false)]
    [InlineData(2, false, false)]
    [InlineData(3, true, true)]
    [InlineData(4, false, true)]
    public void Spliced_encoding_decodes_to_the_whole_decision(int seed, bool actionsFromRequest, bool split)
    {
        for (var round = 0; round < 50; round++)
        {
            var random = new Random(seed * 1000 + round);
            var request = Request(random, withActions: actionsFromRequest);
            var catalogue = Request(random, withActions: true).Actions;
            var actions = actionsFromRequest ? request.Actions : catalogue;

            // Unknown top-level fields of every wire type the walker must step over.
            var bytes = request.ToByteArray()
                .Concat(new byte[] { 0xA0, 0x06, 0x96, 0x01, 0xA9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0xAD, 0x06, 1, 2, 3, 4 })
                .ToArray();
            var parsed = DecideRequest.Parser.ParseFrom(bytes);

            var expected = Head(round);
            expected.Context.Add(parsed.Context);
            expected.Actions.Add(actions);

            var decision = Head(round);
            var encoded = DecisionEncoding.Encode(
                decision, parsed.Context, actions, actionsFromRequest, split ? Split(bytes, bytes.Length / 2) : new ReadOnlySequence<byte>(bytes), out var length);
            try
            {
                Assert.Equal(expected, DecisionEvent.Parser.ParseFrom(encoded, 0, length));
                Assert.Equal(expected, decision);
            }
            finally
            {
                DecisionEncoding.Buffers.Return(encoded);
            }
        }
    }

    [Fact]
    public void Without_request_bytes_the_decision_is_encoded_whole()
    {
        var request = Request(new Random(7), withActions: true);
        var decision = Head(1);

        var encoded = DecisionEncoding.Encode(decision, request.Context, request.Actions, true, ReadOnlySequence<byte>.Empty, out var length);

        Assert.Equal(decision.ToByteArray(), encoded.AsSpan(0, length).ToArray());
        Assert.Equal(request.Context, decision.Context);
        DecisionEncoding.Buffers.Return(encoded);
    }

    private static DecisionEvent Head(int round) => new()
    {
        EventId = "e" + round,
        Policy = "offers",
        ModelVersion = round,
        ChosenIndex = 1,
        Probabilities = { 0.25, 0.75 },
        Scores = { 1.5, -2 },
        JoinDeadlineUnixMs = 1_000 + round,
        Control = round % 2 == 0,
    };

    private static DecideRequest Request(Random random, bool withActions)
    {
        var request = new DecideRequest { Policy = "offers", EventId = "e", UserId = "u" + random.Next(100) };
        for (var i = random.Next(30); i > 0; i--)
        {
            request.Context.Add(Feature(random, i));
        }

        for (var i = withActions ? random.Next(1, 12) : 0; i > 0; i--)
        {
            var action = new Action { Id = "a" + i, Cost = random.Next(5) };
            for (var j = random.Next(4); j > 0; j--)
            {
                action.Features.Add(Feature(random, j));
            }

            request.Actions.Add(action);
        }

        request.ExcludedActionIds.Add("a9");
        return request;
    }

    private static Feature Feature(Random random, int i) => random.Next(3) switch
    {
        0 => new Feature { Namespace = "player", Name = "n" + i, Number = random.NextDouble() * 1000 },
        1 => new Feature { Namespace = "player", Name = "c" + i, Category = "v" + random.Next(5) + new string('é', random.Next(100)) },
        _ => new Feature { Namespace = "", Name = "flag" + i },
    };

    private static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at), 0);
        var last = new Segment(bytes.AsMemory(at), at);
        first.SetNext(last);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
