using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Loops.Core;

/// <summary>
/// The binary format of <see cref="LinearRewardModel"/> (little-endian):
/// a fixed header (magic "LOOPSLRM", format version, settings, learning state, number of used weights), then one
/// 16-byte entry per used weight (index, weight, accumulator, normaliser) in increasing index order, then the
/// XxHash64 of everything before it. Only used weights are written, so a sparse model stays small whatever its bits.
/// Version 2 extends the header with the settings version 1 did not have (cb_type, power_t, forgetting half-life)
/// and the forgetting state; a model whose extended settings are all defaults is written as version 1, so files
/// stay readable by builds that know only version 1.
/// </summary>
internal static class LinearRewardModelFormat
{
    public const int Version = 2;

    private const int FirstVersion = 1;
    private const int FirstHeaderBytes = 77;
    private const int HeaderBytes = FirstHeaderBytes + 1 + (3 * sizeof(double));
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

        bool extended = NeedsExtendedHeader(state);
        Span<byte> header = stackalloc byte[extended ? HeaderBytes : FirstHeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], extended ? Version : FirstVersion);
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
        if (extended)
        {
            header[77] = (byte)state.Settings.CbType;
            BinaryPrimitives.WriteDoubleLittleEndian(header[78..], state.Settings.PowerT);
            BinaryPrimitives.WriteDoubleLittleEndian(header[86..], state.Settings.ForgettingHalfLife);
            BinaryPrimitives.WriteDoubleLittleEndian(header[94..], state.DecayScale);
        }

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
            Span<byte> magic = stackalloc byte[8];
            stream.ReadExactly(magic);
            return ReadAfterMagic(stream, magic);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("The model stream is truncated.", exception);
        }
    }

    /// <summary>Reads a model whose first 8 bytes (the magic) were already read by the caller.</summary>
    public static LinearRewardModelState ReadAfterMagic(Stream stream, ReadOnlySpan<byte> magic)
    {
        try
        {
            return ReadChecked(stream, magic);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("The model stream is truncated.", exception);
        }
    }

    public static bool IsMagic(ReadOnlySpan<byte> bytes) => bytes.SequenceEqual(Magic);

    private static LinearRewardModelState ReadChecked(Stream stream, ReadOnlySpan<byte> magic)
    {
        var hash = new XxHash64();
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (!IsMagic(magic))
        {
            throw new InvalidDataException("The stream is not a Loops linear reward model (bad magic header).");
        }

        magic.CopyTo(header);
        stream.ReadExactly(header[Magic.Length..FirstHeaderBytes]);
        int version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (version is not (FirstVersion or Version))
        {
            throw new InvalidDataException($"Unsupported model format version {version}; this build reads versions {FirstVersion} and {Version}.");
        }

        if (version == Version)
        {
            stream.ReadExactly(header[FirstHeaderBytes..]);
        }
        else
        {
            header = header[..FirstHeaderBytes];
        }

        hash.Append(header);
        var settings = ReadSettings(header);
        double decayScale = header.Length > FirstHeaderBytes ? BinaryPrimitives.ReadDoubleLittleEndian(header[94..]) : 1;
        long updates = BinaryPrimitives.ReadInt64LittleEndian(header[41..]);
        double rewardScale = BinaryPrimitives.ReadDoubleLittleEndian(header[49..]);
        double sumOfNormalizedSquares = BinaryPrimitives.ReadDoubleLittleEndian(header[57..]);
        double sumOfImportanceWeights = BinaryPrimitives.ReadDoubleLittleEndian(header[65..]);
        int usedCount = BinaryPrimitives.ReadInt32LittleEndian(header[73..]);
        if (updates < 0 || !IsNonNegativeFinite(rewardScale) || !IsNonNegativeFinite(sumOfNormalizedSquares)
            || !IsNonNegativeFinite(sumOfImportanceWeights) || usedCount < 0 || usedCount > settings.WeightCount
            || !(decayScale > 0 && decayScale <= 1))
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
            settings, weights, accumulators, normalizers, updates, rewardScale, sumOfNormalizedSquares, sumOfImportanceWeights, decayScale);
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
        if (header.Length > FirstHeaderBytes)
        {
            settings = settings with
            {
                CbType = (CbType)header[77],
                PowerT = BinaryPrimitives.ReadDoubleLittleEndian(header[78..]),
                ForgettingHalfLife = BinaryPrimitives.ReadDoubleLittleEndian(header[86..]),
            };
        }

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

    private static bool NeedsExtendedHeader(LinearRewardModelState state) =>
        state.Settings.CbType != CbType.Mtr || state.Settings.PowerT != LearnerSettings.DefaultPowerT
        || state.Settings.ForgettingHalfLife != 0 || state.DecayScale != 1;

    private static bool IsUsed(LinearRewardModelState state, int index) =>
        state.Normalizers[index] != 0 || state.Weights[index] != 0 || state.Accumulators[index] != 0;

    private static bool IsNonNegativeFinite(double value) => double.IsFinite(value) && value >= 0;
}
