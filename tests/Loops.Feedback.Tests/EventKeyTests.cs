using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using Loops.Contracts.V1;

namespace Loops.Feedback.Tests;

public sealed class EventKeyTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("player-42:welcome-bonus")]
    [InlineData("prämie-€-🎲")]
    public void A_key_is_the_same_from_the_string_and_from_its_utf8_bytes(string eventId)
    {
        Assert.Equal(EventKey.Of(Encoding.UTF8.GetBytes(eventId)), EventKey.Of(eventId));
        Assert.NotEqual(EventKey.Of(eventId + " "), EventKey.Of(eventId));
    }

    [Fact]
    public void A_long_event_id_gets_the_key_of_its_bytes()
    {
        var eventId = new string('x', 5_000);
        Assert.Equal(EventKey.Of(Encoding.UTF8.GetBytes(eventId)), EventKey.Of(eventId));
    }

    [Fact]
    public void Decision_bytes_are_checked_against_a_key_and_give_back_their_event_id()
    {
        var encoded = new DecisionEvent { EventId = "e-1", Policy = "p" }.ToByteArray();

        Assert.True(JournalCodec.IsDecisionOf(encoded, EventKey.Of("e-1")));
        Assert.False(JournalCodec.IsDecisionOf(encoded, EventKey.Of("e-2")));
        Assert.Equal("e-1", JournalCodec.EventIdOf(encoded));
        Assert.Null(JournalCodec.EventIdOf(new DecisionEvent { Policy = "p" }.ToByteArray()));
    }

    [Fact]
    public void A_pending_decision_of_an_older_checkpoint_written_with_its_event_id_is_found_by_it()
    {
        var state = new FeedbackState(TimeSpan.FromMinutes(10), maxOrphans: 100);
        var id = Encoding.UTF8.GetBytes("older-é");
        var body = new byte[1 + 28 + 37 + id.Length];
        body[0] = (byte)JournalRecordKind.PendingLocation;
        BinaryPrimitives.WriteDoubleLittleEndian(body.AsSpan(1), 3);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(9), 1);
        var at = body.AsSpan(29);
        BinaryPrimitives.WriteInt32LittleEndian(at, 3);
        BinaryPrimitives.WriteInt64LittleEndian(at[4..], 4096);
        BinaryPrimitives.WriteInt32LittleEndian(at[12..], 120);
        BinaryPrimitives.WriteInt64LittleEndian(at[16..], 5_000);
        BinaryPrimitives.WriteDoubleLittleEndian(at[28..], 0.5);
        id.CopyTo(at[37..]);

        JournalCodec.Apply(body, state, default);

        Assert.Equal(new JournalLocation(3, 120, 4096), state.FindPending("older-é"));
        Assert.Null(state.FindPending("older-e"));
        Assert.Equal(5_000, state.NextDeadline);
        var due = new List<DueJoin>();
        state.TakeDue(5_000, 10, due);
        Assert.Equal((EventKey.Of("older-é"), 3.0, 0.5), (due.Single().Key, due.Single().Rewards.Sum, due.Single().DefaultReward));
    }
}
