using System.Buffers;
using FsCheck.Xunit;
using Google.Protobuf.WellKnownTypes;

namespace Loops.Grpc.Tests;

public sealed class ProtocolPrimitivesTests
{
    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3000)]
    [InlineData("250m", 250)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2)]
    public void Timeout_units_parse(string header, double milliseconds)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(milliseconds, timeout.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    [InlineData("10x")]
    public void Malformed_timeouts_are_rejected(string header) =>
        Assert.False(GrpcTimeout.TryParse(header, out _));

    [Property]
    public bool Formatted_timeouts_parse_back_within_a_unit(uint milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds % 1_000_000_000);
        return GrpcTimeout.TryParse(GrpcTimeout.Format(timeout), out var parsed)
            && Math.Abs((parsed - timeout).TotalSeconds) < 1 && parsed <= timeout;
    }

    [Property]
    public bool Status_messages_round_trip(string? message)
    {
        message ??= string.Empty;
        if (message.Any(char.IsSurrogate))
        {
            return true;
        }

        var encoded = StatusMessageEncoding.Encode(message);
        return encoded.All(c => c is >= (char)0x20 and <= (char)0x7E) && StatusMessageEncoding.Decode(encoded) == message;
    }

    [Fact]
    public void Status_message_encoding_keeps_printable_ascii()
    {
        Assert.Equal("field 'x' is bad", StatusMessageEncoding.Encode("field 'x' is bad"));
        Assert.Equal("50%25 %C3%A9", StatusMessageEncoding.Encode("50% é"));
        Assert.Equal("bad %zz escape", StatusMessageEncoding.Decode("bad %zz escape"));
    }

    [Fact]
    public void Frame_is_read_from_a_split_sequence()
    {
        var frame = MessageFraming.ToFrame(new StringValue { Value = "abc" });
        var sequence = Split(frame, 2);
        Assert.True(MessageFraming.TryReadFrame(sequence, 100, out var payload, out var length));
        Assert.Equal(frame.Length, length);
        Assert.Equal("abc", StringValue.Parser.ParseFrom(payload).Value);
        Assert.False(MessageFraming.TryReadFrame(sequence.Slice(0, frame.Length - 1), 100, out _, out var needed));
        Assert.Equal(frame.Length, needed);
    }

    [Fact]
    public void Oversized_frame_is_rejected_from_its_prefix_alone()
    {
        byte[] prefix = [0, 0, 0x10, 0, 0];
        var error = Assert.Throws<GrpcException>(() =>
            MessageFraming.TryReadFrame(new ReadOnlySequence<byte>(prefix), 1024, out _, out _));
        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
    }

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void Grpc_content_types_are_recognised(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));

    private static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at));
        var last = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
