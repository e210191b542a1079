using System.Buffers;
using Loops.Contracts.V1;
using MessagePack;

namespace Loops.Feedback.Redis;

/// <summary>
/// Packs the rewards of one partition into the blob of a batch entry (<c>k=rb b=blob</c>): a MessagePack array of
/// four items per reward: event id, value (float64), received-at ms, reward id. The scripts unpack it with Redis's
/// built-in <c>cmsgpack.unpack</c>, so a batch costs one stream entry instead of one per reward.
/// </summary>
internal static class PackedRewards
{
    /// <summary>Items per reward in the packed array.</summary>
    public const int ItemsPerReward = 4;

    /// <summary>Packs <paramref name="rewards"/>[i] for each i of <paramref name="indices"/>, in that order.</summary>
    public static byte[] Pack(IReadOnlyList<RewardEvent> rewards, ReadOnlySpan<int> indices)
    {
        var buffer = new ArrayBufferWriter<byte>(indices.Length * 48);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(indices.Length * ItemsPerReward);
        foreach (var index in indices)
        {
            var reward = rewards[index];
            writer.Write(reward.EventId);

            // Always float64: the scripts sum in Lua doubles, so every value must arrive exactly as the caller sent it.
            writer.Write(reward.Value);
            writer.Write(reward.TimestampUnixMs);
            writer.Write(reward.RewardId);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
