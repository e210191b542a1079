using System.Buffers;
using FsCheck;
using FsCheck.Xunit;
using Google.Protobuf;
using Loops.Contracts;
using Loops.Contracts.V1;
using Action = Loops.Contracts.V1.Action;

namespace Loops.Core.Tests;

/// <summary>The server's DecideRequest decoder gives exactly what the generated parser gives, errors included.</summary>
public sealed class DecideRequestDecoderTests
{
    private static readonly string[] Words = ["", "player", "offer", "country", "FR", "é", "名前", "a b", "x\u0000y", new string('n', 70)];

    [Property(MaxTest = 300)]
    public bool Decodes_what_the_generated_parser_decodes(int seed, byte split)
    {
        var bytes = Build(new Random(seed)).ToByteArray();
        var expected = DecideRequest.Parser.ParseFrom(bytes);
        return expected.Equals(DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(bytes)))
            && expected.Equals(DecideRequestDecoder.Decode(Split(bytes, split % (bytes.Length + 1))));
    }

    [Property(MaxTest = 500)]
    public bool Damaged_bytes_get_the_generated_parsers_result_or_error(int seed, byte position, byte value, bool truncate) =>
        AgreeOnDamagedBytes(
            Build(new Random(seed)).ToByteArray(),
            position,
            value,
            truncate,
            bytes => DecideRequest.Parser.ParseFrom(bytes),
            bytes => DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(bytes)));

    /// <summary>Whether both parsers give equal messages, or both fail, on the bytes with one byte changed or cut there.</summary>
    internal static bool AgreeOnDamagedBytes(
        byte[] bytes, int position, byte value, bool truncate, Func<byte[], IMessage> generated, Func<byte[], IMessage> decoder)
    {
        if (bytes.Length == 0)
        {
            return true;
        }

        var index = position % bytes.Length;
        bytes = truncate ? bytes[..index] : bytes.ToArray();
        if (!truncate)
        {
            bytes[index] = value;
        }

        var expected = Attempt(() => generated(bytes));
        var actual = Attempt(() => decoder(bytes));
        return expected.Error == actual.Error && Equals(expected.Message, actual.Message);
    }

    [Fact]
    public void Features_and_actions_repeated_from_request_to_request_are_shared_and_others_are_not()
    {
        var first = new DecideRequest { Policy = "bonus", EventId = "e1" };
        first.Context.Add(new Feature { Namespace = "player", Name = "country", Category = "FR" });
        first.Context.Add(new Feature { Namespace = "player", Name = "balance", Number = 12.5 });
        first.Actions.Add(new Action { Id = "spins", Cost = 2, Features = { new Feature { Namespace = "offer", Name = "kind", Category = "spins" } } });
        var second = first.Clone();
        second.EventId = "e2";
        second.Context[1] = new Feature { Namespace = "player", Name = "balance", Number = 40 };

        var a = DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(first.ToByteArray()));
        var b = DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(second.ToByteArray()));

        Assert.Equal(first, a);
        Assert.Equal(second, b);
        Assert.Same(a.Context[0], b.Context[0]);
        Assert.Same(a.Actions[0], b.Actions[0]);
        Assert.NotSame(a.Context[1], b.Context[1]);
        Assert.NotSame(a.Context, b.Context);
    }

    [Fact]
    public void Unknown_fields_are_kept()
    {
        var request = Build(new Random(1));
        var bytes = request.ToByteArray().Concat(new byte[] { 0xA0, 0x06, 0x2A }).ToArray(); // field 100, varint 42

        var decoded = DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(DecideRequest.Parser.ParseFrom(bytes), decoded);
        Assert.Equal(bytes, decoded.ToByteArray());
    }

    [Fact]
    public void Invalid_utf8_is_decoded_as_the_generated_parser_does()
    {
        var bytes = new DecideRequest { Policy = "p", Context = { new Feature { Namespace = "n", Name = "AB" } } }.ToByteArray();
        var name = Array.IndexOf(bytes, (byte)'A');
        bytes[name] = 0xC3;
        bytes[name + 1] = 0x28;

        Assert.Equal(DecideRequest.Parser.ParseFrom(bytes), DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public void Repeated_names_decode_to_one_string()
    {
        var bytes = Build(new Random(2)).ToByteArray();
        var first = DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(bytes));
        var second = DecideRequestDecoder.Decode(new ReadOnlySequence<byte>(bytes));

        var named = first.Context.Select((f, i) => (f.Name, Again: second.Context[i].Name)).Where(n => n.Name.Length is > 0 and <= 64);
        Assert.All(named, n => Assert.Same(n.Name, n.Again));
    }

    internal static DecideRequest Build(Random random)
    {
        var request = new DecideRequest
        {
            Policy = Pick(random),
            EventId = random.Next(3) == 0 ? "" : Guid.NewGuid().ToString("N"),
            UserId = Pick(random),
        };
        for (var i = random.Next(25); i > 0; i--)
        {
            request.Context.Add(Feature(random));
        }

        for (var i = random.Next(12); i > 0; i--)
        {
            var action = new Action { Id = Pick(random) + i, Cost = Number(random) };
            for (var j = random.Next(4); j > 0; j--)
            {
                action.Features.Add(Feature(random));
            }

            request.Actions.Add(action);
        }

        for (var i = random.Next(3); i > 0; i--)
        {
            request.ExcludedActionIds.Add(Pick(random));
        }

        return request;
    }

    private static Feature Feature(Random random)
    {
        var feature = new Feature { Namespace = Pick(random), Name = Pick(random) };
        switch (random.Next(3))
        {
            case 0:
                feature.Number = Number(random);
                break;
            case 1:
                feature.Category = Pick(random);
                break;
        }

        return feature;
    }

    internal static string Pick(Random random) => Words[random.Next(Words.Length)];

    internal static double Number(Random random) => random.Next(6) switch
    {
        0 => 0,
        1 => -0.0,
        2 => double.NaN,
        3 => double.PositiveInfinity,
        _ => (random.NextDouble() - 0.5) * 1e6,
    };

    private static (IMessage? Message, bool Error) Attempt(Func<IMessage> parse)
    {
        try
        {
            return (parse(), false);
        }
        catch (InvalidProtocolBufferException)
        {
            return (null, true);
        }
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at), 0);
        var last = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
