using Google.Protobuf;
using Google.Protobuf.Reflection;
using Loops.Contracts.V1;

namespace Loops.Contracts;

/// <summary>
/// The answer to a Decide as the service sends it: a <see cref="DecideResponse"/> on the wire, written straight from
/// the logged decision. It encodes to the same bytes as <see cref="DecisionResponses.Of"/> of that decision, without
/// the response and one <see cref="RankedAction"/> per candidate that building one takes (a dozen objects per Decide).
/// A retry's answer, read back as a <see cref="DecideResponse"/>, is sent as it is.
/// </summary>
public sealed class DecideAnswer : IMessage<DecideAnswer>, IBufferMessage
{
    private readonly DecisionEvent? _decision;
    private DecideResponse? _response;

    private DecideAnswer(DecisionEvent? decision, DecideResponse? response)
    {
        _decision = decision;
        _response = response;
    }

    /// <summary>Parses answers as <see cref="DecideResponse"/>s, for clients typed by the answer.</summary>
    public static MessageParser<DecideAnswer> Parser { get; } = new(() => new DecideAnswer(null, new DecideResponse()));

    /// <inheritdoc />
    public MessageDescriptor Descriptor => DecideResponse.Descriptor;

    /// <summary>The answer for a decision that holds its candidate actions, probabilities and scores.</summary>
    /// <param name="decision">The decision, with its actions; it must not change afterwards.</param>
    /// <exception cref="ArgumentException">The decision's chosen index or probabilities do not match its actions.</exception>
    public static DecideAnswer Of(DecisionEvent decision)
    {
        DecisionResponses.Check(decision);
        return new DecideAnswer(decision, null);
    }

    /// <summary>An answer given as a response (a retried decision's original).</summary>
    /// <param name="response">The response; it must not change afterwards.</param>
    public static DecideAnswer Of(DecideResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new DecideAnswer(null, response);
    }

    /// <summary>The answer as a response message (made on first use when the answer is a decision's).</summary>
    public DecideResponse ToResponse() => _response ??= DecisionResponses.Of(_decision!);

    /// <inheritdoc />
    public int CalculateSize()
    {
        if (_response is { } response)
        {
            return response.CalculateSize();
        }

        var decision = _decision!;
        var actions = decision.Actions;
        var probabilities = decision.Probabilities;
        var chosen = decision.ChosenIndex;
        var size = StringFieldSize(decision.EventId) + StringFieldSize(actions[chosen].Id) + DoubleFieldSize(probabilities[chosen]);
        for (var i = 0; i < actions.Count; i++)
        {
            var ranked = RankedSize(actions[i].Id, probabilities[i], DecisionResponses.ScoreOf(decision, i));
            size += 1 + CodedOutputStream.ComputeLengthSize(ranked) + ranked;
        }

        size += decision.ModelVersion != 0L ? 1 + CodedOutputStream.ComputeInt64Size(decision.ModelVersion) : 0;
        size += decision.Exploratory ? 2 : 0;
        return size + (decision.Control ? 3 : 0);
    }

    /// <inheritdoc />
    public void WriteTo(CodedOutputStream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteRawMessage(this);
    }

    void IBufferMessage.InternalWriteTo(ref WriteContext output)
    {
        if (_response is { } response)
        {
            ((IBufferMessage)response).InternalWriteTo(ref output);
            return;
        }

        // Field by field in number order, with the defaults left out, as the generated DecideResponse writes itself.
        var decision = _decision!;
        var actions = decision.Actions;
        var probabilities = decision.Probabilities;
        var chosen = decision.ChosenIndex;
        WriteString(ref output, 10, decision.EventId);
        WriteString(ref output, 18, actions[chosen].Id);
        WriteDouble(ref output, 25, probabilities[chosen]);
        var count = actions.Count;
        var order = count <= 128 ? stackalloc int[count] : new int[count];
        DecisionResponses.Rank(decision, order);
        foreach (var index in order)
        {
            var actionId = actions[index].Id;
            var probability = probabilities[index];
            var score = DecisionResponses.ScoreOf(decision, index);
            output.WriteRawTag(34);
            output.WriteLength(RankedSize(actionId, probability, score));
            WriteString(ref output, 10, actionId);
            WriteDouble(ref output, 17, probability);
            WriteDouble(ref output, 25, score);
        }

        if (decision.ModelVersion != 0L)
        {
            output.WriteRawTag(40);
            output.WriteInt64(decision.ModelVersion);
        }

        if (decision.Exploratory)
        {
            output.WriteRawTag(48);
            output.WriteBool(true);
        }

        if (decision.Control)
        {
            output.WriteRawTag(192, 2);
            output.WriteBool(true);
        }
    }

    /// <inheritdoc />
    public void MergeFrom(CodedInputStream input) => ToResponse().MergeFrom(input);

    void IBufferMessage.InternalMergeFrom(ref ParseContext ctx) => ((IBufferMessage)ToResponse()).InternalMergeFrom(ref ctx);

    /// <inheritdoc />
    public void MergeFrom(DecideAnswer message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ToResponse().MergeFrom(message.ToResponse());
    }

    /// <inheritdoc />
    public DecideAnswer Clone() => new(null, ToResponse().Clone());

    /// <inheritdoc />
    public bool Equals(DecideAnswer? other) => other is not null && ToResponse().Equals(other.ToResponse());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DecideAnswer);

    /// <inheritdoc />
    public override int GetHashCode() => ToResponse().GetHashCode();

    /// <inheritdoc />
    public override string ToString() => ToResponse().ToString();

    private static int StringFieldSize(string value) => value.Length == 0 ? 0 : 1 + CodedOutputStream.ComputeStringSize(value);

    private static int DoubleFieldSize(double value) => value != 0D ? 1 + 8 : 0;

    private static int RankedSize(string actionId, double probability, double score) =>
        StringFieldSize(actionId) + DoubleFieldSize(probability) + DoubleFieldSize(score);

    private static void WriteString(ref WriteContext output, byte tag, string value)
    {
        if (value.Length != 0)
        {
            output.WriteRawTag(tag);
            output.WriteString(value);
        }
    }

    private static void WriteDouble(ref WriteContext output, byte tag, double value)
    {
        if (value != 0D)
        {
            output.WriteRawTag(tag);
            output.WriteDouble(value);
        }
    }
}
