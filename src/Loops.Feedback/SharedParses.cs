using Loops.Contracts;
using Loops.Contracts.V1;

namespace Loops.Feedback;

/// <summary>
/// The joined events most recently decoded by a reader of the joined log, by sequence: the readers that follow the
/// log (the trainer, the reports) are at about the same place, so each event is decoded once rather than once per
/// reader. Only published events are decoded, and those never change, so a hit is always the right event.
/// Readers therefore share instances and must not change them.
/// </summary>
internal sealed class SharedParses
{
    private const int Size = 4096;

    private readonly Parsed?[] _slots = new Parsed?[Size];

    public JoinedEvent Parse(long sequence, ReadOnlySpan<byte> encoded)
    {
        var index = (int)(sequence & (Size - 1));
        if (Volatile.Read(ref _slots[index]) is { } parsed && parsed.Sequence == sequence)
        {
            return parsed.Event;
        }

        var decoded = JoinedEventDecoder.Decode(encoded);
        Volatile.Write(ref _slots[index], new Parsed(sequence, decoded));
        return decoded;
    }

    private sealed record Parsed(long Sequence, JoinedEvent Event);
}
