using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Loops.Core;

/// <summary>
/// The binary format of <see cref="LinearRewardModel"/> (little-endian):
/// a fixed header (magic "LOOPSLRM", format version, settings, learning state, number of used weights), then one
/// 16-byte entry per used weight (index, weight, accumulator, normaliser) in increasing index order, then the
/// XxHash64 of everything before it. Only used weights are written, so a sparse model stays small whatever its bits.
/// </summary>
internal static class LinearRewardModelFormat
{
    public const int Version = 1;

    private const int HeaderBytes = 77;
    private const int EntryBytes = 16;
    private const int EntriesPerChunk = 4096;
    private const int TrailerBytes = sizeof(ulong);

    private static ReadOnlySpan<byte> Magic => "LOOPSLRM"u8;

    public static void Write(Stream stream, LinearRewardModelState state)
    {
        var hash = new XxHash64();
        int usedCount = 0;
        for (int i = 0; i < state.Weights.Length; i++)
        {
            if (IsUsed(state, i))
            {
                usedCount++;
            }
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteDoubleLittleEndian(header[12..], state.Settings.LearningRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], state.Settings.Bits);
        BinaryPrimitives.WriteDoubleLittleEndian(header[24..], state.Settings.MaxImportanceWeight);
        BinaryPrimitives.WriteDoubleLittleEndian(header[32..], state.Settings.L2);
        header[40] = state.Settings.Interactions ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(header[41..], state.Updates);
        BinaryPrimitives.WriteDoubleLittleEndian(header[49..], state.RewardScale);
        BinaryPrimitives.WriteDoubleLittleEndian(header[57..], state.SumOfNormalizedSquares);
        BinaryPrimitives.WriteDoubleLittleEndian(header[65..], state.SumOfImportanceWeights);
        BinaryPrimitives.WriteInt32LittleEndian(header[73..], usedCount);
        hash.Append(header);
        stream.Write(header);

        byte[] chunk = ArrayPool<byte>.Shared.Rent(EntriesPerChunk * EntryBytes);
        try
        {
            int filled = 0;
            for (int i = 0; i < state.Weights.Length; i++)
            {
                if (!IsUsed(state, i))
                {
                    continue;
                }

                var entry = chunk.AsSpan(filled, EntryBytes);
                BinaryPrimitives.WriteInt32LittleEndian(entry, i);
                BinaryPrimitives.WriteSingleLittleEndian(entry[4..], state.Weights[i]);
                BinaryPrimitives.WriteSingleLittleEndian(entry[8..], state.Accumulators[i]);
                BinaryPrimitives.WriteSingleLittleEndian(entry[12..], state.Normalizers[i]);
                filled += EntryBytes;
                if (filled == EntriesPerChunk * EntryBytes)
                {
                    hash.Append(chunk.AsSpan(0, filled));
                    stream.Write(chunk, 0, filled);
                    filled = 0;
                }
            }

            hash.Append(chunk.AsSpan(0, filled));
            stream.Write(chunk, 0, filled);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        Span<byte> trailer = stackalloc byte[TrailerBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, hash.GetCurrentHashAsUInt64());
        stream.Write(trailer);
    }

    public static LinearRewardModelState Read(Stream stream)
    {
        try
        {
            return ReadChecked(stream);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("The model stream is truncated.", exception);
        }
    }

    private static LinearRewardModelState ReadChecked(Stream stream)
    {
        var hash = new XxHash64();
        Span<byte> header = stackalloc byte[HeaderBytes];
        stream.ReadExactly(header[..Magic.Length]);
        if (!header[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("The stream is not a Loops linear reward model (bad magic header).");
        }

        stream.ReadExactly(header[Magic.Length..]);
        hash.Append(header);
        int version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (version != Version)
        {
            throw new InvalidDataException($"Unsupported model format version {version}; this build reads version {Version}.");
        }

        var settings = ReadSettings(header);
        long updates = BinaryPrimitives.ReadInt64LittleEndian(header[41..]);
        double rewardScale = BinaryPrimitives.ReadDoubleLittleEndian(header[49..]);
        double sumOfNormalizedSquares = BinaryPrimitives.ReadDoubleLittleEndian(header[57..]);
        double sumOfImportanceWeights = BinaryPrimitives.ReadDoubleLittleEndian(header[65..]);
        int usedCount = BinaryPrimitives.ReadInt32LittleEndian(header[73..]);
        if (updates < 0 || !IsNonNegativeFinite(rewardScale) || !IsNonNegativeFinite(sumOfNormalizedSquares)
            || !IsNonNegativeFinite(sumOfImportanceWeights) || usedCount < 0 || usedCount > settings.WeightCount)
        {
            throw new InvalidDataException("The model's learning state is out of range.");
        }

        var weights = new float[settings.WeightCount];
        var accumulators = new float[settings.WeightCount];
        var normalizers = new float[settings.WeightCount];
        byte[] chunk = ArrayPool<byte>.Shared.Rent(EntriesPerChunk * EntryBytes);
        try
        {
            int previousIndex = -1;
            for (int remaining = usedCount; remaining > 0;)
            {
                int entries = Math.Min(remaining, EntriesPerChunk);
                var bytes = chunk.AsSpan(0, entries * EntryBytes);
                stream.ReadExactly(bytes);
                hash.Append(bytes);
                for (int e = 0; e < entries; e++)
                {
                    var entry = bytes.Slice(e * EntryBytes, EntryBytes);
                    int index = BinaryPrimitives.ReadInt32LittleEndian(entry);
                    float weight = BinaryPrimitives.ReadSingleLittleEndian(entry[4..]);
                    float accumulator = BinaryPrimitives.ReadSingleLittleEndian(entry[8..]);
                    float normalizer = BinaryPrimitives.ReadSingleLittleEndian(entry[12..]);
                    if (index <= previousIndex || index >= settings.WeightCount || !float.IsFinite(weight)
                        || !IsNonNegativeFinite(accumulator) || !IsNonNegativeFinite(normalizer))
                    {
                        throw new InvalidDataException($"The model's weight entry for index {index} is invalid.");
                    }

                    weights[index] = weight;
                    accumulators[index] = accumulator;
                    normalizers[index] = normalizer;
                    previousIndex = index;
                }

                remaining -= entries;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        Span<byte> trailer = stackalloc byte[TrailerBytes];
        stream.ReadExactly(trailer);
        if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != hash.GetCurrentHashAsUInt64())
        {
            throw new InvalidDataException("The model stream is corrupt (checksum mismatch).");
        }

        return new LinearRewardModelState(
            settings, weights, accumulators, normalizers, updates, rewardScale, sumOfNormalizedSquares, sumOfImportanceWeights);
    }

    private static LearnerSettings ReadSettings(ReadOnlySpan<byte> header)
    {
        var settings = new LearnerSettings
        {
            LearningRate = BinaryPrimitives.ReadDoubleLittleEndian(header[12..]),
            Bits = BinaryPrimitives.ReadInt32LittleEndian(header[20..]),
            MaxImportanceWeight = BinaryPrimitives.ReadDoubleLittleEndian(header[24..]),
            L2 = BinaryPrimitives.ReadDoubleLittleEndian(header[32..]),
            Interactions = header[40] switch
            {
                0 => false,
                1 => true,
                _ => throw new InvalidDataException("The model's interactions flag is invalid."),
            },
        };

        try
        {
            settings.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"The model's settings are invalid: {exception.Message}", exception);
        }

        return settings;
    }

    private static bool IsUsed(LinearRewardModelState state, int index) =>
        state.Normalizers[index] != 0 || state.Weights[index] != 0 || state.Accumulators[index] != 0;

    private static bool IsNonNegativeFinite(double value) => double.IsFinite(value) && value >= 0;
}
